// `tsq serve`: the dashboard and its JSON API over a store of periods (docs/api.md,
// docs/openapi.json). Every answer comes from the app layer's PeriodQueries, as the CLI's do.
#pragma once

#include <functional>
#include <string>

#include "core/result.h"

namespace tsq {

struct ServeOptions {
  std::string store = "tsq.db";
  std::string catalog_path;  // names and targets of a user's catalog (optional)
  std::string host = "127.0.0.1";
  int port = 8080;    // 0: any free port (tests)
  std::string token;  // required on every API call when set
  int threads = 32;   // connections served at once
  int timeout_s = 5;  // a client that sends or reads nothing this long is dropped
  /// Front-end work: files here are served instead of the embedded ones of the same name, so a
  /// change to web/src shows on reload without a rebuild.
  std::string assets_dir;
  /// Answers kept for repeated requests (until a period is stored again), in MB; 0: none.
  size_t cache_mb = 128;
};

/// True for 127.0.0.0/8, ::1 and "localhost": the addresses that need no token.
bool IsLoopback(const std::string& host);

/// Ok when the options can be served: a token off loopback, a port in range. Serve() checks it
/// too; the CLI asks first, before it ingests --data.
Status CheckServeOptions(const ServeOptions& options);

/// Serves until SIGINT or SIGTERM. `on_ready` gets the URL once the port is bound. Errors: the
/// store cannot be opened, the address cannot be bound, or a non-loopback address without a
/// token.
Status Serve(const ServeOptions& options, const std::function<void(const std::string&)>& on_ready);

}  // namespace tsq
