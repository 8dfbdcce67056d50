// AWS Signature Version 4, the algorithm alone: canonical request, string to
// sign, signing key and signature, and the parse of an Authorization header.
// SigV4Verifier (api/sigv4_verifier.h) applies it to requests.
//
// The steps follow AWS's "Create a signed AWS API request" guide and its
// published test suite (tests/unit/sigv4_test.cpp reproduces the suite's
// vectors). Hashes and MACs are OpenSSL's (EVP SHA-256, HMAC-SHA256).
//
// Pure functions: safe from any thread; throw nothing.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trainyard/status.h"

namespace trainyard::api {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";

std::string Sha256Hex(std::string_view data);
// Raw 32-byte MAC.
std::string HmacSha256(std::string_view key, std::string_view data);
std::string HexEncode(std::string_view bytes);

// RFC 3986 encoding as SigV4 wants it: unreserved characters (A-Z a-z 0-9
// - _ . ~) as they are, every other byte as %XX with upper-case hex; '/'
// kept when `keep_slash`.
std::string SigV4UriEncode(std::string_view text, bool keep_slash);

// The path with empty and "." segments dropped and ".." resolved (a trailing
// slash kept), then encoded with SigV4UriEncode. Services other than S3 sign
// the path as the client sent it on the wire, so a request's still-encoded
// path is encoded a second time here, exactly as botocore does.
std::string CanonicalUri(std::string_view path);

// "b=2&a=1" -> "a=1&b=2": each name and value percent-decoded, re-encoded
// with SigV4UriEncode, then sorted by name and value. A malformed escape is
// kept as literal text.
std::string CanonicalQueryString(std::string_view raw_query);

// A header value with leading and trailing blanks trimmed and each run of
// inner blanks made one space.
std::string CanonicalHeaderValue(std::string_view value);

// What the canonical request covers. Header names are lower-case.
struct SigV4Request {
  std::string_view method;
  std::string_view path;   // as on the wire, without the query
  std::string_view query;  // raw, after '?'
  const std::map<std::string, std::string>* headers = nullptr;  // REQUIRES: not null
  std::vector<std::string> signed_headers;  // lower-case, in the order signed
  std::string payload_hash;                 // lower-case hex SHA-256 of the body
  // True: the query goes in exactly as sent rather than canonicalized -- what
  // curl before 8.x signs.
  bool query_as_sent = false;
};

std::string CanonicalRequest(const SigV4Request& request);

// "20150830/us-east-1/sagemaker/aws4_request"
struct CredentialScope {
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string terminator = "aws4_request";

  std::string ToString() const;
};

std::string StringToSign(std::string_view amz_date, const CredentialScope& scope,
                         std::string_view canonical_request);

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
// "aws4_request"); raw bytes.
std::string SigningKey(std::string_view secret, const CredentialScope& scope);

// Lower-case hex HMAC of the string to sign under the signing key.
std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign);

// The parts of "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/
// aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa0...".
struct SigV4Authorization {
  std::string access_key_id;
  CredentialScope scope;
  std::vector<std::string> signed_headers;  // lower-cased
  std::string signature;
};

// Validation, with AWS's IncompleteSignatureException wording, when the
// header is not of that form.
Result<SigV4Authorization> ParseAuthorization(std::string_view header);

// "20150830T123600Z" <-> epoch seconds (UTC). Parse: nullopt when malformed.
std::optional<int64_t> ParseAmzDate(std::string_view amz_date);
std::string FormatAmzDate(int64_t epoch_seconds);

}  // namespace trainyard::api
