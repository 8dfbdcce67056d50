#include "trainyard/clock.h"

namespace trainyard {

double SystemEpochSeconds() {
  std::chrono::duration<double> since_epoch =
      std::chrono::system_clock::now().time_since_epoch();
  return since_epoch.count();
}

}  // namespace trainyard
