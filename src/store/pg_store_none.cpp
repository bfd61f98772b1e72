// Built without libpq: a postgresql:// store is refused with how to get one.
#include "store/store.h"

namespace tsq {

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri) {
  return Error(ErrorCode::kUnsupported,
               RedactUri(uri) +
                   ": this tsq was built without PostgreSQL support; install libpq-dev "
                   "(scripts/install-deps.sh does) and build again");
}

}  // namespace tsq
