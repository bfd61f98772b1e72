#include "core/string_dictionary.h"

#include <cassert>

namespace tsq {

uint32_t StringDictionary::Intern(std::string_view s) {
  {
    std::shared_lock lock(mutex_);
    auto it = ids_.find(s);
    if (it != ids_.end()) return it->second;
  }
  std::unique_lock lock(mutex_);
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(strings_.back(), id);
  return id;
}

uint32_t StringDictionary::Find(std::string_view s) const {
  std::shared_lock lock(mutex_);
  auto it = ids_.find(s);
  return it == ids_.end() ? kMissingId : it->second;
}

std::string_view StringDictionary::Get(uint32_t id) const {
  std::shared_lock lock(mutex_);
  assert(id < strings_.size());
  return strings_[id];
}

size_t StringDictionary::size() const {
  std::shared_lock lock(mutex_);
  return strings_.size();
}

}  // namespace tsq
