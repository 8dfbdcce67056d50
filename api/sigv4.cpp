#include "api/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "api/query_string.h"

namespace trainyard::api {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

bool IsAllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

std::string SigV4UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string CanonicalUri(std::string_view path) {
  std::vector<std::string_view> kept;
  for (std::string_view segment : Split(path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  std::string normalized;
  for (std::string_view segment : kept) {
    normalized += '/';
    normalized += segment;
  }
  if (normalized.empty()) return "/";
  if (path.back() == '/') normalized += '/';
  return SigV4UriEncode(normalized, /*keep_slash=*/true);
}

std::string CanonicalQueryString(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::string_view piece : Split(raw_query, '&')) {
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    std::string_view name = piece.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    auto encode = [](std::string_view raw) {
      auto decoded = PercentDecode(raw, /*plus_is_space=*/false);
      return SigV4UriEncode(decoded ? *decoded : std::string(raw), /*keep_slash=*/false);
    };
    pairs.emplace_back(encode(name), encode(value));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool in_blank = false;
  for (char c : Trim(value)) {
    if (IsBlank(c)) {
      in_blank = true;
      continue;
    }
    if (in_blank) out.push_back(' ');
    in_blank = false;
    out.push_back(c);
  }
  return out;
}

std::string CanonicalRequest(const SigV4Request& request) {
  std::string out;
  out += request.method;
  out += '\n';
  out += CanonicalUri(request.path);
  out += '\n';
  out += request.query_as_sent ? std::string(request.query) : CanonicalQueryString(request.query);
  out += '\n';
  std::string names;
  for (const std::string& name : request.signed_headers) {
    auto it = request.headers->find(name);
    out += name + ":" + CanonicalHeaderValue(it == request.headers->end() ? "" : it->second) + "\n";
    names += (names.empty() ? "" : ";") + name;
  }
  out += '\n';
  out += names;
  out += '\n';
  out += request.payload_hash;
  return out;
}

std::string CredentialScope::ToString() const {
  return date + "/" + region + "/" + service + "/" + terminator;
}

std::string StringToSign(std::string_view amz_date, const CredentialScope& scope,
                         std::string_view canonical_request) {
  return std::string(kSigV4Algorithm) + "\n" + std::string(amz_date) + "\n" + scope.ToString() +
         "\n" + Sha256Hex(canonical_request);
}

std::string SigningKey(std::string_view secret, const CredentialScope& scope) {
  std::string key = HmacSha256("AWS4" + std::string(secret), scope.date);
  key = HmacSha256(key, scope.region);
  key = HmacSha256(key, scope.service);
  return HmacSha256(key, "aws4_request");
}

std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(signing_key, string_to_sign));
}

Result<SigV4Authorization> ParseAuthorization(std::string_view header) {
  header = Trim(header);
  size_t space = header.find(' ');
  std::string_view algorithm = header.substr(0, space);
  if (algorithm != kSigV4Algorithm) {
    return Status::Validation("Unsupported AWS 'algorithm': '" + std::string(algorithm) +
                              "'; trainyard verifies " + std::string(kSigV4Algorithm));
  }
  std::string_view credential, signed_headers, signature;
  bool has_credential = false, has_signed_headers = false, has_signature = false;
  std::string_view rest = space == std::string_view::npos ? "" : header.substr(space + 1);
  for (std::string_view part : Split(rest, ',')) {
    part = Trim(part);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = part.substr(0, eq);
    std::string_view value = Trim(part.substr(eq + 1));
    if (name == "Credential") credential = value, has_credential = true;
    if (name == "SignedHeaders") signed_headers = value, has_signed_headers = true;
    if (name == "Signature") signature = value, has_signature = true;
  }
  std::string missing;
  if (!has_credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!has_signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (!has_signed_headers) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!missing.empty()) return Status::Validation(missing + "Authorization=" + std::string(header));

  std::vector<std::string_view> scope = Split(credential, '/');
  if (scope.size() != 5) {
    return Status::Validation(
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/term, got '" + std::string(credential) + "'");
  }
  SigV4Authorization out;
  out.access_key_id = std::string(scope[0]);
  out.scope = {std::string(scope[1]), std::string(scope[2]), std::string(scope[3]),
               std::string(scope[4])};
  for (std::string_view name : Split(signed_headers, ';')) {
    if (!name.empty()) out.signed_headers.push_back(Lower(name));
  }
  if (out.signed_headers.empty()) {
    return Status::Validation("Authorization header has an empty 'SignedHeaders' parameter. "
                              "Authorization=" + std::string(header));
  }
  out.signature = std::string(signature);
  return out;
}

std::optional<int64_t> ParseAmzDate(std::string_view d) {
  // YYYYMMDD'T'HHMMSS'Z', the ISO 8601 basic format SigV4 uses.
  if (d.size() != 16 || d[8] != 'T' || d[15] != 'Z') return std::nullopt;
  if (!IsAllDigits(d.substr(0, 8)) || !IsAllDigits(d.substr(9, 6))) return std::nullopt;
  std::tm tm{};
  tm.tm_year = ToInt(d.substr(0, 4)) - 1900;
  tm.tm_mon = ToInt(d.substr(4, 2)) - 1;
  tm.tm_mday = ToInt(d.substr(6, 2));
  tm.tm_hour = ToInt(d.substr(9, 2));
  tm.tm_min = ToInt(d.substr(11, 2));
  tm.tm_sec = ToInt(d.substr(13, 2));
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return std::nullopt;
  }
  return static_cast<int64_t>(timegm(&tm));
}

std::string FormatAmzDate(int64_t epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
  return buffer;
}

}  // namespace trainyard::api
