// The simulate report as text and as JSON. Numbers are rounded for reading
// (cents, hundredths of a percent, of a minute, of an hour) by fixed rules,
// so equal reports print equal bytes.
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/simulate/simulation_report.h"

namespace trainyard {
namespace {

using ordered_json = nlohmann::ordered_json;

// Rounds to `decimals` places; never -0, which would print as "-0.0".
double Round(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double rounded = std::round(value * scale) / scale;
  return rounded == 0 ? 0.0 : rounded;
}

std::string Fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, Round(value, decimals));
  return buf;
}

// "12,345.67": thousands separated, for amounts a person reads.
std::string Grouped(double value, int decimals) {
  std::string text = Fixed(std::fabs(value), decimals);
  const size_t point = text.find('.');
  size_t digits = point == std::string::npos ? text.size() : point;
  for (size_t i = digits; i > 3; i -= 3) text.insert(i - 3, ",");
  return (Round(value, decimals) < 0 ? "-" : "") + text;
}

std::string Money(double dollars) {
  std::string text = Grouped(dollars, 2);
  return text.front() == '-' ? "-$" + text.substr(1) : "$" + text;
}

std::string Count(int64_t n) { return Grouped(static_cast<double>(n), 0); }
std::string Percent(double p) { return Fixed(p, 1) + "%"; }
std::string Minutes(double seconds) { return Fixed(seconds / 60, 1); }

