#include "trainyard/catalogue.h"

namespace trainyard {

Catalogue Catalogue::BuiltIn() {
  // On-demand prices: us-east-1 SageMaker training prices as used by public
  // examples (CASES.md) where given; the others are typical published figures.
  // Spot ratios around 0.3 match the ~70% GPU savings of the case studies.
  // Interruption rates are per running spot instance-hour: scarce, large GPU
  // types are reclaimed more often, as the Spot Instance Advisor shows.
  return Catalogue({
      // type, $/h, on-demand cap, spot cap, spot ratio, interrupts/h, launch s, Gbps
      {"ml.m5.large", 0.115, 64, 64, 0.30, 0.01, 120, 10},
      {"ml.c5.xlarge", 0.204, 64, 64, 0.32, 0.01, 120, 10},
      {"ml.g4dn.xlarge", 0.736, 16, 16, 0.30, 0.03, 180, 25},
      {"ml.g5.xlarge", 1.408, 16, 16, 0.32, 0.04, 180, 10},
      {"ml.p3.2xlarge", 3.825, 16, 16, 0.30, 0.03, 180, 10},
      {"ml.p3.8xlarge", 14.688, 8, 8, 0.30, 0.05, 240, 10},
      {"ml.p3.16xlarge", 28.152, 8, 8, 0.30, 0.05, 240, 25},
      {"ml.p3dn.24xlarge", 35.894, 8, 8, 0.30, 0.06, 300, 100},
      {"ml.p4d.24xlarge", 37.688, 4, 4, 0.35, 0.08, 300, 400},
  });
}

const InstancePool* Catalogue::Find(std::string_view instance_type) const {
  for (const auto& pool : pools_) {
    if (pool.instance_type == instance_type) return &pool;
  }
  return nullptr;
}

}  // namespace trainyard
