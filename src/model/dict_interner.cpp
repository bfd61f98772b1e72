#include "model/dict_interner.h"

#include <cstring>

namespace tsq {
uint64_t DictInterner::HashLong(const char* p, size_t n) {
  // FNV-1a over 8-byte words; equality is settled against the stored copy.
  uint64_t h = 0xCBF29CE484222325ull;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) h = (h ^ Load8(p + i)) * 0x100000001B3ull;
  return (h ^ LoadShort(p + i, n - i)) * 0x100000001B3ull;
}

uint32_t DictInterner::Lookup(std::string_view s, const Key& k, size_t start) {
  const size_t mask = slots_.size() - 1;
  for (size_t i = start;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.id == kMissingId) {
      const uint32_t id = dict_->Intern(s);
      slot.a = k.a;
      slot.len = k.len;
      slot.id = id;
      if (k.len <= kInline) {
        slot.b = k.b;
      } else {
        slot.b = long_keys_.size();
        long_keys_.append(s);
      }
      if (++used_ * 2 > slots_.size())
        Grow();  // at most half full: most keys sit in their home slot
      return id;
    }
    if (slot.a != k.a || slot.len != k.len) continue;
    if (k.len <= kInline ? slot.b == k.b
                         : std::memcmp(long_keys_.data() + slot.b, s.data(), s.size()) == 0) {
      return slot.id;
    }
  }
}

void DictInterner::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id == kMissingId) continue;
    // Long keys rehash from their stored hash (in `a`), which is all Hash() reads of them.
    Key k{s.a, s.len <= kInline ? s.b : 0, s.len};
    size_t i = Hash(k) & mask;
    while (slots_[i].id != kMissingId) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace tsq
