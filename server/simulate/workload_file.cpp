#include "server/simulate/workload_file.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "api/create_training_job.h"

namespace trainyard {
namespace {

using nlohmann::json;

// Lines validated together, on all cores.
constexpr size_t kBatchLines = 4096;

constexpr std::string_view kShape =
    "a line must be {\"SubmitTime\": <seconds from start>, \"Request\": <CreateTrainingJob "
    "request>}";

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Status BadSubmitTime(const std::string& got) {
  return Status::Validation("SubmitTime must be a number of seconds between 0 and " +
                            std::to_string(static_cast<int64_t>(kMaxSubmitSeconds)) +
                            " (got " + got + ")");
}

Result<double> ReadSubmitTime(const json& value) {
  if (!value.is_number()) return BadSubmitTime(value.dump());
  const double t = value.get<double>();
  if (!(std::isfinite(t) && t >= 0 && t <= kMaxSubmitSeconds)) return BadSubmitTime(value.dump());
  return t;
}

// The line's two members as raw text, before any of it is decoded.
struct LineMembers {
  std::optional<std::string_view> submit_time;
  std::optional<std::string_view> request;
};

constexpr size_t kEnd = std::string_view::npos;

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  return i;
}

// REQUIRES: s[i] == '"'. One past the closing quote, or kEnd.
size_t SkipString(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return kEnd;
}

// One past the JSON value that starts at i, or kEnd. Only finds where the
// value ends; whoever reads the value checks its syntax.
size_t SkipValue(std::string_view s, size_t i) {
  if (i >= s.size()) return kEnd;
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        i = SkipString(s, i);
        if (i == kEnd) return kEnd;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      ++i;
    }
    return kEnd;
  }
  size_t end = i;
  while (end < s.size() && std::string_view(",}] \t\r\n").find(s[end]) == kEnd) ++end;
  return end == i ? kEnd : end;
}

// Splits `{"SubmitTime": ..., "Request": {...}}` into its members' raw text
// without decoding the request, so that the request is parsed once, by
// ParseCreateTrainingJob, from the very bytes a client would have sent.
// nullopt for anything unusual (bad syntax, escaped keys, another shape):
// the caller then takes the general path, which also words the errors.
std::optional<LineMembers> SplitLine(std::string_view s) {
  LineMembers members;
  size_t i = SkipSpace(s, 0);
  if (i >= s.size() || s[i] != '{') return std::nullopt;
  i = SkipSpace(s, i + 1);
  while (i < s.size() && s[i] == '"') {
    const size_t key_end = SkipString(s, i);
    if (key_end == kEnd) return std::nullopt;
    const std::string_view key = s.substr(i + 1, key_end - i - 2);
    i = SkipSpace(s, key_end);
    if (i >= s.size() || s[i] != ':') return std::nullopt;
    i = SkipSpace(s, i + 1);
    const size_t value_end = SkipValue(s, i);
    if (value_end == kEnd) return std::nullopt;
    std::optional<std::string_view>* slot = key == "SubmitTime" ? &members.submit_time
                                           : key == "Request"  ? &members.request
                                                               : nullptr;
    if (slot == nullptr || *slot) return std::nullopt;  // unknown, escaped or repeated
    *slot = s.substr(i, value_end - i);
    i = SkipSpace(s, value_end);
    if (i >= s.size() || s[i] != ',') break;
    i = SkipSpace(s, i + 1);
    if (i >= s.size() || s[i] != '"') return std::nullopt;  // a trailing comma
  }
  if (i >= s.size() || s[i] != '}' || SkipSpace(s, i + 1) != s.size()) return std::nullopt;
  return members;
}

Result<WorkloadJob> FromMembers(double submit_time, std::string_view request,
                                const Catalogue& catalogue) {
  auto created = api::ParseCreateTrainingJob(request, catalogue);
  if (!created.ok()) return Status::Validation("Request: " + created.status().message());
  WorkloadJob job;
  job.submit_time = submit_time;
  job.spec = std::move(created->spec);
  job.spec.s3_output_path.clear();
  job.spec.tags.clear();
  job.spec.tags.shrink_to_fit();
  return job;
}

Status MissingMember(std::string_view member) {
  return Status::Validation(std::string(member) + " is required; " + std::string(kShape));
}

Status NotAnObject() {
  return Status::Validation("Request must be a JSON object; " + std::string(kShape));
}

