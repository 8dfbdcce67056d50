#include "server/engine/scheduler.h"

namespace trainyard {

PlacementScan::Verdict PlacementScan::Offer(const WaitingJob& job) {
  if (free_ <= 0) return Verdict::kStop;
  if (job.instance_count <= free_) {
    free_ -= job.instance_count;
    return Verdict::kStart;
  }
  const bool starving = now_ - job.waiting_since >= guard_;
  const bool could_ever_fit = job.instance_count <= capacity_;
  return starving && could_ever_fit ? Verdict::kStop : Verdict::kSkip;
}

std::vector<size_t> ChooseStarts(const std::vector<WaitingJob>& queue, int free, int capacity,
                                 double now, double starvation_guard_seconds) {
  std::vector<size_t> starts;
  PlacementScan scan(free, capacity, now, starvation_guard_seconds);
  for (size_t i = 0; i < queue.size(); ++i) {
    const PlacementScan::Verdict verdict = scan.Offer(queue[i]);
    if (verdict == PlacementScan::Verdict::kStop) break;
    if (verdict == PlacementScan::Verdict::kStart) starts.push_back(i);
  }
  return starts;
}

}  // namespace trainyard
