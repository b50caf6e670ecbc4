# Summaries over repetitions (median, min, max), the oracle minimum of
# pages copied and the normalisation to the cow policy.

summary_counters <- c(counter_columns, "copies", "useful")

# One row per case, policy and counter: median, min and max over the
# repetitions, and how many values there were.
summarise_runs <- function(runs, counters = summary_counters) {
  runs %>%
    select(workload, case, headline, cpus, pages, frac, seed, policy, rep,
      all_of(counters)) %>%
    pivot_longer(
      all_of(counters),
      names_to = "counter", values_to = "value"
    ) %>%
    group_by(workload, case, headline, cpus, pages, frac, seed, policy,
      counter) %>%
    summarise(
      median = safe_median(value),
      min = safe_min(value),
      max = safe_max(value),
      n = sum(!is.na(value)),
      .groups = "drop"
    )
}

# The oracle minimum of pages copied per case: the median of copies_fault
# under plain cow in the same configuration (cow copies exactly the shared
# pages written after fork, and reuses the rest). NA when cow was not run.
oracle_copies <- function(stats) {
  stats %>%
    filter(policy == reference_policy, counter == "copies_fault") %>%
    select(case, oracle = median)
}

# Pages copied per case and policy, split into useful and wasted, with the
# oracle and the distance to it (extra copies in percent of the oracle).
copies_vs_oracle <- function(stats) {
  wide <- stats %>%
    filter(counter %in% c("copies", "wasted")) %>%
    select(workload, case, headline, policy, counter, median, min, max) %>%
    pivot_wider(
      names_from = counter,
      values_from = c(median, min, max)
    )
  wide %>%
    transmute(
      workload, case, headline, policy,
      copies = median_copies,
      copies_min = min_copies,
      copies_max = max_copies,
      wasted = pmin(median_wasted, median_copies),
      useful = copies - wasted
    ) %>%
    left_join(oracle_copies(stats), by = "case") %>%
    mutate(
      extra = copies - oracle,
      extra_pct = 100 * safe_ratio(extra, oracle)
    )
}

# Divide median, min and max by the median of cow in the same case and for
# the same counter (cow = 1). NA where cow is missing or 0.
normalise_to_cow <- function(stats) {
  cow <- stats %>%
    filter(policy == reference_policy) %>%
    select(case, counter, cow = median)
  stats %>%
    left_join(cow, by = c("case", "counter")) %>%
    mutate(across(c(median, min, max), ~ safe_ratio(.x, cow)))
}

# The headline configuration of each workload (see workload_table in
# workloads.R), labelled by the workload's name alone.
headline_stats <- function(stats) {
  stats %>%
    filter(headline) %>%
    mutate(
      case = droplevels(case),
      label = factor(workload, levels = levels(droplevels(workload)))
    )
}

# Reduction of a counter against cow, in percent (positive = fewer).
reduction_vs_cow <- function(stats, which = "cow_faults") {
  stats %>%
    filter(counter == which) %>%
    normalise_to_cow() %>%
    transmute(workload, case, policy, reduction_pct = 100 * (1 - median))
}

# Per-op rows of forkbench summarised per op, boot arguments (ptshare=1),
# policy and heap size: instr (the op seen from the user), and the
# instructions spent in fork (fork_instr).
summarise_ops <- function(results) {
  results %>%
    filter(scope == "op") %>%
    group_by(op, args, policy, pages) %>%
    summarise(
      median = safe_median(instr),
      min = safe_min(instr),
      max = safe_max(instr),
      n = sum(!is.na(instr)),
      fork_median = safe_median(fork_instr),
      fork_min = safe_min(fork_instr),
      fork_max = safe_max(fork_instr),
      .groups = "drop"
    ) %>%
    mutate(mib = pages * page_bytes / 2^20)
}

# Per-child rows (forkserver and the other lineages) without boot
# arguments, summarised per child and policy.
summarise_children <- function(results, which = "cow_faults") {
  results %>%
    filter(scope == "child", base) %>%
    group_by(workload, case, headline, pages, frac, seed, policy, child) %>%
    summarise(
      median = safe_median(.data[[which]]),
      min = safe_min(.data[[which]]),
      max = safe_max(.data[[which]]),
      n = sum(!is.na(.data[[which]])),
      .groups = "drop"
    )
}
