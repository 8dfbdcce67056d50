// SigV4Verifier: checks a request's Authorization header as AWS does, against
// the keys of a credentials file; MakeSigV4Guard puts it in front of every
// route (`trainyard serve --auth sigv4`).
//
// Failures carry the type AWS answers with:
//   no Authorization header            MissingAuthenticationTokenException
//   header or X-Amz-Date malformed     IncompleteSignatureException
//   access key (or session token) not known   UnrecognizedClientException
//   wrong scope, signature or payload hash, or X-Amz-Date more than 5
//   minutes from the wall clock        InvalidSignatureException
// Only the Authorization header is accepted; presigned query strings are not.
// One leniency: a signature over the query string exactly as sent (curl
// before 8.x does not sort it) is accepted as well as the canonical one.
//
// Verify is const and thread-safe: the guard calls it from every I/O thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/api_types.h"
#include "api/credentials_file.h"
#include "api/router.h"
#include "api/sigv4.h"

namespace trainyard::api {

struct AuthFailure {
  std::string type;  // e.g. "InvalidSignatureException"
  std::string message;
};

class SigV4Verifier {
 public:
  // Epoch seconds of the real wall clock: signatures are checked against
  // real time even when the simulation's clock is manual or scaled.
  using WallClock = std::function<double()>;

  static constexpr double kMaxSkewSeconds = 300;

  // `region` and `service` are what a credential scope must name.
  SigV4Verifier(CredentialSet credentials, std::string region, std::string service = "sagemaker",
                WallClock now = nullptr);

  // nullopt: the request is signed by a known key.
  std::optional<AuthFailure> Verify(const ApiRequest& request) const;

  size_t key_count() const { return credentials_.size(); }

 private:
  std::optional<AuthFailure> CheckSignature(const ApiRequest& request, const std::string& amz_date,
                                            const SigV4Authorization& auth,
                                            const AwsCredential& credential) const;

  CredentialSet credentials_;
  std::string region_;
  std::string service_;
  WallClock now_;
};

// Paths any caller may reach unsigned: probes and scrapers hold no keys.
bool IsUnauthenticatedPath(const std::string& path);

// A Router guard refusing unsigned or badly signed requests. AWS JSON
// requests (POST / with X-Amz-Target) are refused with 400, as SageMaker's
// JSON protocol does; REST routes with 403.
Router::Guard MakeSigV4Guard(std::shared_ptr<const SigV4Verifier> verifier);

}  // namespace trainyard::api