// The general path: decodes the whole line, and says what is wrong with it.
Result<WorkloadJob> ParseDecoded(std::string_view text, const Catalogue& catalogue) {
  json line;
  try {
    line = json::parse(text);
  } catch (const json::exception& e) {
    // what() reads "[json.exception.parse_error.101] parse error at line 1,
    // column 9: ..."; the bracketed id means nothing to a user.
    std::string detail = e.what();
    if (size_t close = detail.find("] "); close != std::string::npos) detail.erase(0, close + 2);
    return Status::Validation("not valid JSON: " + detail);
  }
  if (!line.is_object()) return Status::Validation("not a JSON object; " + std::string(kShape));
  for (const auto& [key, value] : line.items()) {
    if (key != "SubmitTime" && key != "Request") {
      return Status::Validation("unknown member '" + key + "'; " + std::string(kShape));
    }
  }
  if (!line.contains("SubmitTime")) return MissingMember("SubmitTime");
  Result<double> submit_time = ReadSubmitTime(line["SubmitTime"]);
  if (!submit_time.ok()) return submit_time.status();
  if (!line.contains("Request")) return MissingMember("Request");
  if (!line["Request"].is_object()) return NotAnObject();
  return FromMembers(*submit_time, line["Request"].dump(), catalogue);
}

}  // namespace

Result<WorkloadJob> ParseWorkloadLine(std::string_view text, const Catalogue& catalogue) {
  if (text.size() > kMaxLineBytes) {
    return Status::Validation("line is longer than " + std::to_string(kMaxLineBytes) + " bytes");
  }
  std::optional<LineMembers> members = SplitLine(text);
  if (!members) return ParseDecoded(text, catalogue);
  if (!members->submit_time) return MissingMember("SubmitTime");
  json submit_time = json::parse(*members->submit_time, nullptr, /*allow_exceptions=*/false);
  if (submit_time.is_discarded()) return BadSubmitTime(std::string(*members->submit_time));
  Result<double> t = ReadSubmitTime(submit_time);
  if (!t.ok()) return t.status();
  if (!members->request) return MissingMember("Request");
  if (members->request->front() != '{') return NotAnObject();
  return FromMembers(*t, *members->request, catalogue);
}

WorkloadFile ReadWorkload(std::istream& in, const Catalogue& catalogue, size_t max_errors,
                          const std::function<void(size_t lines)>& progress) {
  WorkloadFile file;
  // Names seen so far and their line, for the server's ResourceInUse rule.
  // The keys view the names inside file.jobs, which a deque never moves.
  std::unordered_map<std::string_view, size_t> lines_by_name;
  auto bad = [&](size_t number, const std::string& message) {
    ++file.bad_lines;
    if (file.errors.size() < max_errors) {
      file.errors.push_back("line " + std::to_string(number) + ": " + message);
    }
  };
  // Batches of lines are validated on all cores at once, then taken in
  // line order: the outcome is the same on any number of cores.
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  std::vector<std::string> batch;
  std::vector<size_t> numbers;
  std::vector<std::optional<Result<WorkloadJob>>> results;
  size_t number = 0;
  for (bool more = true; more;) {
    batch.clear();
    numbers.clear();
    std::string text;
    while (batch.size() < kBatchLines && (more = static_cast<bool>(std::getline(in, text)))) {
      ++number;
      if (IsBlank(text)) continue;
      batch.push_back(std::move(text));
      numbers.push_back(number);
    }
    results.assign(batch.size(), std::nullopt);
    auto validate = [&](size_t from, size_t to) {
      for (size_t i = from; i < to; ++i) results[i] = ParseWorkloadLine(batch[i], catalogue);
    };
    const size_t slice = (batch.size() + threads - 1) / threads;
    std::vector<std::thread> helpers;
    for (size_t from = slice; from < batch.size(); from += slice) {
      helpers.emplace_back(validate, from, std::min(batch.size(), from + slice));
    }
    validate(0, std::min(batch.size(), slice));
    for (auto& helper : helpers) helper.join();

    for (size_t i = 0; i < batch.size(); ++i) {
      Result<WorkloadJob>& job = *results[i];
      if (!job.ok()) {
        bad(numbers[i], job.status().message());
        continue;
      }
      job->line = numbers[i];
      const WorkloadJob& kept = file.jobs.emplace_back(std::move(*job));
      auto [seen, fresh] = lines_by_name.emplace(kept.spec.name, kept.line);
      if (!fresh) {
        bad(kept.line, "TrainingJobName '" + kept.spec.name + "' is already used on line " +
                           std::to_string(seen->second) + "; job names must be unique");
        file.jobs.pop_back();
      }
    }
    if (progress) progress(number);
  }
  return file;
}

std::vector<size_t> SubmissionOrder(const WorkloadJobs& jobs) {
  std::vector<size_t> order(jobs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&jobs](size_t a, size_t b) {
    return jobs[a].submit_time < jobs[b].submit_time;
  });
  return order;
}

}  // namespace trainyard
