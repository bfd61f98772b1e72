#include "server/server.h"

#include <atomic>
#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <thread>
#include <unordered_map>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>

#include "app/period_queries.h"
#include "core/glob.h"
#include "io/text_file.h"
#include "server/assets.h"

namespace tsq {
namespace {

constexpr const char* kJsonType = "application/json; charset=utf-8";

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kUnsupported:
      return 501;
    default:
      return 500;
  }
}

void SendJson(httplib::Response& res, const Json& j, int status = 200) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  // Invalid UTF-8 in a stored string must not abort the answer: replace it.
  res.set_content(j.dump(-1, ' ', false, Json::error_handler_t::replace), kJsonType);
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  SendJson(res, Json{{"error", {{"status", status}, {"message", message}}}}, status);
}

void SendError(httplib::Response& res, const Error& e) {
  SendError(res, HttpStatus(e.code), e.message);
}

// A query string with a key the route does not take is an error that names the close match,
// as a misspelt command-line option is. Keys may appear once.
bool CheckParams(const httplib::Request& req, httplib::Response& res,
                 const std::vector<std::string>& allowed) {
  std::set<std::string> seen;
  for (const auto& [key, value] : req.params) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      const std::vector<std::string> close = ClosestMatches(key, allowed);
      std::string known;
      for (const std::string& a : allowed) known += (known.empty() ? "" : ", ") + a;
      SendError(res, 400,
                fmt::format("unknown parameter '{}'{}; this endpoint takes {}", key,
                            close.empty() ? "" : " (did you mean " + close.front() + "?)",
                            known.empty() ? "none" : known));
      return false;
    }
    if (!seen.insert(key).second) {
      SendError(res, 400, fmt::format("parameter '{}' given twice", key));
      return false;
    }
  }
  return true;
}

std::string Param(const httplib::Request& req, const char* key, const std::string& fallback = "") {
  return req.has_param(key) ? req.get_param_value(key) : fallback;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma - start);
    if (!item.empty() && item != "all") out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Constant-time, so that the time of a refusal says nothing about the token.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) diff |= a[i] ^ b[i % (b.empty() ? 1 : b.size())];
  return diff == 0 && !b.empty();
}

