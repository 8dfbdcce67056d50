#include "api/capacity_file.h"

#include <gtest/gtest.h>

namespace trainyard::api {
namespace {

TEST(CapacityFileTest, ParsesPoolsAndFillsBuiltInFigures) {
  auto catalogue = ParseCapacityFile(R"({"Pools": [
      {"InstanceType": "ml.p3.2xlarge", "OnDemandPricePerHour": 3.06, "SpotCapacity": 2},
      {"InstanceType": "ml.custom.large", "OnDemandPricePerHour": 1.5, "OnDemandCapacity": 3,
       "SpotCapacity": 0, "SpotPriceRatio": 0.4, "InterruptionRatePerHour": 0,
       "LaunchSeconds": 60, "NetworkGbps": 25}]})");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  const InstancePool* p3 = catalogue->Find("ml.p3.2xlarge");
  ASSERT_NE(p3, nullptr);
  EXPECT_EQ(p3->on_demand_price_per_hour, 3.06);
  EXPECT_EQ(p3->spot_capacity, 2);
  EXPECT_EQ(p3->launch_seconds, Catalogue::BuiltIn().Find("ml.p3.2xlarge")->launch_seconds);
  const InstancePool* custom = catalogue->Find("ml.custom.large");
  ASSERT_NE(custom, nullptr);
  EXPECT_EQ(custom->on_demand_capacity, 3);
  EXPECT_EQ(custom->spot_price_ratio, 0.4);
  EXPECT_EQ(custom->network_gbps, 25);
  EXPECT_EQ(catalogue->Find("ml.m5.large"), nullptr) << "the file replaces the catalogue";
}

void ExpectRejected(std::string_view text, std::string_view fragment) {
  auto catalogue = ParseCapacityFile(text);
  ASSERT_FALSE(catalogue.ok()) << text;
  EXPECT_NE(catalogue.status().message().find(fragment), std::string::npos)
      << catalogue.status().message();
}

TEST(CapacityFileTest, ErrorsNameThePoolAndMember) {
  ExpectRejected("{", "not valid JSON");
  ExpectRejected(R"({"Pools": []})", "no pools");
  ExpectRejected(R"({"Pool": []})", "\"Pools\"");
  ExpectRejected(R"({"Pools": [{"OnDemandPricePerHour": 1}]})", "Pools[0].InstanceType");
  ExpectRejected(R"({"Pools": [{"InstanceType": "a"}]})", "Pools[0] (a).OnDemandPricePerHour");
  ExpectRejected(R"({"Pools": [{"InstanceType": "a", "OnDemandPricePerHour": 1, "SpotPriceRatio": 1.5}]})",
                 "Pools[0] (a).SpotPriceRatio must be between");
  ExpectRejected(R"({"Pools": [{"InstanceType": "a", "OnDemandPricePerHour": 1, "SpotCapacity": -1}]})",
                 "Pools[0] (a).SpotCapacity");
  ExpectRejected(R"({"Pools": [{"InstanceType": "a", "OnDemandPricePerHour": 1, "Spotcapacity": 1}]})",
                 "Unknown member 'Pools[0] (a).Spotcapacity'");
  ExpectRejected(R"({"Pools": [{"InstanceType": "a", "OnDemandPricePerHour": 1},
                               {"InstanceType": "a", "OnDemandPricePerHour": 2}]})",
                 "Pools[1] (a).InstanceType is listed twice");
}

TEST(CapacityFileTest, PoolJsonRoundTrips) {
  Catalogue builtin = Catalogue::BuiltIn();
  nlohmann::json doc = nlohmann::json::object();
  doc["Pools"] = nlohmann::json::array();
  for (const auto& pool : builtin.pools()) doc["Pools"].push_back(InstancePoolJson(pool));
  auto parsed = ParseCapacityFile(doc.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->pools().size(), builtin.pools().size());
  for (size_t i = 0; i < builtin.pools().size(); ++i) {
    EXPECT_EQ(parsed->pools()[i].instance_type, builtin.pools()[i].instance_type);
    EXPECT_EQ(parsed->pools()[i].spot_price_ratio, builtin.pools()[i].spot_price_ratio);
  }
}

}  // namespace
}  // namespace trainyard::api
