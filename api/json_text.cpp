#include "api/json_text.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace trainyard::api {
namespace {

// Dump's setting for strings that are not valid UTF-8 (job_json.cpp).
std::string DumpString(std::string_view value) {
  return nlohmann::json(std::string(value)).dump(-1, ' ', false,
                                                 nlohmann::json::error_handler_t::replace);
}

// Printable ASCII other than the two characters JSON escapes: Dump writes
// such a string between quotes unchanged. Anything else (controls, UTF-8,
// invalid bytes) goes through nlohmann's own writer.
bool IsPlain(std::string_view value) {
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

// Reads text that Dump may have written, refusing at the first byte that
// Dump would not have written there. Parsing and dumping again would
// change such text (reorder members, drop a duplicate, reformat a number
// or an escape), or parsing would fail, so the caller must not copy it.
class DumpedTextReader {
 public:
  explicit DumpedTextReader(std::string_view text)
      : p_(text.data()), end_(text.data() + text.size()) {}

  bool AtEnd() const { return p_ == end_; }

  // The top-level object, its members recorded in `members`.
  bool TopObject(std::span<JsonMember> members, size_t* count) {
    *count = 0;
    return Object(0, members, count);
  }

 private:
  // Deeper documents are valid, just not worth the recursion here.
  static constexpr int kMaxDepth = 64;

  bool Peek(char c) const { return p_ != end_ && *p_ == c; }

  bool Value(int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': {
        size_t unused = 0;
        return Object(depth + 1, {}, &unused);
      }
      case '[': return Array(depth + 1);
      case '"': {
        std::string_view unused;
        return String(&unused);
      }
      case 't': return Literal("true");
      case 'f': return Literal("false");
      case 'n': return Literal("null");
      default: return Number();
    }
  }

  // With `members` empty nothing is recorded (a nested object).
  bool Object(int depth, std::span<JsonMember> members, size_t* count) {
    if (depth > kMaxDepth || !Peek('{')) return false;
    ++p_;
    if (Peek('}')) {
      ++p_;
      return true;
    }
    std::string_view previous;
    for (bool first = true;; first = false) {
      std::string_view key;
      if (!Peek('"') || !String(&key)) return false;
      // Keys compare as their bytes only without escapes; and the tree
      // keeps keys sorted and unique, so a key out of order would move.
      if (key.find('\\') != std::string_view::npos) return false;
      if (!first && !(previous < key)) return false;
      previous = key;
      if (!Peek(':')) return false;
      ++p_;
      const char* value_start = p_;
      if (!Value(depth)) return false;
      if (depth == 0) {
        if (*count == members.size()) return false;
        members[(*count)++] = {key, std::string_view(value_start, p_ - value_start)};
      }
      if (Peek(',')) {
        ++p_;
        continue;
      }
      if (!Peek('}')) return false;
      ++p_;
      return true;
    }
  }

  bool Array(int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;  // '['
    if (Peek(']')) {
      ++p_;
      return true;
    }
    for (;;) {
      if (!Value(depth)) return false;
      if (Peek(',')) {
        ++p_;
        continue;
      }
      if (!Peek(']')) return false;
      ++p_;
      return true;
    }
  }

