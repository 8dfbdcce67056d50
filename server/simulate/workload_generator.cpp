#include "server/simulate/workload_generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/engine/random.h"

namespace trainyard {
namespace {

using ordered_json = nlohmann::ordered_json;

constexpr double kMaxStoppingSeconds = 28.0 * 86400;  // SageMaker's limit
constexpr double kUploadSeconds = 60;                 // SimulationOptions' default
constexpr std::string_view kSubject = "generated-job";
constexpr std::string_view kRoleArn = "arn:aws:iam::123456789012:role/SageMakerRole";
constexpr std::string_view kBucket = "s3://trainyard-workloads/";

// The kind of work a pool is used for, read from its instance family, so the
// names, images and teams of a generated trace look like a real account's.
struct Family {
  std::array<std::string_view, 3> models;
  std::string_view image;
  std::array<std::string_view, 2> teams;
};

constexpr Family kAccelerated = {
    {"resnet50-imagenet", "defect-detection", "semantic-segmentation"},
    "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310",
    {"vision", "ml-platform"}};
constexpr Family kSmallGpu = {
    {"bert-finetune", "t5-summarization", "llm-lora"},
    "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.1.0-gpu-py310",
    {"nlp", "search"}};
constexpr Family kCpu = {
    {"churn-xgboost", "fraud-xgboost", "demand-forecast"},
    "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
    {"growth-analytics", "risk"}};

const Family& FamilyOf(std::string_view instance_type) {
  // "ml.p3.2xlarge" -> 'p'; "ml.g5.xlarge" -> 'g'.
  const char letter = instance_type.size() > 3 ? instance_type[3] : ' ';
  if (letter == 'p' || letter == 't') return kAccelerated;  // p3/p4d/p5, trn1
  if (letter == 'g') return kSmallGpu;
  return kCpu;
}

// The draws of one job: each purpose is an independent keyed stream, indexed
// by the job, so adding a draw never shifts another.
class JobDraws {
 public:
  JobDraws(const KeyedRandom& random, uint64_t index) : random_(random), index_(index) {}

  double Uniform(std::string_view purpose) const {
    return random_.Uniform(purpose, kSubject, index_);
  }
  // Standard normal (Box-Muller over two streams).
  double Normal(std::string_view a, std::string_view b) const {
    const double u1 = Uniform(a), u2 = Uniform(b);
    return std::sqrt(-2 * std::log1p(-u1)) * std::cos(2 * std::numbers::pi * u2);
  }
  double LogNormal(std::string_view a, std::string_view b, double median, double sigma) const {
    return median * std::exp(sigma * Normal(a, b));
  }
  template <typename T, size_t N>
  const T& Pick(std::string_view purpose, const std::array<T, N>& items) const {
    const auto i = static_cast<size_t>(Uniform(purpose) * N);
    return items[std::min(i, N - 1)];
  }

