#include "api/json_body.h"

#include <algorithm>
#include <cctype>

#include "api/job_json.h"

namespace trainyard::api {

using nlohmann::json;

ApiResponse JsonResponse(int status, const json& body) {
  ApiResponse response;
  response.status = status;
  response.body = Dump(body);
  return response;
}

ApiResponse JsonResponse(int status, const DescribedJob& body) {
  ApiResponse response;
  response.status = status;
  response.body = body.ToText();
  return response;
}

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower;
  for (char c : media) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower == "application/json";
}

ApiResponse UnsupportedMediaType(std::string_view got) {
  ApiResponse response;
  response.status = 415;
  response.body = Dump({{"__type", "UnsupportedMediaType"},
                        {"message", "Content-Type must be application/json, got '" +
                                        std::string(got) + "'"}});
  return response;
}

Result<json> ParseJsonObjectBody(const ApiRequest& request,
                                 std::initializer_list<std::string_view> allowed) {
  if (request.body.empty()) return json::object();
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Status::Validation("Request body is not valid JSON");
  if (!body.is_object()) return Status::Validation("Request body must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string names;
      for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
      return Status::Validation("Unknown member '" + key + "'; expected one of: " + names);
    }
  }
  return body;
}

Status ReadNumberMember(const json& object, const char* member, double lo, double hi,
                        std::optional<double>& out) {
  if (!object.contains(member)) return Status::Ok();
  const json& value = object[member];
  if (!value.is_number()) return Status::Validation(std::string(member) + " must be a number");
  double v = value.get<double>();
  if (!(v >= lo && v <= hi)) {
    return Status::Validation(std::string(member) + " must be between " + json(lo).dump() +
                              " and " + json(hi).dump() + " (got " + value.dump() + ")");
  }
  out = v;
  return Status::Ok();
}

Status ReadIntegerMember(const json& object, const char* member, int64_t lo, int64_t hi,
                         std::optional<int64_t>& out) {
  if (!object.contains(member)) return Status::Ok();
  const json& value = object[member];
  if (!value.is_number_integer()) return Status::Validation(std::string(member) + " must be an integer");
  int64_t v = value.get<int64_t>();
  if (v < lo || v > hi) {
    return Status::Validation(std::string(member) + " must be between " + std::to_string(lo) +
                              " and " + std::to_string(hi) + " (got " + value.dump() + ")");
  }
  out = v;
  return Status::Ok();
}

}  // namespace trainyard::api
