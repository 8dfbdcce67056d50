// Billing: what a job's instances cost while they run (DESIGN.md section 4,
// "Billing and savings").
//
// An attempt is billed for the time its instances are up (Downloading,
// Training, Uploading, and the Stopping grace when they were up), times
// InstanceCount; launching (Starting) is free, as on SageMaker. The billable
// time weights each stretch by the price it ran at against the on-demand
// price (1 on on-demand, the pool's spot ratio on spot), and the cost is the
// billable time at the on-demand price per hour. Prices are piecewise constant
// (they change only at market ticks and operator updates), so the engine
// accrues an attempt at every such change, at every change of the job, and
// when the attempt ends; each accrual prices the stretch since the last one.
//
// ComputeCostSummary (declared in trainyard/job.h) is defined here.
//
// Threading: stateless.
#pragma once

#include "trainyard/catalogue.h"
#include "trainyard/job.h"

namespace trainyard {

// Accrues the job's open attempt from job.run.billed_until up to `t`, then
// moves billed_until to `t`. `instances_up` false (launching, or a stop
// grace before the instances were up) moves billed_until without billing.
// REQUIRES: the job has an open attempt; t >= job.run.billed_until.
void AccrueAttempt(TrainingJob& job, double t, bool instances_up, double price_ratio,
                   double on_demand_price_per_hour);

// SageMaker's TrainingTimeInSeconds and BillableTimeInSeconds: instance up
// time over all attempts as accrued so far, and the same price-weighted;
// not multiplied by InstanceCount.
double TrainingSeconds(const TrainingJob& job);
double BillableSeconds(const TrainingJob& job);

// Time to copy the input in File mode at the pool's network speed; 0 for
// Pipe and FastFile, which stream it.
double DownloadSeconds(const JobSpec& spec, const InstancePool& pool);

// The training a job has delivered, for the on-demand comparison: all of it
// when Completed, the progress its stop saved when Stopped, none when Failed,
// its last checkpoint while it runs.
double DeliveredTrainingSeconds(const TrainingJob& job);

}  // namespace trainyard
