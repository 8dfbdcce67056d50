#include "api/capacity_file.h"

#include <set>

namespace trainyard::api {
namespace {

using nlohmann::json;

std::string Where(size_t index, const json& pool) {
  std::string where = "Pools[" + std::to_string(index) + "]";
  if (pool.is_object() && pool.contains("InstanceType") && pool["InstanceType"].is_string()) {
    where += " (" + pool["InstanceType"].get<std::string>() + ")";
  }
  return where;
}

// Reads an optional number member within [lo, hi].
Status ReadNumber(const json& pool, const std::string& where, const char* member, double lo,
                  double hi, double& out) {
  if (!pool.contains(member)) return Status::Ok();
  const json& value = pool[member];
  if (!value.is_number()) return Status::Validation(where + "." + member + " must be a number");
  double v = value.get<double>();
  if (!(v >= lo && v <= hi)) {
    return Status::Validation(where + "." + member + " must be between " + json(lo).dump() +
                              " and " + json(hi).dump() + " (got " + value.dump() + ")");
  }
  out = v;
  return Status::Ok();
}

Status ReadCount(const json& pool, const std::string& where, const char* member, int& out) {
  if (!pool.contains(member)) return Status::Ok();
  const json& value = pool[member];
  if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 1'000'000) {
    return Status::Validation(where + "." + member + " must be an integer in 0..1000000");
  }
  out = value.get<int>();
  return Status::Ok();
}

const std::set<std::string>& KnownMembers() {
  static const std::set<std::string> kMembers = {
      "InstanceType",   "OnDemandPricePerHour",    "OnDemandCapacity", "SpotCapacity",
      "SpotPriceRatio", "InterruptionRatePerHour", "LaunchSeconds",    "NetworkGbps"};
  return kMembers;
}

Result<InstancePool> ParsePool(size_t index, const json& pool) {
  const std::string where = Where(index, pool);
  if (!pool.is_object()) return Status::Validation(where + " must be an object");
  for (const auto& [key, value] : pool.items()) {
    if (KnownMembers().count(key) == 0) {
      return Status::Validation("Unknown member '" + where + "." + key + "'");
    }
  }
  if (!pool.contains("InstanceType") || !pool["InstanceType"].is_string() ||
      pool["InstanceType"].get<std::string>().empty()) {
    return Status::Validation(where + ".InstanceType is required and must be a string");
  }
  if (!pool.contains("OnDemandPricePerHour")) {
    return Status::Validation(where + ".OnDemandPricePerHour is required");
  }
  InstancePool out;
  out.instance_type = pool["InstanceType"].get<std::string>();
  static const Catalogue kBuiltIn = Catalogue::BuiltIn();
  if (const InstancePool* known = kBuiltIn.Find(out.instance_type)) out = *known;
  Status s;
  if (!(s = ReadNumber(pool, where, "OnDemandPricePerHour", 0.0001, 1e6, out.on_demand_price_per_hour)).ok() ||
      !(s = ReadCount(pool, where, "OnDemandCapacity", out.on_demand_capacity)).ok() ||
      !(s = ReadCount(pool, where, "SpotCapacity", out.spot_capacity)).ok() ||
      !(s = ReadNumber(pool, where, "SpotPriceRatio", 0.01, 1, out.spot_price_ratio)).ok() ||
      !(s = ReadNumber(pool, where, "InterruptionRatePerHour", 0, 100, out.interruption_rate_per_hour)).ok() ||
      !(s = ReadNumber(pool, where, "LaunchSeconds", 0, 86400, out.launch_seconds)).ok() ||
      !(s = ReadNumber(pool, where, "NetworkGbps", 0.001, 10000, out.network_gbps)).ok()) {
    return s;
  }
  return out;
}

}  // namespace

Result<Catalogue> ParseCapacityFile(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::Validation("capacity file is not valid JSON");
  if (!doc.is_object() || !doc.contains("Pools") || !doc["Pools"].is_array()) {
    return Status::Validation("capacity file must be an object with a \"Pools\" array");
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "Pools") return Status::Validation("Unknown member '" + key + "' in capacity file");
  }
  if (doc["Pools"].empty()) return Status::Validation("capacity file has no pools");
  std::vector<InstancePool> pools;
  std::set<std::string> seen;
  for (size_t i = 0; i < doc["Pools"].size(); ++i) {
    auto pool = ParsePool(i, doc["Pools"][i]);
    if (!pool.ok()) return pool.status();
    if (!seen.insert(pool->instance_type).second) {
      return Status::Validation(Where(i, doc["Pools"][i]) + ".InstanceType is listed twice");
    }
    pools.push_back(std::move(*pool));
  }
  return Catalogue(std::move(pools));
}

json InstancePoolJson(const InstancePool& pool) {
  return {{"InstanceType", pool.instance_type},
          {"OnDemandPricePerHour", pool.on_demand_price_per_hour},
          {"OnDemandCapacity", pool.on_demand_capacity},
          {"SpotCapacity", pool.spot_capacity},
          {"SpotPriceRatio", pool.spot_price_ratio},
          {"InterruptionRatePerHour", pool.interruption_rate_per_hour},
          {"LaunchSeconds", pool.launch_seconds},
          {"NetworkGbps", pool.network_gbps}};
}

}  // namespace trainyard::api