 private:
  const KeyedRandom& random_;
  uint64_t index_;
};

const InstancePool& PickPool(const JobDraws& draw, const Catalogue& catalogue) {
  const auto& pools = catalogue.pools();
  double total = 0;
  for (const auto& p : pools) total += p.on_demand_capacity + p.spot_capacity;
  const double u = draw.Uniform("gen.instance-type");
  if (total <= 0) return pools[std::min(static_cast<size_t>(u * pools.size()), pools.size() - 1)];
  double at = u * total;
  for (const auto& p : pools) {
    at -= p.on_demand_capacity + p.spot_capacity;
    if (at < 0) return p;
  }
  return pools.back();
}

int PickInstanceCount(const JobDraws& draw, int market_capacity) {
  const double u = draw.Uniform("gen.instance-count");
  int count = u < 0.75 ? 1 : u < 0.87 ? 2 : u < 0.95 ? 4 : 8;
  // A gang of more than a quarter of the pool would mostly wait.
  while (count > 1 && count > market_capacity / 4) count /= 2;
  return count;
}

std::string Decimal(double value, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string Integer(double value) { return Decimal(value, 0); }

ordered_json GenerateRequest(const JobDraws& draw, const Catalogue& catalogue,
                             const std::string& index_text) {
  const InstancePool& pool = PickPool(draw, catalogue);
  const Family& family = FamilyOf(pool.instance_type);
  const std::string model(draw.Pick("gen.model", family.models));
  const std::string name = model + "-" + index_text;

  bool spot = draw.Uniform("gen.spot") < 0.6;
  // A market with no capacity at all would only ever make the job wait.
  if (spot && pool.spot_capacity == 0 && pool.on_demand_capacity > 0) spot = false;
  if (!spot && pool.on_demand_capacity == 0 && pool.spot_capacity > 0) spot = true;
  const int count =
      PickInstanceCount(draw, spot ? pool.spot_capacity : pool.on_demand_capacity);

  const double work = std::round(
      std::clamp(draw.LogNormal("gen.work-a", "gen.work-b", 1800, 1.2), 300.0, 86400.0));
  const double u_mode = draw.Uniform("gen.input-mode");
  const std::string_view mode = u_mode < 0.55 ? "File" : u_mode < 0.85 ? "Pipe" : "FastFile";
  const double dataset_gb = std::round(
      std::clamp(draw.LogNormal("gen.dataset-a", "gen.dataset-b", 8, 1.3), 0.1, 1000.0) * 10) / 10;
  const double download = mode == "File" ? dataset_gb * 8 / pool.network_gbps : 0;

  ordered_json hyper;
  hyper["trainyard.work_seconds"] = Integer(work);
  hyper["trainyard.dataset_gb"] = Decimal(dataset_gb, 1);
  const bool checkpoints = draw.Uniform("gen.checkpoint") < (spot ? 0.75 : 0.25);
  if (checkpoints) {
    static constexpr std::array<double, 4> kIntervals = {300, 600, 900, 1800};
    hyper["trainyard.checkpoint_interval_seconds"] =
        Integer(draw.Pick("gen.checkpoint-interval", kIntervals));
    if (draw.Uniform("gen.checkpoint-on-notice") < 0.4) {
      hyper["trainyard.checkpoint_on_notice"] = "true";
    }
  }
  if (draw.Uniform("gen.flaky") < 0.08) {
    hyper["trainyard.failure_probability"] =
        Decimal(0.1 + 0.3 * draw.Uniform("gen.failure-probability"), 2);
  }
  if (spot && draw.Uniform("gen.fallback") < 0.1) hyper["trainyard.spot_fallback"] = "on-demand";

  const double expected_run = pool.launch_seconds + download + work + kUploadSeconds;
  double max_runtime = std::ceil(2 * expected_run / 3600) * 3600;
  if (draw.Uniform("gen.runtime-underestimated") < 0.04) {
    max_runtime = std::max(60.0, std::round(work * (0.5 + 0.45 * draw.Uniform("gen.runtime"))));
  }
  max_runtime = std::min(max_runtime, kMaxStoppingSeconds);
  ordered_json stopping = {{"MaxRuntimeInSeconds", static_cast<int64_t>(max_runtime)}};
  if (spot) {
    static constexpr std::array<double, 3> kWaitFactors = {1.5, 2, 3};
    const double wait = std::min(kMaxStoppingSeconds,
                                 std::round(max_runtime * draw.Pick("gen.max-wait", kWaitFactors)));
    stopping["MaxWaitTimeInSeconds"] = static_cast<int64_t>(wait);
  }

  const std::string prefix = std::string(kBucket) + model + "/";
  ordered_json request;
  request["TrainingJobName"] = name;
  request["AlgorithmSpecification"] = {{"TrainingImage", family.image},
                                       {"TrainingInputMode", mode}};
  request["RoleArn"] = kRoleArn;
  request["HyperParameters"] = std::move(hyper);
  request["InputDataConfig"] = ordered_json::array(
      {{{"ChannelName", "train"},
        {"DataSource",
         {{"S3DataSource", {{"S3DataType", "S3Prefix"}, {"S3Uri", prefix + "train/"}}}}}}});
  request["OutputDataConfig"] = {{"S3OutputPath", prefix + "output/"}};
  request["ResourceConfig"] = {
      {"InstanceType", pool.instance_type},
      {"InstanceCount", count},
      {"VolumeSizeInGB", static_cast<int>(std::max(30.0, std::ceil(dataset_gb * 1.5)))}};
  request["StoppingCondition"] = std::move(stopping);
  if (spot) request["EnableManagedSpotTraining"] = true;
  if (checkpoints) request["CheckpointConfig"] = {{"S3Uri", prefix + "checkpoints/" + name + "/"}};
  if (draw.Uniform("gen.retry") < 0.2) {
    request["RetryStrategy"] = {
        {"MaximumRetryAttempts", 1 + static_cast<int>(draw.Uniform("gen.retry-attempts") * 3)}};
  }
  request["Tags"] = ordered_json::array(
      {{{"Key", "team"}, {"Value", draw.Pick("gen.team", family.teams)}}});
  return request;
}

}  // namespace

Status GenerateWorkload(const GeneratorOptions& options, const Catalogue& catalogue,
                        std::ostream& out) {
  if (catalogue.pools().empty()) return Status::Validation("the catalogue has no pools");
  if (!(options.days > 0)) return Status::Validation("--days must be above 0");
  const KeyedRandom random(options.seed);
  const double span = options.days * 86400;

  // Submission times first, so that the lines come out in time order.
  std::vector<std::pair<double, uint64_t>> order(options.jobs);
  for (uint64_t i = 0; i < options.jobs; ++i) {
    const double t = std::floor(JobDraws(random, i).Uniform("gen.submit-time") * span);
    order[i] = {t, i};
  }
  std::sort(order.begin(), order.end());

  // Zero-padded indexes: names sort in index order and stay one width.
  const size_t width = std::max<size_t>(6, std::to_string(options.jobs).size());
  for (const auto& [submit_time, index] : order) {
    std::string index_text = std::to_string(index);
    index_text.insert(0, width - std::min(width, index_text.size()), '0');
    ordered_json line;
    line["SubmitTime"] = static_cast<int64_t>(submit_time);
    line["Request"] = GenerateRequest(JobDraws(random, index), catalogue, index_text);
    out << line.dump() << '\n';
  }
  return out ? Status::Ok() : Status::Internal("cannot write the workload");
}

}  // namespace trainyard
