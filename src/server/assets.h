// The dashboard's files, embedded in the binary at build time (the page, its script and style,
// ECharts from npm, Leaflet from Debian, the OpenAPI document), so that `tsq serve` is one file
// that needs no internet and no install step.
#pragma once

#include <string_view>
#include <vector>

namespace tsq {

struct EmbeddedAsset {
  std::string_view name;  // the path under which it is served, without the leading '/'
  std::string_view bytes;
};

const std::vector<EmbeddedAsset>& EmbeddedAssets();

}  // namespace tsq
