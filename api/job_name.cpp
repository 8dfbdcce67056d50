#include "api/job_name.h"

#include <cctype>

namespace trainyard::api {

bool IsValidTrainingJobName(std::string_view name) {
  // Alphanumerics and hyphens, 1..63, starting and ending alphanumeric; runs
  // of hyphens are allowed by the pattern.
  if (name.empty() || name.size() > 63) return false;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  for (char c : name) {
    if (!alnum(c) && c != '-') return false;
  }
  return true;
}

Status CheckTrainingJobName(std::string_view name) {
  if (IsValidTrainingJobName(name)) return Status::Ok();
  return Status::Validation("TrainingJobName '" + std::string(name) +
                            "' must match ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");
}

}  // namespace trainyard::api
