#include "api/sagemaker_shape.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <vector>

namespace trainyard::api {
namespace {

using nlohmann::json;

// Messages name the request itself when the path is empty.
std::string Subject(const std::string& path) {
  return path.empty() ? std::string("The request body") : path;
}

Status TypeError(const std::string& path, std::string_view expected, const json& got) {
  return Status::Validation(Subject(path) + " must be " + std::string(expected) + " (got " +
                            std::string(JsonTypeName(got)) + ")");
}

// "1 item", "2 items", "2 entries".
std::string Plural(int64_t n, std::string_view unit) {
  std::string word(unit);
  if (n != 1) word = word.ends_with('y') ? word.substr(0, word.size() - 1) + "ies" : word + "s";
  return std::to_string(n) + " " + word;
}

// Case-insensitive edit distance, to suggest the member a typo meant.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

Status UnknownMember(const Shape& shape, const std::string& path, const std::string& key) {
  std::string message = "Unknown member '" + MemberPath(path, Printable(key, 128)) + "'";
  const ShapeMember* closest = nullptr;
  size_t best = 3;  // suggest only near misses
  for (const ShapeMember& member : shape.members) {
    size_t distance = EditDistance(key, member.name);
    if (distance <= best) {
      best = distance;
      closest = &member;
    }
  }
  if (closest != nullptr) {
    message += "; did you mean '" + MemberPath(path, closest->name) + "'?";
  } else {
    message += "; " + (path.empty() ? std::string("the request") : path) + " accepts ";
    for (size_t i = 0; i < shape.members.size(); ++i) {
      message += (i ? ", " : "") + std::string(shape.members[i].name);
    }
  }
  return Status::Validation(message);
}

Status ValidateStructure(const json& value, const Shape& shape, const std::string& path) {
  if (!value.is_object()) return TypeError(path, "an object", value);
  // Unknown members first, so a misspelt optional member is reported as the
  // typo it is rather than silently ignored.
  for (const auto& [key, unused] : value.items()) {
    auto it = std::find_if(shape.members.begin(), shape.members.end(),
                           [&](const ShapeMember& m) { return m.name == key; });
    if (it == shape.members.end()) return UnknownMember(shape, path, key);
    if (!it->unsupported.empty()) {
      return Status::Validation(MemberPath(path, it->name) + " is not supported by trainyard: " +
                                std::string(it->unsupported));
    }
  }
  for (const ShapeMember& member : shape.members) {
    std::string member_path = MemberPath(path, member.name);
    auto it = value.find(member.name);
    if (it == value.end()) {
      if (member.required) return Status::Validation(member_path + " is required");
      continue;
    }
    if (Status s = ValidateShape(*it, *member.shape, member_path); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ValidateCount(size_t count, const Shape& shape, const std::string& path,
                     std::string_view unit) {
  auto n = static_cast<int64_t>(count);
  if (shape.min && n < *shape.min) {
    return Status::Validation(Subject(path) + " must have at least " + Plural(*shape.min, unit) +
                              " (got " + std::to_string(n) + ")");
  }
  if (shape.max && n > *shape.max) {
    return Status::Validation(Subject(path) + " must have at most " + Plural(*shape.max, unit) +
                              " (got " + std::to_string(n) + ")");
  }
  return Status::Ok();
}

Status ValidateList(const json& value, const Shape& shape, const std::string& path) {
  if (!value.is_array()) return TypeError(path, "an array", value);
  if (Status s = ValidateCount(value.size(), shape, path, "item"); !s.ok()) return s;
  for (size_t i = 0; i < value.size(); ++i) {
    if (Status s = ValidateShape(value[i], *shape.element, IndexPath(path, i)); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ValidateString(const json& value, const Shape& shape, const std::string& path);

Status ValidateMap(const json& value, const Shape& shape, const std::string& path) {
  if (!value.is_object()) return TypeError(path, "an object mapping names to values", value);
  if (Status s = ValidateCount(value.size(), shape, path, "entry"); !s.ok()) return s;
  for (const auto& [key, entry] : value.items()) {
    std::string entry_path = MemberPath(path, Printable(key, 64));
    if (Status s = ValidateString(json(key), *shape.key, entry_path + " (the key)"); !s.ok()) {
      return s;
    }
    if (Status s = ValidateShape(entry, *shape.element, entry_path); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ValidateString(const json& value, const Shape& shape, const std::string& path) {
  if (!value.is_string()) return TypeError(path, "a string", value);
  const auto& text = value.get_ref<const std::string&>();
  if (!shape.enum_values.empty()) {
    if (std::find(shape.enum_values.begin(), shape.enum_values.end(), text) !=
        shape.enum_values.end()) {
      return Status::Ok();
    }
    std::string allowed;
    for (size_t i = 0; i < shape.enum_values.size(); ++i) {
      allowed += (i ? ", " : "") + std::string(shape.enum_values[i]);
    }
    return Status::Validation(Subject(path) + " must be one of " + allowed + " (got '" +
                              Printable(text) + "')");
  }
  auto length = static_cast<int64_t>(CharacterCount(text));
  if (shape.min && length < *shape.min) {
    if (length == 0) return Status::Validation(Subject(path) + " must not be empty");
    return Status::Validation(Subject(path) + " must be at least " +
                              Plural(*shape.min, "character") + " long (got " +
                              std::to_string(length) + ")");
  }
  if (shape.max && length > *shape.max) {
    return Status::Validation(Subject(path) + " must be at most " +
                              Plural(*shape.max, "character") + " long (got " +
                              std::to_string(length) + ")");
  }
  if (shape.pattern != nullptr && !shape.pattern(text)) {
    return Status::Validation(Subject(path) + " must match the pattern " +
                              std::string(shape.pattern_text) + " (got '" + Printable(text) + "')");
  }
  return Status::Ok();
}

Status ValidateInteger(const json& value, const Shape& shape, const std::string& path) {
  if (!value.is_number_integer()) return TypeError(path, "an integer", value);
  // botocore's integer is 32-bit, long 64-bit: the model's bounds are clamped
  // to what the type holds, so an overflowing value gets a range message.
  bool is_int32 = shape.type == ShapeType::kInteger;
  int64_t lo = shape.min.value_or(is_int32 ? std::numeric_limits<int32_t>::min()
                                           : std::numeric_limits<int64_t>::min());
  int64_t hi = shape.max.value_or(is_int32 ? std::numeric_limits<int32_t>::max()
                                           : std::numeric_limits<int64_t>::max());
  // nlohmann stores every non-negative literal as unsigned; only those beyond
  // int64 need care.
  if (value.is_number_unsigned() &&
      value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Status::Validation(Subject(path) + " must be <= " + std::to_string(hi) + " (got " +
                              std::to_string(value.get<uint64_t>()) + ")");
  }
  auto n = value.get<int64_t>();
  if (n < lo) {
    return Status::Validation(Subject(path) + " must be >= " + std::to_string(lo) + " (got " +
                              std::to_string(n) + ")");
  }
  if (n > hi) {
    return Status::Validation(Subject(path) + " must be <= " + std::to_string(hi) + " (got " +
                              std::to_string(n) + ")");
  }
  return Status::Ok();
}

// The length of the UTF-8 sequence starting at text[i] if it is well formed
// (RFC 3629: no overlongs, no surrogates, <= U+10FFFF), else 0.
size_t ValidSequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

Status ValidateShape(const json& value, const Shape& shape, const std::string& path) {
  switch (shape.type) {
    case ShapeType::kStructure: return ValidateStructure(value, shape, path);
    case ShapeType::kList: return ValidateList(value, shape, path);
    case ShapeType::kMap: return ValidateMap(value, shape, path);
    case ShapeType::kString: return ValidateString(value, shape, path);
    case ShapeType::kInteger:
    case ShapeType::kLong: return ValidateInteger(value, shape, path);
    case ShapeType::kBoolean:
      if (!value.is_boolean()) return TypeError(path, "a boolean (true or false)", value);
      return Status::Ok();
  }
  return Status::Internal("unhandled shape type");
}

std::string MemberPath(const std::string& parent, std::string_view member) {
  if (parent.empty()) return std::string(member);
  return parent + "." + std::string(member);
}

std::string IndexPath(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string Printable(std::string_view text, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < text.size();) {
    if (chars == max_chars) {
      out += "...";
      break;
    }
    size_t length = ValidSequenceLength(text, i);
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (length == 0 || (length == 1 && (c < 0x20 || c == 0x7F))) {
      out += '?';
      i += 1;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
    ++chars;
  }
  return out;
}

size_t CharacterCount(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string_view JsonTypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number with a fraction or exponent";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}

}  // namespace trainyard::api
