#include "api/cost_report_routes.h"

#include <cstdio>
#include <limits>

#include "api/errors.h"
#include "api/json_body.h"
#include "api/query_string.h"
#include "api/strict_number.h"
#include "trainyard/cost_report.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

struct ReportQuery {
  double from = -std::numeric_limits<double>::infinity();  // CreationTime >= From
  double to = std::numeric_limits<double>::infinity();     // CreationTime < To
  CostGrouping grouping = CostGrouping::kInstanceType;
  std::string tag_key;
  std::optional<JobStatus> status;
};

Result<ReportQuery> ParseReportQuery(const std::map<std::string, std::string>& params) {
  ReportQuery q;
  for (const auto& [key, value] : params) {
    if (key == "From" || key == "To") {
      auto t = ParseFiniteDouble(value);
      if (!t) return Status::Validation(key + " must be epoch seconds (got '" + value + "')");
      (key == "From" ? q.from : q.to) = *t;
    } else if (key == "GroupBy") {
      if (value == "InstanceType") q.grouping = CostGrouping::kInstanceType;
      else if (value == "Market") q.grouping = CostGrouping::kMarket;
      else if (value == "Status") q.grouping = CostGrouping::kStatus;
      else if (value.rfind("Tag:", 0) == 0 && value.size() > 4) {
        q.grouping = CostGrouping::kTag;
        q.tag_key = value.substr(4);
      } else {
        return Status::Validation("GroupBy must be InstanceType, Market, Status or Tag:<key> (got '" +
                                  value + "')");
      }
    } else if (key == "StatusEquals") {
      q.status = ParseJobStatus(value);
      if (!q.status) {
        return Status::Validation("StatusEquals must be InProgress, Completed, Failed, Stopping or Stopped");
      }
    } else {
      return Status::Validation("Unknown query parameter '" + key +
                                "'; expected From, To, GroupBy, StatusEquals");
    }
  }
  if (q.from >= q.to) return Status::Validation("From must be before To");
  return q;
}

json TotalsJson(const CostRollup& t) {
  return {{"Jobs", t.jobs},
          {"InstanceHours", t.instance_hours},
          {"ActualCost", t.actual_cost},
          {"OnDemandEquivalentCost", t.on_demand_equivalent_cost},
          {"NetSavings", t.net_savings},
          {"NetSavingsPercent", t.NetSavingsPercent()},
          {"SavingsPercent", t.SavingsPercent()},
          {"Interruptions", t.interruptions},
          {"LostTrainingHours", t.lost_training_hours},
          {"WaitingHours", t.waiting_hours}};
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string CsvRow(const std::string& group, const CostRollup& t) {
  char buf[512];
  std::snprintf(buf, sizeof buf, ",%lld,%.6f,%.6f,%.6f,%.6f,%.4f,%.4f,%lld,%.6f,%.6f\n",
                static_cast<long long>(t.jobs), t.instance_hours, t.actual_cost,
                t.on_demand_equivalent_cost, t.net_savings, t.NetSavingsPercent(),
                t.SavingsPercent(), static_cast<long long>(t.interruptions),
                t.lost_training_hours, t.waiting_hours);
  return CsvField(group) + buf;
}

std::string GroupByName(const ReportQuery& q) {
  switch (q.grouping) {
    case CostGrouping::kInstanceType: return "InstanceType";
    case CostGrouping::kMarket: return "Market";
    case CostGrouping::kStatus: return "Status";
    case CostGrouping::kTag: return "Tag:" + q.tag_key;
  }
  return "";
}

// Reads every job the query covers, a page of summaries at a time.
Result<CostReport> BuildReport(JobService& jobs, const Catalogue& catalogue,
                               double upload_seconds, const ReportQuery& q) {
  CostReport report(q.grouping, q.tag_key);
  JobQuery page_query;
  page_query.status_equals = q.status;
  page_query.max_results = 100;
  for (;;) {
    auto page = jobs.ListJobs(page_query);
    if (!page.ok()) return page.status();
    for (const JobSummary& summary : page->jobs) {
      if (summary.creation_time < q.from || summary.creation_time >= q.to) continue;
      auto job = jobs.DescribeJob(summary.name);
      if (!job.ok()) return job.status();
      const InstancePool* pool = catalogue.Find(job->spec.instance_type);
      if (pool == nullptr) continue;  // its type left the catalogue: no price to report
      report.Add(*job, ComputeCostSummary(*job, *pool, upload_seconds));
    }
    if (page->next_token.empty()) break;
    page_query.next_token = page->next_token;
  }
  return report;
}

}  // namespace

void AddCostReportRoute(Router& router, JobService& jobs, const Catalogue& catalogue,
                        double upload_seconds) {
  router.Add("GET", "/v1/cost-report", [&jobs, &catalogue, upload_seconds](
                                           const ApiRequest& request, const Router::Captures&,
                                           Respond respond) {
    auto params = ParseQueryString(request.query);
    if (!params.ok()) return respond(ErrorResponse(params.status()));
    auto query = ParseReportQuery(*params);
    if (!query.ok()) return respond(ErrorResponse(query.status()));
    auto report = BuildReport(jobs, catalogue, upload_seconds, *query);
    if (!report.ok()) return respond(ErrorResponse(report.status()));

    if (request.Header("accept").find("text/csv") != std::string::npos) {
      ApiResponse csv;
      csv.content_type = "text/csv; charset=utf-8";
      csv.body = "Group,Jobs,InstanceHours,ActualCost,OnDemandEquivalentCost,NetSavings,"
                 "NetSavingsPercent,SavingsPercent,Interruptions,LostTrainingHours,WaitingHours\n";
      for (const auto& [group, totals] : report->groups()) csv.body += CsvRow(group, totals);
      csv.body += CsvRow("Total", report->totals());
      return respond(std::move(csv));
    }
    json groups = json::array();
    for (const auto& [group, totals] : report->groups()) {
      json entry = TotalsJson(totals);
      entry["Group"] = group;
      groups.push_back(std::move(entry));
    }
    respond(JsonResponse(200, {{"GroupBy", GroupByName(*query)},
                               {"Totals", TotalsJson(report->totals())},
                               {"Groups", std::move(groups)}}));
  });
}

}  // namespace trainyard::api
