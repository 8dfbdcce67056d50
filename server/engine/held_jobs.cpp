// The Simulation's bookkeeping of the jobs it holds: their slots, the
// changed and touched lists, and each job's entry in the event queue.
#include <algorithm>
#include <utility>

#include "server/engine/simulation.h"

namespace trainyard {

const TrainingJob* Simulation::Find(std::string_view name) const {
  auto it = jobs_.find(name);
  return it == jobs_.end() ? nullptr : &it->second;
}

Simulation::HeldJob* Simulation::FindMutable(std::string_view name) {
  auto it = jobs_.find(name);
  return it == jobs_.end() ? nullptr : &it->second;
}

Simulation::HeldJob& Simulation::Hold(TrainingJob job) {
  auto it = jobs_.find(job.spec.name);
  if (it != jobs_.end()) {
    // The queue entry refers to the held name, which the assignment frees.
    HeldJob& held = it->second;
    events_.Cancel(EventTarget::Job(held.creation_time, held.spec.name, held.slot));
    static_cast<TrainingJob&>(held) = std::move(job);
    return held;
  }
  std::string name = job.spec.name;
  HeldJob& held = jobs_.emplace(std::move(name), HeldJob(std::move(job))).first->second;
  if (free_slots_.empty()) {
    held.slot = static_cast<uint32_t>(slots_.size());
    slots_.push_back(&held);
  } else {
    held.slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[held.slot] = &held;
  }
  return held;
}

std::vector<std::string> Simulation::TakeChanged() {
  std::vector<const HeldJob*> jobs;
  jobs.reserve(changed_.size());
  for (uint32_t slot : changed_) {
    HeldJob* job = slots_[slot];
    if (job == nullptr || !job->changed) continue;
    job->changed = false;
    jobs.push_back(job);
  }
  changed_.clear();
  // Creation order, as the event queue breaks ties: names are compared only
  // between jobs created at the same instant.
  std::sort(jobs.begin(), jobs.end(), [](const HeldJob* a, const HeldJob* b) {
    if (a->creation_time != b->creation_time) return a->creation_time < b->creation_time;
    return a->spec.name < b->spec.name;
  });
  std::vector<std::string> names;
  names.reserve(jobs.size());
  for (const HeldJob* job : jobs) names.push_back(job->spec.name);
  return names;
}

std::vector<JobEvent> Simulation::TakeEvents() {
  std::vector<JobEvent> events;
  events.swap(recorded_);
  return events;
}

void Simulation::Forget(std::string_view name) {
  auto it = jobs_.find(name);
  if (it == jobs_.end() || !IsTerminal(it->second.status)) return;
  HeldJob& job = it->second;
  events_.Cancel(EventTarget::Job(job.creation_time, job.spec.name, job.slot));
  slots_[job.slot] = nullptr;
  free_slots_.push_back(job.slot);
  jobs_.erase(it);
}

void Simulation::Touch(TrainingJob& job) {
  job.last_modified_time = now_;
  HeldJob& held = Held(job);
  if (!held.changed) {
    held.changed = true;
    changed_.push_back(held.slot);
  }
  if (!held.touched) {
    held.touched = true;
    touched_.push_back(held.slot);
  }
}

void Simulation::RescheduleTouched() {
  // Each job's entry depends on its own state alone, so the order of
  // rescheduling does not matter.
  while (!touched_.empty()) {
    const uint32_t slot = touched_.back();
    touched_.pop_back();
    HeldJob* job = slots_[slot];
    if (job == nullptr || !job->touched) continue;
    job->touched = false;
    Reschedule(*job);
  }
}

void Simulation::Reschedule(TrainingJob& job) {
  HeldJob& held = Held(job);
  const EventTarget target = EventTarget::Job(job.creation_time, job.spec.name, held.slot);
  held.next = NextWakeup(job);
  if (held.next) {
    events_.Schedule(target, std::max(held.next->time, now_));
  } else {
    events_.Cancel(target);
  }
}

}  // namespace trainyard
