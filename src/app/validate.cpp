#include "app/validate.h"

namespace tsq {

Result<DataQuality> Validate(const ValidateRequest& request) {
  auto dataset = OpenDataSet(request.input.dir);
  if (!dataset) return std::move(dataset).error();
  StringDictionary dict;
  EvalContext ctx;
  ctx.local_offset_s = request.input.local_offset_s;
  auto read = ReadInputs(request.input, *dataset, {}, ctx, &dict);
  if (!read) return std::move(read).error();
  return std::move(read->quality);
}

}  // namespace tsq
