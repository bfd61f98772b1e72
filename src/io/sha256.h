// SHA-256 digests (OpenSSL), for input-file and catalog fingerprints in reports: the same inputs
// and catalog reproduce the same report, and anyone can check a digest with `sha256sum`.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace tsq {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  /// Lowercase hex of the digest; the object must not be updated afterwards.
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsq
