# Figure fig_faults: COW faults per policy for the headline configuration
# of each workload (whole runs; see workload_table in workloads.R), median
# over repetitions with min..max bars, on a pseudo-log axis so that zero
# faults stay visible. One row per workload, the policies side by side;
# only the workloads that ran under every policy of the data.

faults_data <- function(d) {
  headline_stats(d$stats) %>%
    filter(counter == "cow_faults", !is.na(median)) %>%
    on_every_policy("fig_faults")
}

plot_faults <- function(faults) {
  plot_dots_by_workload(faults, "COW faults (pages; pseudo-log scale)")
}

fig_faults <- figure(
  needs = "whole runs of a workload",
  data = faults_data,
  plot = plot_faults,
  width = width_column,
  height = height_by_workload
)
