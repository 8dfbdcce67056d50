// Status and Result: expected failures as values, never exceptions across
// layers (the leveldb habit). Every layer returns these; only the wire layer
// (api/) turns an ErrorCode into an HTTP status and an AWS `__type`.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace trainyard {

enum class ErrorCode {
  kOk,
  kValidation,     // the caller sent something that breaks a rule
  kNotFound,       // the named thing does not exist
  kInUse,          // a name is taken, or the thing is in a state that forbids it
  kLimitExceeded,  // a quota or bound was reached
  kConflict,       // the operation does not apply in this mode (e.g. clock)
  kUnavailable,    // the service is shutting down or not ready
  kInternal,       // a bug or an I/O failure: never the caller's fault
};

class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status Validation(std::string m) { return {ErrorCode::kValidation, std::move(m)}; }
  static Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Status InUse(std::string m) { return {ErrorCode::kInUse, std::move(m)}; }
  static Status LimitExceeded(std::string m) { return {ErrorCode::kLimitExceeded, std::move(m)}; }
  static Status Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
  static Status Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A value or the Status saying why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}            // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) {     // NOLINT
    assert(!status_.ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace trainyard
