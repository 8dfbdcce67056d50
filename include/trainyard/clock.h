// Clock: the only source of time (DESIGN.md section 3). Time is virtual epoch
// seconds; fractions allowed. Nothing else in the project reads a system clock.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace trainyard {

class Clock {
 public:
  virtual ~Clock() = default;
  // Virtual now, in epoch seconds. Thread-safe.
  virtual double Now() const = 0;
  // True when time moves only through Advance (tests, demos).
  virtual bool IsManual() const = 0;
  // Real seconds until virtual time `t`; empty for a manual clock, where no
  // amount of waiting gets there.
  virtual std::optional<double> RealSecondsUntil(double t) const = 0;
};

// Moves only when told. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(double start) : now_(start) {}
  double Now() const override { return now_.load(); }
  bool IsManual() const override { return true; }
  std::optional<double> RealSecondsUntil(double) const override { return std::nullopt; }
  // REQUIRES: seconds >= 0
  void Advance(double seconds) { now_.store(now_.load() + seconds); }
  void Set(double t) { now_.store(t); }

 private:
  std::atomic<double> now_;
};

// Real time, sped up: virtual time advances `scale` seconds per real second
// from `start` (virtual) at construction.
class ScaledClock final : public Clock {
 public:
  ScaledClock(double start, double scale)
      : start_(start), scale_(scale), origin_(std::chrono::steady_clock::now()) {}
  double Now() const override {
    std::chrono::duration<double> real = std::chrono::steady_clock::now() - origin_;
    return start_ + real.count() * scale_;
  }
  bool IsManual() const override { return false; }
  std::optional<double> RealSecondsUntil(double t) const override { return (t - Now()) / scale_; }
  double scale() const { return scale_; }

 private:
  double start_;
  double scale_;
  std::chrono::steady_clock::time_point origin_;
};

// Measures real elapsed time, for request durations and progress lines:
// monitoring of the process itself, never the simulated time of jobs.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double ElapsedSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Wall-clock epoch seconds. The one place that reads the system clock, used
// to choose where a real clock starts on its first run.
double SystemEpochSeconds();

}  // namespace trainyard