  // `contents` is the text between the quotes, escapes and all.
  bool String(std::string_view* contents) {
    const char* start = ++p_;  // past '"'
    while (p_ != end_) {
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        *contents = std::string_view(start, p_ - start);
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (!Escape()) return false;
      } else if (c < 0x80) {
        ++p_;
      } else if (!Utf8Sequence()) {
        return false;
      }
    }
    return false;
  }

  // Dump escapes the quote, the backslash, the five controls with a short
  // form, and the other controls as \u00xx in lower case; nothing else.
  bool Escape() {
    if (end_ - p_ < 2) return false;
    switch (p_[1]) {
      case '"': case '\\': case 'b': case 'f': case 'n': case 'r': case 't':
        p_ += 2;
        return true;
      case 'u': break;
      default: return false;
    }
    if (end_ - p_ < 6 || p_[2] != '0' || p_[3] != '0') return false;
    auto hex = [](char h) -> int {
      if (h >= '0' && h <= '9') return h - '0';
      if (h >= 'a' && h <= 'f') return h - 'a' + 10;
      return -1;
    };
    int high = hex(p_[4]);
    int low = hex(p_[5]);
    if (high < 0 || high > 1 || low < 0) return false;
    int code = high * 16 + low;
    if (code == '\b' || code == '\t' || code == '\n' || code == '\f' || code == '\r') return false;
    p_ += 6;
    return true;
  }

  // One well-formed UTF-8 sequence (Unicode table 3-7), which Dump copies;
  // it replaces anything else.
  bool Utf8Sequence() {
    auto byte = [&](ptrdiff_t i) { return static_cast<unsigned char>(p_[i]); };
    unsigned char lead = byte(0);
    int length = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) lo = 0xa0;
      if (lead == 0xed) hi = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) lo = 0x90;
      if (lead == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (end_ - p_ < length) return false;
    if (byte(1) < lo || byte(1) > hi) return false;
    for (int i = 2; i < length; ++i) {
      if (byte(i) < 0x80 || byte(i) > 0xbf) return false;
    }
    p_ += length;
    return true;
  }

  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  bool Digits() {
    const char* start = p_;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ != start;
  }

  bool Number() {
    const char* start = p_;
    if (Peek('-')) ++p_;
    if (Peek('0')) {
      ++p_;
    } else if (p_ == end_ || *p_ < '1' || *p_ > '9' || !Digits()) {
      return false;
    }
    bool integer = true;
    if (Peek('.')) {
      integer = false;
      ++p_;
      if (!Digits()) return false;
    }
    if (Peek('e') || Peek('E')) {
      integer = false;
      ++p_;
      if (Peek('+') || Peek('-')) ++p_;
      if (!Digits()) return false;
    }
    std::string_view token(start, p_ - start);
    if (integer) {
      // Kept as a 64-bit integer and written back as read, except -0
      // (written 0) and those too long for 64 bits (read as a double).
      size_t digits = token.size() - (token.front() == '-' ? 1 : 0);
      return digits <= 18 && token != "-0";
    }
    double value = 0;
    auto [end, error] = std::from_chars(start, p_, value);
    if (error != std::errc() || end != p_ || !std::isfinite(value)) return false;
    // A double is written in the shortest form that reads back the same:
    // "1.50" or "1E5" would come back as "1.5" and "100000.0".
    char written[64];
    char* written_end = nlohmann::detail::to_chars(written, written + sizeof written, value);
    return std::string_view(written, written_end - written) == token;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

void JsonTextWriter::Separate() {
  if (out_.empty()) return;
  char last = out_.back();
  if (last != '{' && last != '[' && last != ':') out_ += ',';
}

void JsonTextWriter::BeginObject() {
  Separate();
  out_ += '{';
}

void JsonTextWriter::BeginArray() {
  Separate();
  out_ += '[';
}

void JsonTextWriter::Key(std::string_view key) {
  Separate();
  out_ += '"';
  out_ += key;
  out_ += "\":";
}

void JsonTextWriter::String(std::string_view value) { String({value}); }

void JsonTextWriter::String(std::initializer_list<std::string_view> pieces) {
  Separate();
  bool plain = true;
  for (std::string_view piece : pieces) plain = plain && IsPlain(piece);
  if (plain) {
    out_ += '"';
    for (std::string_view piece : pieces) out_ += piece;
    out_ += '"';
    return;
  }
  // Joined first: a replaced invalid sequence may depend on what follows it.
  std::string joined;
  for (std::string_view piece : pieces) joined += piece;
  out_ += DumpString(joined);
}

void JsonTextWriter::Number(double value) {
  Separate();
  if (!std::isfinite(value)) {
    out_ += "null";  // as Dump writes NaN and the infinities
    return;
  }
  char text[64];
  char* end = nlohmann::detail::to_chars(text, text + sizeof text, value);
  out_.append(text, static_cast<size_t>(end - text));
}

void JsonTextWriter::Integer(int64_t value) {
  Separate();
  char text[24];
  auto [end, error] = std::to_chars(text, text + sizeof text, value);
  out_.append(text, static_cast<size_t>(end - text));
}

void JsonTextWriter::Raw(std::string_view json) {
  Separate();
  out_ += json;
}

bool ReadDumpedObject(std::string_view text, std::span<JsonMember> members, size_t* count) {
  DumpedTextReader reader(text);
  return reader.TopObject(members, count) && reader.AtEnd();
}

}  // namespace trainyard::api
