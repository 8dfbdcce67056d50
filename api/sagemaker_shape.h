// A small model of SageMaker's request shapes (botocore's service-2.json:
// structure, list, map, string, integer, long, boolean) and one generic
// validator over it. The validator enforces what the model states -- member
// names at every level, required members, JSON types, lengths, counts, integer
// ranges, enums and patterns -- so that members trainyard does not use are
// still checked the way SageMaker checks them, and a typo never passes.
//
// Shapes are constexpr tables (api/sagemaker_members.cpp); the validator is a
// pure function, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "trainyard/status.h"

namespace trainyard::api {

enum class ShapeType { kStructure, kList, kMap, kString, kInteger, kLong, kBoolean };

struct Shape;

struct ShapeMember {
  constexpr ShapeMember(std::string_view name, const Shape* shape, bool required = false,
                        std::string_view unsupported = {})
      : name(name), shape(shape), required(required), unsupported(unsupported) {}

  std::string_view name;
  const Shape* shape = nullptr;
  bool required = false;
  // Non-empty: SageMaker defines the member but trainyard cannot honour it;
  // its presence is rejected with this explanation.
  std::string_view unsupported;
};

// Returns true when the whole string satisfies the pattern.
using PatternCheck = bool (*)(std::string_view);

struct Shape {
  ShapeType type = ShapeType::kString;
  // Strings: length in characters. Lists and maps: entries. Integers: value.
  std::optional<int64_t> min;
  std::optional<int64_t> max;
  std::span<const std::string_view> enum_values;  // strings only; empty: any
  PatternCheck pattern = nullptr;                 // strings only
  std::string_view pattern_text;                  // the pattern, for messages
  std::span<const ShapeMember> members;           // structures
  const Shape* element = nullptr;                 // list member, map value
  const Shape* key = nullptr;                     // map key
};

// Builders for shape tables, in their own namespace because their names are
// generic. Not designated initializers: each sets only what the model
// states, and -Wextra stays quiet about the rest.
namespace shapes {

constexpr Shape String(std::optional<int64_t> min, std::optional<int64_t> max,
                       PatternCheck pattern = nullptr, std::string_view pattern_text = {}) {
  Shape s;
  s.type = ShapeType::kString;
  s.min = min;
  s.max = max;
  s.pattern = pattern;
  s.pattern_text = pattern_text;
  return s;
}
constexpr Shape Enum(std::span<const std::string_view> values) {
  Shape s;
  s.type = ShapeType::kString;
  s.enum_values = values;
  return s;
}
constexpr Shape Integer(std::optional<int64_t> min, std::optional<int64_t> max) {
  Shape s;
  s.type = ShapeType::kInteger;
  s.min = min;
  s.max = max;
  return s;
}
constexpr Shape Long() {
  Shape s;
  s.type = ShapeType::kLong;
  return s;
}
constexpr Shape Boolean() {
  Shape s;
  s.type = ShapeType::kBoolean;
  return s;
}
constexpr Shape Structure(std::span<const ShapeMember> members) {
  Shape s;
  s.type = ShapeType::kStructure;
  s.members = members;
  return s;
}
constexpr Shape List(const Shape* element, std::optional<int64_t> min, std::optional<int64_t> max) {
  Shape s;
  s.type = ShapeType::kList;
  s.min = min;
  s.max = max;
  s.element = element;
  return s;
}
constexpr Shape Map(const Shape* key, const Shape* value, std::optional<int64_t> max) {
  Shape s;
  s.type = ShapeType::kMap;
  s.max = max;
  s.element = value;
  s.key = key;
  return s;
}

}  // namespace shapes

// Checks `value` against `shape`. `path` names `value` in messages
// ("ResourceConfig", "InputDataConfig[1]"); empty for the request itself.
// Returns the first error in a fixed order: at each structure, unknown and
// unsupported members (in key order), then each declared member in model order
// (required first, then its contents).
Status ValidateShape(const nlohmann::json& value, const Shape& shape, const std::string& path);

// Path helpers: "A" + "B" -> "A.B"; "A" + 2 -> "A[2]".
std::string MemberPath(const std::string& parent, std::string_view member);
std::string IndexPath(const std::string& parent, size_t index);

// A user-supplied string made safe to put in a message: at most
// `max_chars` characters (cut on a character boundary, "..." appended),
// invalid UTF-8 and control characters replaced.
std::string Printable(std::string_view text, size_t max_chars = 64);

// Length in Unicode code points, as SageMaker counts string lengths.
// REQUIRES: valid UTF-8 (nlohmann's parser guarantees it for parsed strings).
size_t CharacterCount(std::string_view utf8);

// "a string", "an integer", "null", ... for "(got ...)" in type errors.
std::string_view JsonTypeName(const nlohmann::json& value);

}  // namespace trainyard::api