std::string Iso8601(double epoch_seconds) {
  const auto t = static_cast<std::time_t>(std::floor(epoch_seconds));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Columns sized to their widest cell; text left-aligned, numbers right.
class TextTable {
 public:
  explicit TextTable(std::vector<bool> right_aligned) : right_(std::move(right_aligned)) {}
  void Row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::string Render(const std::string& indent = "") const {
    std::vector<size_t> width(right_.size(), 0);
    for (const auto& row : rows_) {
      for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows_) {
      std::string line = indent;
      for (size_t i = 0; i < row.size(); ++i) {
        const std::string pad(width[i] - row[i].size(), ' ');
        if (i > 0) line += "  ";
        line += right_[i] ? pad + row[i] : row[i] + pad;
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    return out;
  }

 private:
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

std::string OutcomeLabel(Outcome outcome) {
  switch (outcome) {
    case Outcome::kCompleted:
      return "Completed";
    case Outcome::kMaxRuntimeExceeded:
      return "Stopped: MaxRuntimeExceeded";
    case Outcome::kMaxWaitTimeExceeded:
      return "Stopped: MaxWaitTimeExceeded";
    case Outcome::kStopped:
      return "Stopped: Stopped";
    case Outcome::kFailed:
      return "Failed";
    case Outcome::kUnfinished:
      return "Never started (can never fit)";
  }
  return "Unknown";
}

std::vector<std::string> GroupCells(std::string type, std::string market, const CostRollup& c,
                                    int64_t completed, const WaitingPercentiles& w) {
  return {std::move(type),
          std::move(market),
          Count(c.jobs),
          Count(completed),
          Grouped(c.instance_hours, 1),
          Money(c.actual_cost),
          Money(c.on_demand_equivalent_cost),
          Money(c.net_savings),
          Percent(c.NetSavingsPercent()),
          Percent(c.SavingsPercent()),
          Count(c.interruptions),
          Grouped(c.lost_training_hours, 1),
          Minutes(w.p50),
          Minutes(w.p90)};
}

// Members named as GET /v1/cost-report names them.
ordered_json CostJson(const CostRollup& c, int64_t completed) {
  ordered_json j;
  j["Jobs"] = c.jobs;
  j["Completed"] = completed;
  j["InstanceHours"] = Round(c.instance_hours, 2);
  j["TrainingHours"] = Round(c.training_seconds / 3600, 2);
  j["BillableHours"] = Round(c.billable_seconds / 3600, 2);
  j["ActualCost"] = Round(c.actual_cost, 2);
  j["OnDemandEquivalentCost"] = Round(c.on_demand_equivalent_cost, 2);
  j["NetSavings"] = Round(c.net_savings, 2);
  j["NetSavingsPercent"] = Round(c.NetSavingsPercent(), 2);
  j["SavingsPercent"] = Round(c.SavingsPercent(), 2);
  j["Interruptions"] = c.interruptions;
  j["LostTrainingHours"] = Round(c.lost_training_hours, 2);
  j["WaitingHours"] = Round(c.waiting_hours, 2);
  return j;
}

ordered_json WaitingJson(const WaitingPercentiles& w) {
  return {{"P50", Round(w.p50 / 60, 2)},
          {"P90", Round(w.p90 / 60, 2)},
          {"P99", Round(w.p99 / 60, 2)},
          {"Max", Round(w.max / 60, 2)}};
}

}  // namespace

std::string FormatReportTable(const SimulationReport& r) {
  const CostRollup& t = r.totals;
  std::string out = "trainyard simulate: " + Count(t.jobs) + " jobs, seed " +
                    std::to_string(r.seed) + ", " +
                    (r.market_moves ? "moving" : "static") + " market\n";
  out += "Simulated " + Iso8601(r.start_time) + " to " + Iso8601(r.end_time) + " (" +
         Fixed((r.end_time - r.start_time) / 86400, 2) + " days)\n\n";

  TextTable outcomes({false, true, true, true});
  outcomes.Row({"Outcome", "Jobs", "Actual cost", "On-demand eq."});
  for (size_t i = 0; i < kOutcomeCount; ++i) {
    const auto outcome = static_cast<Outcome>(i);
    const OutcomeRow& row = r.outcomes[i];
    if (outcome == Outcome::kUnfinished && row.jobs == 0) continue;  // the usual case
    outcomes.Row({OutcomeLabel(outcome), Count(row.jobs), Money(row.actual_cost),
                  Money(row.on_demand_equivalent_cost)});
  }
  out += outcomes.Render() + "\n";

  TextTable cost({false, true, false});
  cost.Row({"Actual cost", Money(t.actual_cost), ""});
  cost.Row({"On-demand equivalent", Money(t.on_demand_equivalent_cost),
            "the work delivered, once, uninterrupted, on on-demand"});
  cost.Row({"Net savings", Money(t.net_savings), Percent(t.NetSavingsPercent())});

  cost.Row({"SageMaker-style savings", Percent(t.SavingsPercent()),
            "1 - billable / training time"});
  cost.Row({"Instance-hours", Grouped(t.instance_hours, 1), ""});
  cost.Row({"Spot interruptions", Count(t.interruptions), ""});
  cost.Row({"Lost training", Grouped(t.lost_training_hours, 1) + " h",
            "redone after interruptions and failed attempts"});
  out += "Cost and savings\n" + cost.Render("  ") + "\n";

  TextTable waiting({true, true, true, true});
  waiting.Row({"p50", "p90", "p99", "max"});
  waiting.Row({Minutes(r.waiting.p50), Minutes(r.waiting.p90), Minutes(r.waiting.p99),
               Minutes(r.waiting.max)});
  out += "Waiting for capacity (minutes)\n" + waiting.Render("  ") + "\n";

  TextTable groups({false, false, true, true, true, true, true, true, true, true, true, true,
                    true, true});
  groups.Row({"Instance type", "Market", "Jobs", "Completed", "Inst-h", "Actual cost",
              "On-demand eq.", "Net savings", "Net %", "SM %", "Interrupts", "Lost h",
              "Wait p50", "Wait p90"});
  for (const GroupRow& g : r.groups) {
    groups.Row(GroupCells(g.instance_type, std::string(ToString(g.market)), g.cost, g.completed,
                          g.waiting));
  }
  groups.Row(GroupCells("Total", "", t, r.completed, r.waiting));
  out += "By instance type and market (waiting in minutes)\n" + groups.Render();
  return out;
}

std::string FormatReportJson(const SimulationReport& r) {
  ordered_json j;
  j["Seed"] = r.seed;
  j["MarketMoves"] = r.market_moves;
  j["StartTime"] = r.start_time;
  j["EndTime"] = Round(r.end_time, 3);
  j["SimulatedDays"] = Round((r.end_time - r.start_time) / 86400, 2);
  ordered_json outcomes = ordered_json::array();
  for (size_t i = 0; i < kOutcomeCount; ++i) {
    const auto [status, secondary] = OutcomeStatus(static_cast<Outcome>(i));
    outcomes.push_back({{"TrainingJobStatus", status},
                        {"SecondaryStatus", secondary},
                        {"Jobs", r.outcomes[i].jobs},
                        {"ActualCost", Round(r.outcomes[i].actual_cost, 2)},
                        {"OnDemandEquivalentCost",
                         Round(r.outcomes[i].on_demand_equivalent_cost, 2)}});
  }
  j["Outcomes"] = std::move(outcomes);
  j["Totals"] = CostJson(r.totals, r.completed);
  j["WaitingMinutes"] = WaitingJson(r.waiting);
  ordered_json groups = ordered_json::array();
  for (const GroupRow& g : r.groups) {
    ordered_json row;
    row["InstanceType"] = g.instance_type;
    row["Market"] = ToString(g.market);
    row.update(CostJson(g.cost, g.completed));
    row["WaitingMinutes"] = WaitingJson(g.waiting);
    groups.push_back(std::move(row));
  }
  j["Groups"] = std::move(groups);
  return j.dump(2) + "\n";
}

}  // namespace trainyard
