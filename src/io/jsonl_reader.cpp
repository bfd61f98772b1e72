#include "io/jsonl_reader.h"

#include <cstring>
#include <vector>

#include <simdjson.h>

#include "io/text_scan.h"

namespace tsq {
namespace {

namespace od = simdjson::ondemand;

static_assert(kTextPadding >= simdjson::SIMDJSON_PADDING,
              "text buffers must carry simdjson's padding");

constexpr int kMaxDepth = static_cast<int>(simdjson::DEFAULT_MAX_DEPTH);

std::string_view TrimJsonSpace(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// On-demand parsing validates only what it reads, so values nobody reads (unknown keys, nested
// containers) are walked here: the line must be valid JSON throughout.
bool Validate(od::value value, int depth) {
  if (depth > kMaxDepth) return false;
  od::json_type type;
  if (value.type().get(type)) return false;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (value.get_object().get(object)) return false;
      for (auto field : object) {
        std::string_view key;
        od::value member;
        if (field.unescaped_key().get(key) || field.value().get(member)) return false;
        if (!Validate(member, depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::array: {
      od::array array;
      if (value.get_array().get(array)) return false;
      for (auto element : array) {
        od::value item;
        if (std::move(element).get(item)) return false;
        if (!Validate(item, depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::string: {
      std::string_view s;
      return !value.get_string().get(s);
    }
    case od::json_type::number:
      return IsJsonNumber(TrimJsonSpace(value.raw_json_token()));
    case od::json_type::boolean: {
      bool b;
      return !value.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      return !value.is_null().get(is_null) && is_null;
    }
  }
  return false;
}

}  // namespace

struct JsonlParser::Impl {
  od::parser parser;
  std::vector<JsonMember> members;
};

JsonlParser::JsonlParser() : impl_(std::make_unique<Impl>()) {}
JsonlParser::~JsonlParser() = default;

std::span<const JsonMember> JsonlParser::members() const { return impl_->members; }

bool JsonlParser::Parse(std::string_view line, size_t readable) {
  std::vector<JsonMember>& members = impl_->members;
  members.clear();
  od::document doc;
  if (impl_->parser.iterate(line.data(), line.size(), readable).get(doc)) return false;
  od::object object;
  if (doc.get_object().get(object)) return false;
  for (auto field : object) {
    JsonMember m;
    od::value value;
    if (field.unescaped_key().get(m.key) || field.value().get(value)) return false;
    od::json_type type;
    if (value.type().get(type)) return false;
    switch (type) {
      case od::json_type::string:
        m.kind = JsonKind::kString;
        if (value.get_string().get(m.value)) return false;
        break;
      case od::json_type::number:
        m.kind = JsonKind::kNumber;
        m.value = TrimJsonSpace(value.raw_json_token());
        if (!IsJsonNumber(m.value)) return false;
        break;
      case od::json_type::boolean: {
        m.kind = JsonKind::kBool;
        bool b = false;
        if (value.get_bool().get(b)) return false;
        m.value = b ? "true" : "false";
        break;
      }
      case od::json_type::null: {
        m.kind = JsonKind::kNull;
        bool is_null = false;
        if (value.is_null().get(is_null) || !is_null) return false;
        break;
      }
      case od::json_type::object:
      case od::json_type::array:
        m.kind = type == od::json_type::object ? JsonKind::kObject : JsonKind::kArray;
        if (!Validate(value, 1)) return false;
        break;
    }
    members.push_back(m);
  }
  // Only the end of the document may follow the object (3.0 has no document::at_end()).
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

bool JsonLines::Next(std::string_view* line, uint64_t* number) {
  while (pos_ < text_.size()) {
    const char* begin = text_.data() + pos_;
    const auto* nl = static_cast<const char*>(std::memchr(begin, '\n', text_.size() - pos_));
    const size_t len = nl == nullptr ? text_.size() - pos_ : static_cast<size_t>(nl - begin);
    pos_ += len + (nl != nullptr);
    const uint64_t this_line = line_;
    line_ += nl != nullptr;
    for (size_t i = 0; i < len; ++i) {
      const char c = begin[i];
      if (c != ' ' && c != '\t' && c != '\r') {
        *line = std::string_view(begin, len);
        *number = this_line;
        return true;
      }
    }
  }
  return false;
}

bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  auto digit = [&](size_t k) { return k < n && s[k] >= '0' && s[k] <= '9'; };
  if (i < n && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == n;
}

}  // namespace tsq
