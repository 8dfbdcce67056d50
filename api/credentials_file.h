// The AWS shared credentials file (~/.aws/credentials): INI sections, one
// per profile, with aws_access_key_id and aws_secret_access_key. `trainyard
// serve --auth sigv4 --credentials FILE` reads it so that the keys a user
// already signs with are the keys the server accepts.
//
// Pure parsing: safe from any thread; throws nothing.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "trainyard/status.h"

namespace trainyard::api {

struct AwsCredential {
  std::string profile;  // the section it came from, for log lines
  std::string access_key_id;
  std::string secret_access_key;
  // aws_session_token, when the profile has one: requests signed with this
  // key must then carry it in X-Amz-Security-Token.
  std::string session_token;
};

// Keyed by access key id, the only thing a request names.
using CredentialSet = std::map<std::string, AwsCredential, std::less<>>;

// Reads the format as botocore does: `[profile]` headers, `key = value`
// lines (names case-insensitive), `#` and `;` comment lines, indented lines
// continuing a value (ignored: no credential key uses them). Sections
// without both keys are skipped, since the credentials file also holds
// settings such as region. Validation when a line is not INI, when two
// profiles give one access key different secrets, or when no profile has a
// key pair at all.
Result<CredentialSet> ParseCredentialsFile(std::string_view text);

// Reads and parses `path`; errors name the file.
Result<CredentialSet> LoadCredentialsFile(const std::string& path);

}  // namespace trainyard::api
