#include "api/list_training_jobs.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>

#include "api/sagemaker_shape.h"
#include "api/strict_number.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

// In botocore's order, which is also the order errors are reported in.
constexpr std::array<std::string_view, 12> kMembers = {
    "NextToken",         "MaxResults",         "CreationTimeAfter",     "CreationTimeBefore",
    "LastModifiedTimeAfter", "LastModifiedTimeBefore", "NameContains",  "StatusEquals",
    "SortBy",            "SortOrder",          "WarmPoolStatusEquals",  "TrainingPlanArnContains",
};

constexpr int64_t kMaxResultsLimit = 100;
constexpr size_t kMaxNameContains = 63;
constexpr size_t kMaxNextToken = 8192;
constexpr size_t kMaxArnContains = 2048;

Result<std::string> StringMember(const json& value, std::string_view name) {
  if (!value.is_string()) {
    return Status::Validation(std::string(name) + " must be a string (got " +
                              std::string(JsonTypeName(value)) + ")");
  }
  return value.get<std::string>();
}

Result<std::string> EnumMember(const json& value, std::string_view name,
                               std::initializer_list<std::string_view> allowed) {
  Result<std::string> text = StringMember(value, name);
  if (!text.ok()) return text;
  if (std::find(allowed.begin(), allowed.end(), *text) != allowed.end()) return text;
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return Status::Validation(std::string(name) + " must be one of " + list + " (got '" +
                            Printable(*text) + "')");
}

Result<double> TimestampMember(const json& value, std::string_view name) {
  std::optional<double> seconds;
  if (value.is_number()) {
    seconds = value.get<double>();
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    seconds = ParseFiniteDouble(text);
    if (!seconds) seconds = ParseIso8601(text);
  }
  if (seconds) return *seconds;
  std::string got = value.is_string() ? "'" + Printable(value.get<std::string>()) + "'"
                                      : std::string(JsonTypeName(value));
  return Status::Validation(std::string(name) +
                            " must be a timestamp: epoch seconds (e.g. 1767225600) or ISO 8601 "
                            "(e.g. 2026-01-01T00:00:00Z) (got " + got + ")");
}

Result<int> MaxResultsMember(const json& value) {
  std::optional<int64_t> n;
  if (value.is_number_integer()) {
    // Non-negative literals are stored unsigned; anything past int64 is out
    // of range anyway.
    n = value.is_number_unsigned() && value.get<uint64_t>() > uint64_t{INT64_MAX}
            ? INT64_MAX
            : value.get<int64_t>();
  } else if (value.is_string()) {
    n = ParseInt64(value.get_ref<const std::string&>());
  }
  if (!n) {
    std::string got = value.is_string() ? "'" + Printable(value.get<std::string>()) + "'"
                                        : std::string(JsonTypeName(value));
    return Status::Validation("MaxResults must be an integer (got " + got + ")");
  }
  if (*n < 1) return Status::Validation("MaxResults must be >= 1 (got " + std::to_string(*n) + ")");
  if (*n > kMaxResultsLimit) {
    return Status::Validation("MaxResults must be <= " + std::to_string(kMaxResultsLimit) +
                              " (got " + std::to_string(*n) + ")");
  }
  return static_cast<int>(*n);
}

Status NameContainsRule(const std::string& text) {
  if (text.empty()) return Status::Validation("NameContains must not be empty");
  if (CharacterCount(text) > kMaxNameContains) {
    return Status::Validation("NameContains must be at most 63 characters long (got " +
                              std::to_string(CharacterCount(text)) + ")");
  }
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-';
    if (!ok) {
      return Status::Validation("NameContains must match the pattern [a-zA-Z0-9\\-]+ (got '" +
                                Printable(text) + "')");
    }
  }
  return Status::Ok();
}

Status LengthRule(const std::string& text, std::string_view name, size_t max) {
  if (CharacterCount(text) <= max) return Status::Ok();
  return Status::Validation(std::string(name) + " must be at most " + std::to_string(max) +
                            " characters long (got " + std::to_string(CharacterCount(text)) + ")");
}

