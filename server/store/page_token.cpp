#include "server/store/page_token.h"

#include <openssl/evp.h>

#include <bit>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace trainyard::store {
namespace {

constexpr int kTokenVersion = 1;
// A real token is under 200 characters; refusing long ones up front keeps a
// hostile query string from costing a large decode.
constexpr size_t kMaxTokenSize = 1024;

Status InvalidToken(std::string_view why) {
  return Status::Validation("Invalid NextToken: " + std::string(why));
}

// FNV-1a, 64-bit: stable across builds and platforms, unlike std::hash. The
// fingerprint guards against mistakes, not forgery: a forged cursor can only
// start a listing at another position.
uint64_t Fnv1a(std::string_view data) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

void AppendText(std::string& out, std::string_view text) {
  // Length-prefixed, so no choice of text can imitate a different field list.
  out += std::to_string(text.size());
  out += ':';
  out += text;
  out += '|';
}

void AppendDouble(std::string& out, const std::optional<double>& value) {
  if (!value) {
    out += "-|";
    return;
  }
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%016llx|",
                static_cast<unsigned long long>(std::bit_cast<uint64_t>(*value)));
  out += buffer;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string padded;
  padded.reserve(text.size() + 3);
  for (char c : text) {
    // Only the URL alphabet: EVP_DecodeBlock would also skip whitespace and
    // accept '+' and '/', and two spellings of one token help nobody.
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return std::nullopt;
    padded += c == '-' ? '+' : c == '_' ? '/' : c;
  }
  if (padded.size() % 4 == 1) return std::nullopt;
  size_t padding = (4 - padded.size() % 4) % 4;
  padded.append(padding, '=');
  std::string out(padded.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(padded.data()),
                          static_cast<int>(padded.size()));
  // EVP_DecodeBlock counts the zero bytes that stand for the padding.
  if (n < 0 || static_cast<size_t>(n) < padding) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace

std::string QueryFingerprint(const JobQuery& query) {
  std::string canonical = "jobs/v1|";
  AppendText(canonical, query.status_equals ? ToString(*query.status_equals) : "");
  AppendText(canonical, query.name_contains);
  AppendDouble(canonical, query.creation_time_after);
  AppendDouble(canonical, query.creation_time_before);
  AppendDouble(canonical, query.last_modified_time_after);
  AppendDouble(canonical, query.last_modified_time_before);
  canonical += std::to_string(static_cast<int>(query.sort_by));
  canonical += '|';
  canonical += std::to_string(static_cast<int>(query.sort_order));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(Fnv1a(canonical)));
  return hex;
}

std::string EncodePageToken(const JobQuery& query, const JobSummary& last, int64_t seq) {
  nlohmann::json token = {{"v", kTokenVersion}, {"f", QueryFingerprint(query)}, {"s", seq}};
  switch (query.sort_by) {
    case JobSortBy::kName:
      token["k"] = last.name;
      break;
    case JobSortBy::kStatus:
      token["k"] = ToString(last.status);
      break;
    case JobSortBy::kCreationTime:
      token["k"] = last.creation_time;
      break;
  }
  // Names are ASCII by validation; `replace` only makes sure a stray byte
  // could never turn into an exception here.
  return Base64UrlEncode(token.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Result<PageCursor> DecodePageToken(const JobQuery& query) {
  const std::string& text = query.next_token;
  if (text.size() > kMaxTokenSize) return InvalidToken("it is too long");
  std::optional<std::string> json_text = Base64UrlDecode(text);
  if (!json_text) return InvalidToken("it is not a token this service issued");
  nlohmann::json token = nlohmann::json::parse(*json_text, nullptr, /*allow_exceptions=*/false);
  if (token.is_discarded() || !token.is_object()) {
    return InvalidToken("it is not a token this service issued");
  }
  auto v = token.find("v");
  auto f = token.find("f");
  auto k = token.find("k");
  auto s = token.find("s");
  if (v == token.end() || !v->is_number_integer() || *v != kTokenVersion ||
      f == token.end() || !f->is_string() || s == token.end() || !s->is_number_integer() ||
      k == token.end()) {
    return InvalidToken("it is not a token this service issued");
  }
  if (f->get<std::string>() != QueryFingerprint(query)) {
    return InvalidToken(
        "it was issued for a different query; keep the filters, SortBy and SortOrder of the "
        "request that returned it");
  }
  PageCursor cursor;
  cursor.seq = s->get<int64_t>();
  if (query.sort_by == JobSortBy::kCreationTime) {
    if (!k->is_number()) return InvalidToken("it is not a token this service issued");
    cursor.number = k->get<double>();
  } else {
    if (!k->is_string()) return InvalidToken("it is not a token this service issued");
    cursor.text = k->get<std::string>();
  }
  return cursor;
}

}  // namespace trainyard::store
