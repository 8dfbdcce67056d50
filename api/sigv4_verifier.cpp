#include "api/sigv4_verifier.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "api/aws_json_protocol.h"
#include "api/errors.h"

namespace trainyard::api {
namespace {

constexpr std::string_view kMissing = "MissingAuthenticationTokenException";
constexpr std::string_view kIncomplete = "IncompleteSignatureException";
constexpr std::string_view kUnrecognized = "UnrecognizedClientException";
constexpr std::string_view kInvalid = "InvalidSignatureException";

constexpr std::string_view kUnrecognizedMessage = "The security token included in the request is invalid.";

AuthFailure Fail(std::string_view type, std::string message) {
  return {std::string(type), std::move(message)};
}

double SystemNow() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Lengths are public (a hex signature's always is); only contents are
  // compared in constant time.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The scope must name the request's date, this server's region and service.
std::optional<AuthFailure> CheckScope(const CredentialScope& scope, const std::string& amz_date,
                                      const std::string& region, const std::string& service) {
  if (scope.date != amz_date.substr(0, 8)) {
    return Fail(kInvalid, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
                          "of date from HTTP: '" + scope.date + "' != '" + amz_date.substr(0, 8) +
                              "', from 'X-Amz-Date'.");
  }
  if (scope.region != region) {
    return Fail(kInvalid, "Credential should be scoped to a valid region, not '" + scope.region +
                              "'. This server is region '" + region + "' (--region).");
  }
  if (scope.service != service) {
    return Fail(kInvalid, "Credential should be scoped to correct service: '" + service + "'. ");
  }
  if (scope.terminator != "aws4_request") {
    return Fail(kInvalid, "Credential should be scoped with a valid terminator: 'aws4_request', "
                          "not '" + scope.terminator + "'. ");
  }
  return std::nullopt;
}

}  // namespace

SigV4Verifier::SigV4Verifier(CredentialSet credentials, std::string region, std::string service,
                             WallClock now)
    : credentials_(std::move(credentials)),
      region_(std::move(region)),
      service_(std::move(service)),
      now_(now ? std::move(now) : WallClock(SystemNow)) {}

std::optional<AuthFailure> SigV4Verifier::Verify(const ApiRequest& request) const {
  const std::string& header = request.Header("authorization");
  if (header.empty()) return Fail(kMissing, "Request is missing Authentication Token");
  auto auth = ParseAuthorization(header);
  if (!auth.ok()) return Fail(kIncomplete, auth.status().message());

  const std::string& amz_date = request.Header("x-amz-date");
  if (amz_date.empty()) {
    return Fail(kIncomplete,
                "Authorization header requires existence of a 'X-Amz-Date' header. Authorization=" +
                    header);
  }
  auto signed_at = ParseAmzDate(amz_date);
  if (!signed_at) {
    return Fail(kIncomplete, "Date must be in ISO-8601 'basic format'. Got '" + amz_date +
                                 "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }

  auto credential = credentials_.find(auth->access_key_id);
  if (credential == credentials_.end()) return Fail(kUnrecognized, std::string(kUnrecognizedMessage));
  // A temporary key is only valid with its token; a long-term key with none.
  if (!ConstantTimeEquals(request.Header("x-amz-security-token"), credential->second.session_token)) {
    return Fail(kUnrecognized, std::string(kUnrecognizedMessage));
  }

  if (auto bad_scope = CheckScope(auth->scope, amz_date, region_, service_)) return bad_scope;
  const auto& signed_headers = auth->signed_headers;
  if (std::find(signed_headers.begin(), signed_headers.end(), "host") == signed_headers.end()) {
    return Fail(kInvalid, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  auto now = static_cast<int64_t>(std::floor(now_()));
  constexpr auto kSkew = static_cast<int64_t>(kMaxSkewSeconds);
  if (*signed_at < now - kSkew) {
    return Fail(kInvalid, "Signature expired: " + amz_date + " is now earlier than " +
                              FormatAmzDate(now - kSkew) + " (" + FormatAmzDate(now) + " - 5 min.)");
  }
  if (*signed_at > now + kSkew) {
    return Fail(kInvalid, "Signature not yet current: " + amz_date + " is still later than " +
                              FormatAmzDate(now + kSkew) + " (" + FormatAmzDate(now) + " + 5 min.)");
  }
  return CheckSignature(request, amz_date, *auth, credential->second);
}

std::optional<AuthFailure> SigV4Verifier::CheckSignature(const ApiRequest& request,
                                                         const std::string& amz_date,
                                                         const SigV4Authorization& auth,
                                                         const AwsCredential& credential) const {
  // The payload hash is always the body's own: a client's
  // x-amz-content-sha256 must agree with it, so a signature never covers a
  // body it did not see (UNSIGNED-PAYLOAD is an S3 feature, refused here).
  std::string payload_hash = Sha256Hex(request.body);
  const std::string& claimed = request.Header("x-amz-content-sha256");
  if (!claimed.empty() && claimed != payload_hash) {
    return Fail(kInvalid,
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  SigV4Request canonical_input;
  canonical_input.method = request.method;
  canonical_input.path = request.path;
  canonical_input.query = request.query;
  canonical_input.headers = &request.headers;
  canonical_input.signed_headers = auth.signed_headers;
  canonical_input.payload_hash = payload_hash;
  std::string signing_key = SigningKey(credential.secret_access_key, auth.scope);
  std::string canonical = CanonicalRequest(canonical_input);
  std::string string_to_sign = StringToSign(amz_date, auth.scope, canonical);
  if (ConstantTimeEquals(SignatureHex(signing_key, string_to_sign), auth.signature)) {
    return std::nullopt;
  }
  // curl before 8.x (Debian 12 ships 7.88) signs the query string as written
  // instead of sorted and re-encoded. A signature over the exact bytes sent
  // binds the request just as well, so it is accepted too.
  if (!request.query.empty() && CanonicalQueryString(request.query) != request.query) {
    canonical_input.query_as_sent = true;
    std::string as_sent = CanonicalRequest(canonical_input);
    if (ConstantTimeEquals(SignatureHex(signing_key, StringToSign(amz_date, auth.scope, as_sent)),
                           auth.signature)) {
      return std::nullopt;
    }
  }
  // As AWS does, show what was signed so that a client's mistake is visible;
  // neither string reveals the secret.
  return Fail(kInvalid,
              "The request signature we calculated does not match the signature you provided. "
              "Check your AWS Secret Access Key and signing method. Consult the service "
              "documentation for details.\n\nThe Canonical String for this request should have "
              "been\n'" + canonical + "'\n\nThe String-to-Sign should have been\n'" +
                  string_to_sign + "'\n");
}

bool IsUnauthenticatedPath(const std::string& path) {
  return path == "/healthz" || path == "/readyz" || path == "/metrics";
}

Router::Guard MakeSigV4Guard(std::shared_ptr<const SigV4Verifier> verifier) {
  return [verifier](const ApiRequest& request) -> std::optional<ApiResponse> {
    if (IsUnauthenticatedPath(request.path)) return std::nullopt;
    auto failure = verifier->Verify(request);
    if (!failure) return std::nullopt;
    if (IsAwsJsonRequest(request)) return AwsJsonError(400, failure->type, failure->message);
    ApiResponse response = ErrorResponse(403, failure->type, failure->message);
    response.headers.emplace_back("x-amzn-RequestId", NewAwsRequestId());
    return response;
  };
}

}  // namespace trainyard::api