// Applies one member to `query`. REQUIRES: `name` is one of kMembers.
Status ApplyMember(std::string_view name, const json& value, JobQuery& query) {
  auto assign_time = [&](std::optional<double>& field) -> Status {
    Result<double> t = TimestampMember(value, name);
    if (!t.ok()) return t.status();
    field = *t;
    return Status::Ok();
  };
  if (name == "StatusEquals") {
    Result<std::string> s =
        EnumMember(value, name, {"InProgress", "Completed", "Failed", "Stopping", "Stopped"});
    if (!s.ok()) return s.status();
    query.status_equals = ParseJobStatus(*s);
  } else if (name == "NameContains") {
    Result<std::string> s = StringMember(value, name);
    if (!s.ok()) return s.status();
    if (Status rule = NameContainsRule(*s); !rule.ok()) return rule;
    query.name_contains = *s;
  } else if (name == "CreationTimeAfter") {
    return assign_time(query.creation_time_after);
  } else if (name == "CreationTimeBefore") {
    return assign_time(query.creation_time_before);
  } else if (name == "LastModifiedTimeAfter") {
    return assign_time(query.last_modified_time_after);
  } else if (name == "LastModifiedTimeBefore") {
    return assign_time(query.last_modified_time_before);
  } else if (name == "SortBy") {
    Result<std::string> s = EnumMember(value, name, {"Name", "CreationTime", "Status"});
    if (!s.ok()) return s.status();
    query.sort_by = *s == "Name"     ? JobSortBy::kName
                    : *s == "Status" ? JobSortBy::kStatus
                                     : JobSortBy::kCreationTime;
  } else if (name == "SortOrder") {
    Result<std::string> s = EnumMember(value, name, {"Ascending", "Descending"});
    if (!s.ok()) return s.status();
    query.sort_order = *s == "Descending" ? SortOrder::kDescending : SortOrder::kAscending;
  } else if (name == "MaxResults") {
    Result<int> n = MaxResultsMember(value);
    if (!n.ok()) return n.status();
    query.max_results = *n;
  } else if (name == "NextToken") {
    Result<std::string> s = StringMember(value, name);
    if (!s.ok()) return s.status();
    if (Status rule = LengthRule(*s, name, kMaxNextToken); !rule.ok()) return rule;
    query.next_token = *s;
  } else if (name == "WarmPoolStatusEquals") {
    Result<std::string> s = EnumMember(value, name, {"Available", "Terminated", "Reused", "InUse"});
    if (!s.ok()) return s.status();
  } else if (name == "TrainingPlanArnContains") {
    Result<std::string> s = StringMember(value, name);
    if (!s.ok()) return s.status();
    return LengthRule(*s, name, kMaxArnContains);
  }
  return Status::Ok();
}

// --- ISO 8601 -------------------------------------------------------------------

// Reads exactly `digits` decimal digits at `pos`.
std::optional<int> Digits(std::string_view text, size_t& pos, size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < digits; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return value;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<double> ParseIso8601(std::string_view text) {
  size_t pos = 0;
  auto year = Digits(text, pos, 4);
  if (!year || !Expect(text, pos, '-')) return std::nullopt;
  auto month = Digits(text, pos, 2);
  if (!month || !Expect(text, pos, '-')) return std::nullopt;
  auto day = Digits(text, pos, 2);
  if (!day) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year(*year),
                                   std::chrono::month(static_cast<unsigned>(*month)),
                                   std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  double seconds = static_cast<double>(
      std::chrono::sys_days(date).time_since_epoch().count()) * 86400.0;
  if (pos == text.size()) return seconds;  // a date alone is its midnight, UTC

  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
  ++pos;
  auto hour = Digits(text, pos, 2);
  if (!hour || *hour > 23 || !Expect(text, pos, ':')) return std::nullopt;
  auto minute = Digits(text, pos, 2);
  if (!minute || *minute > 59) return std::nullopt;
  double second = 0;
  if (Expect(text, pos, ':')) {
    auto whole = Digits(text, pos, 2);
    if (!whole || *whole > 59) return std::nullopt;
    second = *whole;
    if (Expect(text, pos, '.')) {
      double scale = 0.1;
      size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        second += (text[pos++] - '0') * scale;
        scale /= 10;
      }
      if (pos == start) return std::nullopt;
    }
  }
  seconds += *hour * 3600.0 + *minute * 60.0 + second;

  // Zone: none (UTC), Z, or +HH:MM / +HHMM / +HH.
  if (pos == text.size() || Expect(text, pos, 'Z') || Expect(text, pos, 'z')) {
    return pos == text.size() ? std::optional<double>(seconds) : std::nullopt;
  }
  int sign = text[pos] == '+' ? 1 : text[pos] == '-' ? -1 : 0;
  if (sign == 0) return std::nullopt;
  ++pos;
  auto offset_hours = Digits(text, pos, 2);
  if (!offset_hours || *offset_hours > 23) return std::nullopt;
  int offset_minutes = 0;
  if (pos < text.size()) {
    Expect(text, pos, ':');
    auto m = Digits(text, pos, 2);
    if (!m || *m > 59) return std::nullopt;
    offset_minutes = *m;
  }
  if (pos != text.size()) return std::nullopt;
  return seconds - sign * (*offset_hours * 3600.0 + offset_minutes * 60.0);
}

Result<JobQuery> ParseListTrainingJobs(const json& params) {
  JobQuery query;
  if (params.is_null()) return query;
  if (!params.is_object()) {
    return Status::Validation("ListTrainingJobs parameters must be a JSON object (got " +
                              std::string(JsonTypeName(params)) + ")");
  }
  for (const auto& [key, unused] : params.items()) {
    if (std::find(kMembers.begin(), kMembers.end(), key) == kMembers.end()) {
      std::string accepted;
      for (std::string_view m : kMembers) accepted += (accepted.empty() ? "" : ", ") + std::string(m);
      return Status::Validation("Unknown member '" + Printable(key) +
                                "'; ListTrainingJobs accepts " + accepted);
    }
  }
  for (std::string_view name : kMembers) {
    auto it = params.find(name);
    if (it == params.end()) continue;
    if (Status s = ApplyMember(name, *it, query); !s.ok()) return s;
  }
  return query;
}

}  // namespace trainyard::api
