// The placement rule: which waiting jobs start now. A pure function of one
// queue and the free capacity, so it is tested without the rest of the engine.
//
// The rule (README "Scheduling"):
//   Every pool has two queues, on-demand and spot; a job waits in the queue
//   of its market (a spot job with trainyard.spot_fallback moves to the
//   on-demand queue when it falls back). A job starts only when all its
//   instances fit at once in its market's free capacity (gang placement).
//   Each queue is first come, first served by creation time, then name.
//   A later job that fits may start ahead of an earlier one that does not
//   ("backfill"). But once a waiting job has waited starvation_guard_seconds
//   (counted from the start of its current wait, so from its reclaim after
//   an interruption) and still does not fit, no job behind it in that queue
//   starts until it has started: freed capacity then accumulates for it, so
//   a large job cannot be starved by a stream of small ones. A job that
//   needs more instances than the market's whole capacity holds nobody back
//   while that lasts: it waits for the capacity to grow (a market tick or an
//   operator's update), or for its time limit.
//
// Threading: stateless.
#pragma once

#include <cstddef>
#include <vector>

namespace trainyard {

struct WaitingJob {
  int instance_count = 1;
  double waiting_since = 0;
};

// The rule applied one waiting job at a time, in queue order, so that a
// caller walks its queue only as far as the rule looks: to the first job
// that holds the others back, or until the free capacity is gone.
class PlacementScan {
 public:
  enum class Verdict { kStart, kSkip, kStop };

  PlacementScan(int free, int capacity, double now, double starvation_guard_seconds)
      : free_(free), capacity_(capacity), now_(now), guard_(starvation_guard_seconds) {}

  // kStart: the job starts (its instances are taken from the free count);
  // kSkip: it waits and the scan goes on; kStop: it and every job behind it
  // wait.
  Verdict Offer(const WaitingJob& job);

 private:
  int free_;
  const int capacity_;
  const double now_;
  const double guard_;
};

// `queue` is in queue order. Returns the indexes of the jobs to start, in
// queue order; together they fit in `free`.
std::vector<size_t> ChooseStarts(const std::vector<WaitingJob>& queue, int free, int capacity,
                                 double now, double starvation_guard_seconds);

}  // namespace trainyard
