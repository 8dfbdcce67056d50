// Jobs for the benchmarks, made the way the server makes them: a realistic
// CreateTrainingJob request parsed by the wire layer (so the spec and the
// request document the engine holds have their real size), then renamed.
// Shared by the benchmark files (one trainyard_bench binary).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "api/create_training_job.h"
#include "api/job_json.h"
#include "server/engine/simulation.h"
#include "trainyard/catalogue.h"
#include "trainyard/job.h"

namespace trainyard::bench {

// A mid-sized request: one channel, a checkpoint location, a few
// hyperparameters and tags. bench/run.sh posts the same body (create.lua).
inline constexpr const char* kCreateRequest = R"({
  "TrainingJobName": "bench-template",
  "AlgorithmSpecification": {
    "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
    "TrainingInputMode": "File"
  },
  "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
  "HyperParameters": {
    "objective": "binary:logistic",
    "num_round": "200",
    "trainyard.work_seconds": "3000",
    "trainyard.checkpoint_interval_seconds": "600"
  },
  "InputDataConfig": [{
    "ChannelName": "train",
    "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                                    "S3Uri": "s3://acme-ml-datasets/churn/train/"}},
    "ContentType": "text/csv"
  }],
  "OutputDataConfig": {"S3OutputPath": "s3://acme-ml-models/churn/"},
  "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 30},
  "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
  "CheckpointConfig": {"S3Uri": "s3://acme-ml-models/churn/checkpoints/"},
  "Tags": [{"Key": "project", "Value": "customer-churn"},
           {"Key": "team", "Value": "growth-analytics"}]
})";

inline constexpr const char* kInstanceType = "ml.m5.large";

// The template job as POST /v1/training-jobs hands it to the engine.
inline const TrainingJob& TemplateJob() {
  static const TrainingJob job = [] {
    auto parsed = api::ParseCreateTrainingJob(kCreateRequest, Catalogue::BuiltIn());
    if (!parsed.ok()) {
      std::fprintf(stderr, "bench: template request rejected: %s\n",
                   parsed.status().message().c_str());
      std::abort();
    }
    TrainingJob out;
    out.spec = std::move(parsed->spec);
    out.request_document = api::Dump(parsed->document);
    return out;
  }();
  return job;
}

inline std::string JobName(const char* prefix, size_t i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%08zu", prefix, i);
  return buf;
}

inline TrainingJob MakeJob(const char* prefix, size_t i) {
  TrainingJob job = TemplateJob();
  job.spec.name = JobName(prefix, i);
  job.arn = api::TrainingJobArn(api::ArnScope{}, job.spec.name);
  return job;
}

// One pool of `kInstanceType`, on-demand only, prices from the built-in one.
inline Catalogue OnePool(int on_demand_capacity) {
  InstancePool pool = *Catalogue::BuiltIn().Find(kInstanceType);
  pool.on_demand_capacity = on_demand_capacity;
  pool.spot_capacity = 0;
  return Catalogue({pool});
}

// Job i as the engine stores a new one: stamped by the Simulation itself
// (InProgress, Pending, one transition, creation time), with the request
// document the engine hands to the store beside it (the Simulation drops it).
inline TrainingJob StoredJob(const char* prefix, size_t i) {
  Simulation sim(OnePool(0), SimulationOptions{}, 1767225600);
  if (!sim.Submit(MakeJob(prefix, i)).ok()) std::abort();
  TrainingJob job = *sim.Find(JobName(prefix, i));
  job.request_document = TemplateJob().request_document;
  return job;
}

// A fresh directory for a benchmark's SQLite files, under
// $TRAINYARD_BENCH_DIR, $TMPDIR or /tmp (keep it on a real disk: a tmpfs
// makes fsync free); empty when it cannot be made.
inline std::string BenchTempDir(const char* what) {
  const char* base = std::getenv("TRAINYARD_BENCH_DIR");
  if (base == nullptr || *base == '\0') base = std::getenv("TMPDIR");
  if (base == nullptr || *base == '\0') base = "/tmp";
  std::string pattern = std::string(base) + "/trainyard-" + what + "-bench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

}  // namespace trainyard::bench
