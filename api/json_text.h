// JSON as text, byte for byte as Dump (job_json.h) writes it, for an answer
// too hot to build as an nlohmann::json tree first (Describe, on every
// poll of every client), and the recognition of text Dump wrote, so that a
// stored document can be copied into such an answer rather than parsed and
// written out again.
//
// Dump writes an nlohmann::json: compact, object members in byte order of
// their keys (the tree keeps them in a std::map), numbers in the shortest
// form that reads back the same, strings with only the escapes it needs.
//
// Threading: stateless functions; a writer belongs to one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace trainyard::api {

// Appends one JSON value to a string. It writes the separators, not the
// order: an object's members must come in the order Dump would give them,
// which is byte order of the keys.
class JsonTextWriter {
 public:
  explicit JsonTextWriter(std::string& out) : out_(out) {}

  void BeginObject();
  void EndObject() { out_ += '}'; }
  void BeginArray();
  void EndArray() { out_ += ']'; }
  // REQUIRES: `key` is written by Dump as is, without escapes (every key
  // this project writes, and keys that ReadDumpedObject returns).
  void Key(std::string_view key);
  void String(std::string_view value);
  // The string made of `pieces` joined, without joining them first when
  // none needs escaping.
  void String(std::initializer_list<std::string_view> pieces);
  void Number(double value);
  void Integer(int64_t value);
  // A value that Dump wrote (or that ReadDumpedObject returned).
  void Raw(std::string_view json);

 private:
  void Separate();

  std::string& out_;
};

// One member of an object as text inside the document: the key without its
// quotes, and the value.
struct JsonMember {
  std::string_view key;
  std::string_view value;
};

// True when `text` is a JSON object exactly as Dump writes one, so that
// parsing it and dumping it again gives back the same bytes, with at most
// members.size() members and no escape in any key; then its members, in
// order, are in members[0, *count). False for anything else, including
// valid JSON in another layout: the caller then takes the slow, general
// path. The views point into `text`.
bool ReadDumpedObject(std::string_view text, std::span<JsonMember> members, size_t* count);

}  // namespace trainyard::api
