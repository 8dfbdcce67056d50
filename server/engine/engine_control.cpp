// The Engine's EngineControl side: the operator's levers (/v1/admin) and the
// views that live in engine memory. Each command runs on the engine thread.
#include "server/engine/engine.h"
#include "server/engine/engine_commands.h"

namespace trainyard {

using engine_internal::Share;
using engine_internal::ShuttingDown;

// --- EngineControl ----------------------------------------------------------

void Engine::AdvanceClock(double seconds, std::function<void(Result<double>)> done) {
  auto shared = Share(std::move(done));
  Post(
      [this, seconds, shared] {
        auto* manual = dynamic_cast<ManualClock*>(&clock_);
        if (manual == nullptr) {
          return (*shared)(Status::Conflict(
              "The clock is real; /v1/admin/clock/advance needs --clock manual"));
        }
        const double target = manual->Now() + seconds;
        sim_.AdvanceTo(target);
        manual->Set(target);
        replies_.push_back([target, shared](const Status& commit) {
          if (!commit.ok()) return (*shared)(Status::Internal("Could not store: " + commit.message()));
          (*shared)(target);
        });
      },
      [shared] { (*shared)(ShuttingDown()); });
}

ClockView Engine::Clock() const {
  ClockView view;
  view.now = clock_.Now();
  view.manual = clock_.IsManual();
  if (auto* scaled = dynamic_cast<const ScaledClock*>(&clock_)) view.time_scale = scaled->scale();
  return view;
}

void Engine::InterruptSpot(std::string instance_type, int count,
                           std::function<void(Result<int>)> done) {
  auto shared = Share(std::move(done));
  Post(
      [this, instance_type = std::move(instance_type), count, shared] {
        auto noticed = sim_.Interrupt(instance_type, count);
        if (!noticed.ok()) return (*shared)(noticed.status());
        replies_.push_back([n = *noticed, shared](const Status& commit) {
          if (!commit.ok()) return (*shared)(Status::Internal("Could not store: " + commit.message()));
          (*shared)(n);
        });
      },
      [shared] { (*shared)(ShuttingDown()); });
}

void Engine::UpdatePool(std::string instance_type, PoolUpdate update,
                        std::function<void(Result<PoolStatus>)> done) {
  auto shared = Share(std::move(done));
  Post(
      [this, instance_type = std::move(instance_type), update, shared] {
        if (Status s = sim_.UpdatePool(instance_type, update); !s.ok()) return (*shared)(s);
        replies_.push_back([this, instance_type, shared](const Status& commit) {
          if (!commit.ok()) return (*shared)(Status::Internal("Could not store: " + commit.message()));
          for (const auto& pool : sim_.Pools()) {
            if (pool.instance_type == instance_type) return (*shared)(pool);
          }
          (*shared)(Status::NotFound("No pool for " + instance_type));
        });
      },
      [shared] { (*shared)(ShuttingDown()); });
}

void Engine::FailJob(std::string name, JobDone done) {
  auto shared = Share(std::move(done));
  Post(
      [this, name = std::move(name), shared] {
        if (sim_.Find(name) == nullptr) {
          auto stored = store_.GetJob(name);
          if (!stored.ok()) return (*shared)(stored.status());
          return (*shared)(Status::Validation("Training job '" + name + "' already ended " +
                                              std::string(ToString(stored->status))));
        }
        if (Status s = sim_.FailAttempt(name); !s.ok()) return (*shared)(s);
        replies_.push_back([this, name, shared](const Status& commit) {
          if (!commit.ok()) return (*shared)(Status::Internal("Could not store: " + commit.message()));
          (*shared)(CurrentJob(name));
        });
      },
      [shared] { (*shared)(ShuttingDown()); });
}

void Engine::Capacity(std::function<void(std::vector<PoolStatus>)> done) {
  auto shared = Share(std::move(done));
  Post([this, shared] { (*shared)(sim_.Pools()); }, [shared] { (*shared)({}); });
}

void Engine::Ping(std::function<void(Status)> done) {
  auto shared = Share(std::move(done));
  Post(
      [this, shared] {
        force_save_ = true;
        replies_.push_back([shared](const Status& commit) { (*shared)(commit); });
      },
      [shared] { (*shared)(ShuttingDown()); });
}

EngineStats Engine::Stats() const {
  EngineStats out;
  {
    std::lock_guard lock(stats_mu_);
    out = stats_;
  }
  out.queue_depth = QueueDepth();
  out.event_followers = feed_.Followers();
  out.running = Running();
  out.virtual_now = clock_.Now();
  return out;
}

}  // namespace trainyard