std::string MediaType(std::string_view name) {
  const auto ends = [&](std::string_view s) { return name.ends_with(s); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return kJsonType;
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  return "application/octet-stream";
}

// Request counts and time for /metrics.
struct ServerStats {
  std::mutex mu;
  std::map<std::pair<std::string, int>, uint64_t> requests;  // (route, status) -> count
};

// A route's name for the metrics: its path with the period, id and file replaced.
std::string RouteName(const std::string& path) {
  static const std::regex period(R"(^/api/v1/periods/[^/]+)");
  static const std::regex indicator(R"(^/api/v1/indicators/[^/]+)");
  static const std::regex report(R"(/reports/[^/]+$)");
  if (!path.starts_with("/api/") && path != "/metrics") return "static";
  std::string r = std::regex_replace(path, period, "/api/v1/periods/{period}");
  r = std::regex_replace(r, indicator, "/api/v1/indicators/{id}");
  return std::regex_replace(r, report, "/reports/{file}");
}

// Answers already given, by store generation and request: a room of people opening the same
// period asks the same questions, and an answer only changes when a period is stored again.
// Bounded in bytes; the least recently used go first.
class AnswerCache {
 public:
  explicit AnswerCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  std::shared_ptr<const std::string> Get(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  void Put(const std::string& key, std::shared_ptr<const std::string> body) {
    if (body->size() > max_bytes_ / 8) return;  // one answer may not push out everything else
    std::lock_guard lock(mu_);
    if (index_.contains(key)) return;
    bytes_ += body->size() + key.size();
    order_.emplace_front(key, std::move(body));
    index_[key] = order_.begin();
    while (bytes_ > max_bytes_ && !order_.empty()) {
      bytes_ -= order_.back().second->size() + order_.back().first.size();
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const std::string>>;
  std::mutex mu_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  std::list<Entry> order_;
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

class Api {
 public:
  Api(PeriodQueries* q, std::string assets_dir, size_t cache_bytes)
      : q_(q), assets_dir_(std::move(assets_dir)), cache_(cache_bytes) {}

  void Register(httplib::Server& svr) {
    svr.Get("/api/v1/periods", [this](const auto& req, auto& res) {
      if (!CheckParams(req, res, {})) return;
      Reply(req, res, [&] { return q_->Periods(); });
    });
    svr.Get(R"(/api/v1/periods/([^/]+))", [this](const auto& req, auto& res) {
      if (!CheckParams(req, res, {})) return;
      Reply(req, res, [&] { return q_->Period(req.matches[1]); });
    });
    svr.Get(R"(/api/v1/periods/([^/]+)/indicators)", [this](const auto& req, auto& res) {
      if (!CheckParams(req, res, {"id", "operator", "region", "month", "breakdown", "lang"})) {
        return;
      }
      IndicatorQuery q;
      q.period = req.matches[1];
      q.id = Param(req, "id");
      q.op = Param(req, "operator");
      q.region = Param(req, "region");
      q.month = Param(req, "month");
      q.breakdown = SplitList(Param(req, "breakdown"));
      q.lang = Param(req, "lang", "zh");
      Reply(req, res, [&] { return q_->Indicators(q); });
    });
    svr.Get(R"(/api/v1/indicators/([^/]+)/history)", [this](const auto& req, auto& res) {
      if (!CheckParams(req, res, {"operator", "region", "lang"})) return;
      HistoryQuery q;
      q.id = req.matches[1];
      q.op = Param(req, "operator");
      q.region = Param(req, "region");
      q.lang = Param(req, "lang", "zh");
      Reply(req, res, [&] { return q_->History(q); });
    });
    for (const char* kind : {"cells", "broadband", "callers"}) {
      svr.Get(fmt::format(R"(/api/v1/periods/([^/]+)/{})", kind), [this, kind = std::string(kind)](
                                                                      const auto& req, auto& res) {
        const bool cells = kind == "cells";
        if (!CheckParams(req, res,
                         cells ? std::vector<std::string>{"operator", "format"}
                               : std::vector<std::string>{"operator"})) {
          return;
        }
        std::string name = kind;
        if (cells) {
          const std::string format = Param(req, "format", "json");
          if (format != "json" && format != "geojson") {
            SendError(res, 400, fmt::format("format={}: json or geojson", format));
            return;
          }
          if (format == "geojson") name = "cells.geojson";
        }
        Reply(req, res, [&] { return q_->Finding(req.matches[1], name, Param(req, "operator")); });
      });
    }
    svr.Get(R"(/api/v1/periods/([^/]+)/data-quality)", [this](const auto& req, auto& res) {
      if (!CheckParams(req, res, {})) return;
      Reply(req, res, [&] { return q_->DataQuality(req.matches[1]); });
    });
    svr.Get(R"(/api/v1/periods/([^/]+)/reports/(zh|en)\.([a-z]+))", [this](const auto& req,
                                                                           auto& res) {
      if (!CheckParams(req, res, {})) return;
      const std::string label = req.matches[1];
      const std::string lang = req.matches[2];
      auto doc = q_->Report(label, lang, req.matches[3]);
      if (!doc) return SendError(res, doc.error());
      res.set_header("Content-Disposition", fmt::format("attachment; filename=\"tsq-{}-{}.{}\"",
                                                        label, lang, std::string(req.matches[3])));
      res.set_content(doc->body, doc->media_type);
    });
    svr.Get("/api/v1/catalog", [this](const auto& req, auto& res) {
      if (!CheckParams(req, res, {})) return;
      SendJson(res, q_->CatalogJson());
    });
    svr.Get("/api/v1/openapi.json", [](const auto& req, auto& res) {
      if (!CheckParams(req, res, {})) return;
      for (const EmbeddedAsset& a : EmbeddedAssets()) {
        if (a.name == "openapi.json") res.set_content(std::string(a.bytes), kJsonType);
      }
    });
    svr.Get("/metrics", [this](const auto& req, auto& res) {
      if (!CheckParams(req, res, {})) return;
      auto text = q_->Metrics();
      if (!text) return SendError(res, text.error());
      res.set_content(*text + ServerMetrics(), "text/plain; version=0.0.4; charset=utf-8");
    });
    svr.Get("/healthz", [](const auto&, auto& res) { res.set_content("ok\n", "text/plain"); });
    // The dashboard: the embedded files; "/" is the page.
    svr.Get(R"(/([A-Za-z0-9_./-]*))", [this](const auto& req, auto& res) {
      std::string name = req.matches[1];
      if (name.empty()) name = "index.html";
      if (!assets_dir_.empty() && name.find("..") == std::string::npos) {
        if (auto file = ReadTextFile(assets_dir_ + "/" + name, "an asset")) {
          res.set_header("Cache-Control", "no-store");
          res.set_content(*file, MediaType(name));
          return;
        }
      }
      for (const EmbeddedAsset& a : EmbeddedAssets()) {
        if (a.name != name) continue;
        res.set_header("Cache-Control", "no-cache");
        res.set_content(std::string(a.bytes), MediaType(name));
        return;
      }
      SendError(res, 404, "no such page: /" + name);
    });
  }

  void Count(const httplib::Request& req, const httplib::Response& res) {
    std::lock_guard lock(stats_.mu);
    ++stats_.requests[{RouteName(req.path), res.status}];
  }

 private:
  // Answers `compute()`, or the answer kept from the same request of this store generation.
  void Reply(const httplib::Request& req, httplib::Response& res,
             const std::function<Result<Json>()>& compute) {
    auto generation = q_->Generation();
    if (!generation) return SendError(res, generation.error());
    std::string key = *generation + '\n' + req.path;
    for (const auto& [k, v] : req.params) key += '\n' + k + '=' + v;  // sorted by key
    std::shared_ptr<const std::string> body = cache_.Get(key);
    if (body == nullptr) {
      const Result<Json> r = compute();
      if (!r) return SendError(res, r.error());
      body = std::make_shared<const std::string>(
          r->dump(-1, ' ', false, Json::error_handler_t::replace));
      cache_.Put(key, body);
    }
    res.set_header("Cache-Control", "no-store");
    res.set_content(*body, kJsonType);
  }

  std::string ServerMetrics() {
    std::lock_guard lock(stats_.mu);
    std::string out =
        "# HELP tsq_http_requests_total Requests answered, by route and status.\n"
        "# TYPE tsq_http_requests_total counter\n";
    for (const auto& [key, n] : stats_.requests) {
      out += fmt::format("tsq_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                         key.second, n);
    }
    return out;
  }

  PeriodQueries* q_;
  std::string assets_dir_;
  ServerStats stats_;
  AnswerCache cache_;
};

}  // namespace

bool IsLoopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr a{};
  return inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

Status CheckServeOptions(const ServeOptions& options) {
  if (!IsLoopback(options.host) && options.token.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--bind {}: an address other than loopback needs a token (--token or "
                             "TSQ_TOKEN), which every API call must then send as 'Authorization: "
                             "Bearer <token>'",
                             options.host));
  }
  if (options.port < 0 || options.port > 65535) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--port {}: 1 to 65535 (0: any free port)", options.port));
  }
  return {};
}

Status Serve(const ServeOptions& options, const std::function<void(const std::string&)>& on_ready) {
  TSQ_TRY(CheckServeOptions(options));
  auto queries = PeriodQueries::Open(options.store, options.catalog_path);
  if (!queries) return std::move(queries).error();

  // Signals go to one thread that stops the server; the pool's threads never see them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client that hangs up mid-answer is its own problem

  httplib::Server svr;
  const size_t threads = static_cast<size_t>(std::max(1, options.threads));
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_read_timeout(options.timeout_s, 0);
  svr.set_write_timeout(options.timeout_s, 0);
  svr.set_keep_alive_timeout(std::min(options.timeout_s, 5));
  svr.set_keep_alive_max_count(1000);
  svr.set_payload_max_length(64 * 1024);  // the API takes no bodies

  Api api(queries->get(), options.assets_dir, options.cache_mb << 20);
  const std::string token = options.token;
  svr.set_pre_routing_handler([&token](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                   "'unsafe-inline'; connect-src 'self'");
    if (req.method != "GET" && req.method != "HEAD") {
      SendError(res, 405, fmt::format("{} is not allowed: the API only reads", req.method));
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool guarded = req.path.starts_with("/api/") || req.path == "/metrics";
    if (guarded && !token.empty()) {
      const std::string auth = req.get_header_value("Authorization");
      if (!auth.starts_with("Bearer ") || !SameSecret(std::string_view(auth).substr(7), token)) {
        res.set_header("WWW-Authenticate", "Bearer");
        SendError(res, 401, "this server needs its token: send 'Authorization: Bearer <token>'");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // A bug in an answer costs that request only: the client gets a 500, the log says what, the
  // server goes on.
  svr.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        std::fprintf(stderr, "tsq serve: internal error answering %s: %s\n", req.path.c_str(),
                     what.c_str());
        SendError(res, 500, "internal error while answering; the server goes on");
      });
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.body.empty()) SendError(res, res.status, fmt::format("no such page: {}", req.path));
  });
  svr.set_logger(
      [&api](const httplib::Request& req, const httplib::Response& res) { api.Count(req, res); });
  api.Register(svr);

  int port = options.port;
  if (port == 0) {
    port = svr.bind_to_any_port(options.host);
    if (port < 0) port = 0;
  } else if (!svr.bind_to_port(options.host, port)) {
    port = 0;
  }
  if (port == 0) {
    return Error(ErrorCode::kIo,
                 fmt::format("cannot listen on {}:{}: the port is taken or the address is not "
                             "this machine's",
                             options.host, options.port));
  }
  std::thread stopper([&svr, &stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    svr.stop();
  });
  const std::string shown_host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  on_ready(fmt::format("http://{}:{}/", shown_host, port));
  const bool served = svr.listen_after_bind();
  // Wake the signal thread if the server stopped for another reason.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (!served) return Error(ErrorCode::kIo, "the server stopped on an error");
  return {};
}

}  // namespace tsq
