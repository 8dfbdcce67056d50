#include "server/engine/scheduler.h"

namespace trainyard {

std::vector<size_t> ChooseStarts(const std::vector<WaitingJob>& queue, int free, int capacity,
                                 double now, double starvation_guard_seconds) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < queue.size() && free > 0; ++i) {
    const WaitingJob& job = queue[i];
    if (job.instance_count <= free) {
      starts.push_back(i);
      free -= job.instance_count;
      continue;
    }
    const bool starving = now - job.waiting_since >= starvation_guard_seconds;
    const bool could_ever_fit = job.instance_count <= capacity;
    if (starving && could_ever_fit) break;
  }
  return starts;
}

}  // namespace trainyard
