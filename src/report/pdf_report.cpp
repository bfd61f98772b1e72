#include "report/pdf_report.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/output_file.h"
#include "report/html_report.h"

extern char** environ;

namespace tsq {
namespace {

namespace fs = std::filesystem;

bool IsExecutable(const std::string& path) {
  return !path.empty() && ::access(path.c_str(), X_OK) == 0 && !fs::is_directory(path);
}

std::string SearchPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = (fs::path(dir) / name).string();
    if (IsExecutable(candidate)) return candidate;
  }
  return "";
}

// A directory that removes itself.
class TempDir {
 public:
  static Result<TempDir> Create() {
    std::string pattern = (fs::temp_directory_path() / "tsq-pdf-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Error(ErrorCode::kIo, fmt::format("cannot create a temporary directory in {}",
                                               fs::temp_directory_path().string()));
    }
    return TempDir(pattern);
  }
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

std::string Tail(const std::string& file, size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.size() > max_bytes) s = "..." + s.substr(s.size() - max_bytes);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Runs argv in its own process group with output to `log`; stops the whole group (the browser
// spawns helpers) when it ends or after `timeout_s`. Returns the exit status.
Result<int> Run(const std::vector<std::string>& argv, const std::string& log, int timeout_s) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return Error(ErrorCode::kIo, fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int status = 0;
  bool timed_out = false;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      return Error(ErrorCode::kInternal,
                   fmt::format("waiting for {}: {}", argv[0], std::strerror(errno)));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      timed_out = true;
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Helpers (zygote, GPU, crash handler) may outlive the browser: end the whole group.
  ::kill(-pid, SIGKILL);
  if (timed_out) {
    return Error(ErrorCode::kIo,
                 fmt::format("{} did not finish printing within {} s", argv[0], timeout_s));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

Result<std::string> FindChromium(const std::string& preferred) {
  if (!preferred.empty()) {
    if (IsExecutable(preferred)) return preferred;
    const std::string found = SearchPath(preferred);
    if (!found.empty()) return found;
    return Error(
        ErrorCode::kNotFound,
        fmt::format("cannot print the PDF: browser '{}' not found or not executable", preferred));
  }
  if (const char* env = std::getenv("TSQ_CHROMIUM"); env != nullptr && *env != '\0') {
    if (IsExecutable(env)) return std::string(env);
    const std::string found = SearchPath(env);
    if (!found.empty()) return found;
    return Error(ErrorCode::kNotFound,
                 fmt::format("cannot print the PDF: TSQ_CHROMIUM={} is not an executable", env));
  }
  for (const char* name :
       {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
    const std::string found = SearchPath(name);
    if (!found.empty()) return found;
  }
  return Error(ErrorCode::kNotFound,
               "cannot print the PDF: Chromium not found; install chromium: sudo apt-get install "
               "chromium (or set TSQ_CHROMIUM to a Chromium or Chrome binary)");
}

Status PrintHtmlToPdf(const std::string& html_path, const std::string& pdf_path,
                      const ReportOptions& options) {
  auto browser = FindChromium(options.chromium);
  if (!browser) return std::move(browser).error();
  auto dir = TempDir::Create();
  if (!dir) return std::move(dir).error();
  std::error_code ec;
  const std::string html_abs = fs::absolute(html_path, ec).string();
  StagedFile staged(pdf_path);
  const std::string tmp_pdf = staged.staging_path();
  const std::string tmp_abs = fs::absolute(tmp_pdf, ec).string();
  const std::string log = (fs::path(dir->path()) / "chromium.log").string();
  const std::vector<std::string> argv = {
      *browser,
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-extensions",
      "--disable-crash-reporter",
      "--disable-breakpad",
      "--user-data-dir=" + (fs::path(dir->path()) / "profile").string(),
      "--print-to-pdf=" + tmp_abs,
      "--no-pdf-header-footer",
      "file://" + html_abs,
  };
  auto status = Run(argv, log, options.pdf_timeout_s);
  const auto fail = [&](std::string message) -> Status {
    return Error(ErrorCode::kIo, std::move(message));
  };
  if (!status) return fail(status.error().message);
  std::string head;
  {
    std::ifstream in(tmp_pdf, std::ios::binary);
    head.resize(5);
    if (!in.read(head.data(), 5)) head.clear();
  }
  if (*status != 0 || head != "%PDF-") {
    return fail(fmt::format("{}: {} could not print the report (exit status {}): {}", pdf_path,
                            *browser, *status, Tail(log, 600)));
  }
  return staged.Commit();
}

Status WritePdfReport(const ReportInput& in, const std::string& path,
                      const ReportOptions& options) {
  // Check for the browser before rendering anything, so the error comes first and fast.
  auto browser = FindChromium(options.chromium);
  if (!browser) return std::move(browser).error();
  auto dir = TempDir::Create();
  if (!dir) return std::move(dir).error();
  const std::string html_path = (fs::path(dir->path()) / "report.html").string();
  TSQ_TRY(WriteHtmlReport(in, html_path, options));
  ReportOptions with_browser = options;
  with_browser.chromium = *browser;
  return PrintHtmlToPdf(html_path, path, with_browser);
}

}  // namespace tsq
