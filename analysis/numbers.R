# numbers.tex: one \newcommand per number the paper quotes, all computed
# from the results. Names are letters only (\FaultReductionAdaptiveSeqwrite).
#
# The macros are those of every policy of the policy order (the registry)
# and every workload of workload_table and of the data, so a new policy or
# workload gets its numbers with no edit here. A number the data cannot
# give (a policy or workload not run, a ratio against zero) is written as
# "n/a", and one message lists those macros; make figures (without
# PARTIAL) refuses to write an n/a the paper uses (check_paper_numbers()).
# Percentages carry their "\%" and ratios their "x", so that "n/a" reads
# right in the text.

na_text <- "n/a"

# The policies compared with the reference (cow), in order.
compared_policies <- function(policies) {
  setdiff(policies, reference_policy)
}

# The policies that may learn from a lineage: all but copy and cow.
learning_policies <- function(policies) {
  setdiff(policies, c(baseline_policy, reference_policy))
}

# The workloads of the per-workload numbers: those of workload_table and
# any other with whole runs in the data, but the studies of the mechanism
# (workload_table's compare), which do not compare the policies.
number_workloads <- function(stats) {
  setdiff(
    union(workload_table$workload, as.character(unique(stats$workload))),
    workload_table$workload[!workload_table$compare]
  )
}

# Workloads where cow takes no COW fault (the child only reads, or execs
# at once): a reduction of faults against cow or a distance to cow's
# copies would be 0 / 0 there, so they have no such macros.
faultless_workloads <- function(stats) {
  stats %>%
    filter(policy == reference_policy, counter == "cow_faults",
      !is.na(median)) %>%
    group_by(workload) %>%
    summarise(total = sum(median), .groups = "drop") %>%
    filter(total == 0) %>%
    pull(workload) %>%
    as.character()
}

numbers_row <- function(name, value) {
  tibble(name = name, value = value)
}

with_na <- function(text, x) {
  ifelse(is.na(x), na_text, text)
}

number_count <- function(x) with_na(format_count(x), x)
number_pct <- function(x) with_na(paste0(format_percent(x), "\\%"), x)
number_times <- function(x) {
  with_na(paste0(format_decimal(x, 1), "\\ensuremath{\\times}"), x)
}
number_decimal <- function(x, digits = 2) {
  with_na(format_decimal(x, digits), x)
}

# Look up value for every (key...) of a full grid; absent keys give NA.
on_grid <- function(grid, values, by) {
  grid %>%
    left_join(values, by = by)
}

# Provenance of the data: commit, QEMU, machine and date, and counts.
provenance_numbers <- function(results, runs) {
  joined <- function(x) {
    x <- sort(unique(as.character(x[!is.na(x)])))
    if (length(x) == 0) na_text else latex_escape(paste(x, collapse = ", "))
  }
  dates <- sort(unique(results$date[!is.na(results$date)]))
  reps <- runs %>%
    group_by(case, policy) %>%
    summarise(n = n_distinct(rep), .groups = "drop")
  present <- levels(results$policy)[levels(results$policy) %in%
    results$policy]
  bind_rows(
    numbers_row("DataCommit", joined(substr(results$commit, 1, 12))),
    numbers_row("DataQemu", joined(results$qemu)),
    numbers_row("DataCpus", joined(results$cpus)),
    numbers_row("DataMem", joined(results$mem)),
    numbers_row(
      "DataDate",
      if (length(dates) == 0) na_text else
        latex_escape(paste(unique(range(dates)), collapse = "--"))
    ),
    numbers_row("DataPolicies", paste(present, collapse = ", ")),
    numbers_row("NumRows", number_count(nrow(results))),
    numbers_row("NumWorkloads", number_count(n_distinct(results$workload))),
    numbers_row("NumPolicies", number_count(length(present))),
    numbers_row("NumRepsMin", number_count(safe_min(reps$n))),
    numbers_row("NumRepsMax", number_count(safe_max(reps$n))),
    # "3", or "1 to 3" when configurations differ
    numbers_row("NumReps", {
      lo <- number_count(safe_min(reps$n))
      hi <- number_count(safe_max(reps$n))
      if (identical(lo, hi)) lo else paste(lo, "to", hi)
    })
  )
}

# Per workload and policy, the sum over the workload's cases of the median
# of a counter, and the same sum for cow, over the cases both have. A
# workload with several configurations (e.g. seqwrite at several fracs)
# thus counts every configuration with its size.
sums_against_cow <- function(stats, which) {
  medians <- stats %>%
    filter(counter == which, !is.na(median)) %>%
    select(workload, case, policy, median)
  cow <- medians %>%
    filter(policy == reference_policy) %>%
    select(case, cow = median)
  medians %>%
    inner_join(cow, by = "case") %>%
    group_by(workload, policy) %>%
    summarise(value = sum(median), cow = sum(cow), .groups = "drop") %>%
    mutate(workload = as.character(workload), policy = as.character(policy))
}

# Macros Prefix<Policy> (over all workloads) and Prefix<Policy><Workload>
# for every policy but cow and every one of workloads.
per_policy_numbers <- function(prefix, overall, per_workload, format,
                               policies, workloads) {
  grid_p <- tibble(policy = compared_policies(policies))
  grid_pw <- expand_grid(policy = grid_p$policy, workload = workloads)
  overall <- on_grid(grid_p, overall, "policy")
  per_workload <- on_grid(grid_pw, per_workload, c("policy", "workload"))
  bind_rows(
    numbers_row(make_macro_name(prefix, overall$policy), format(overall$x)),
    numbers_row(
      make_macro_name(prefix, per_workload$policy, per_workload$workload),
      format(per_workload$x)
    )
  )
}

# COW faults saved against cow, in percent of cow's (positive = fewer).
fault_numbers <- function(stats) {
  sums <- sums_against_cow(stats, "cow_faults")
  reduction <- function(value, cow) 100 * (1 - safe_ratio(value, cow))
  overall <- sums %>%
    group_by(policy) %>%
    summarise(x = reduction(sum(value), sum(cow)), .groups = "drop")
  per_workload <- sums %>%
    transmute(policy, workload, x = reduction(value, cow))
  per_policy_numbers("FaultReduction", overall, per_workload, number_pct,
    policies = levels(stats$policy),
    workloads = setdiff(number_workloads(stats), faultless_workloads(stats))
  )
}

# Copies beyond the oracle (cow's copies_fault), in percent of the oracle.
oracle_numbers <- function(stats) {
  copies <- copies_vs_oracle(stats) %>%
    filter(!is.na(copies), !is.na(oracle)) %>%
    mutate(workload = as.character(workload), policy = as.character(policy))
  extra <- function(copies, oracle) 100 * safe_ratio(copies - oracle, oracle)
  overall <- copies %>%
    group_by(policy) %>%
    summarise(x = extra(sum(copies), sum(oracle)), .groups = "drop")
  per_workload <- copies %>%
    group_by(policy, workload) %>%
    summarise(x = extra(sum(copies), sum(oracle)), .groups = "drop")
  per_policy_numbers("OracleExtra", overall, per_workload, number_pct,
    policies = levels(stats$policy),
    workloads = setdiff(number_workloads(stats), faultless_workloads(stats))
  )
}

# Wasted copies (copied early, never written) in percent of all the pages
# a policy copied, and their count, over every whole run (sums of medians).
waste_numbers <- function(stats) {
  waste <- copies_vs_oracle(stats) %>%
    filter(!is.na(copies)) %>%
    group_by(policy) %>%
    summarise(
      wasted = sum(wasted, na.rm = TRUE),
      copies = sum(copies),
      .groups = "drop"
    ) %>%
    mutate(policy = as.character(policy))
  waste <- on_grid(tibble(policy = levels(stats$policy)), waste, "policy")
  bind_rows(
    numbers_row(
      make_macro_name("WastePct", waste$policy),
      number_pct(100 * safe_ratio(waste$wasted, waste$copies))
    ),
    numbers_row(
      make_macro_name("WastedPages", waste$policy),
      number_count(waste$wasted)
    )
  )
}

# Instructions saved against cow, in percent (negative = more). Overall:
# from the geometric mean over workloads of the ratio to cow, so that each
# workload weighs the same whatever its length.
instr_numbers <- function(stats) {
  sums <- sums_against_cow(stats, "instr") %>%
    mutate(ratio = safe_ratio(value, cow))
  overall <- sums %>%
    filter(!is.na(ratio), ratio > 0) %>%
    group_by(policy) %>%
    summarise(x = 100 * (1 - exp(mean(log(ratio)))), .groups = "drop")
  per_workload <- sums %>%
    transmute(policy, workload, x = 100 * (1 - ratio))
  per_policy_numbers("InstrSaving", overall, per_workload, number_pct,
    policies = levels(stats$policy), workloads = number_workloads(stats)
  )
}

# Fork cost (forkbench op=fork): the speed-up of cow over copy at the
# smallest and the largest heap both were measured with, and the largest;
# the cost of one fork per policy at the largest heap; the cost of one COW
# fault per policy and of one plain page copy.
fork_numbers <- function(ops) {
  policies <- levels(ops$policy)
  forks <- fork_rows(ops) %>%
    mutate(policy = as.character(policy))
  pair <- c(baseline_policy, reference_policy)
  wide <- forks %>%
    filter(policy %in% pair) %>%
    select(pages, mib, policy, median) %>%
    pivot_wider(names_from = policy, values_from = median)
  for (missing in setdiff(pair, names(wide))) {
    wide[[missing]] <- rep(NA_real_, nrow(wide))
  }
  speedup <- wide %>%
    mutate(speedup = safe_ratio(.data[[pair[1]]], .data[[pair[2]]])) %>%
    filter(!is.na(speedup)) %>%
    arrange(pages)
  pick <- function(rows) {
    if (nrow(rows) == 0) tibble(speedup = NA_real_, mib = NA_real_) else rows
  }
  smallest <- pick(head(speedup, 1))
  largest <- pick(tail(speedup, 1))
  top <- pick(slice_max(speedup, speedup, n = 1, with_ties = FALSE))
  at_largest <- forks %>%
    filter(pages == max(c(-Inf, pages))) %>%
    select(policy, x = median)
  at_largest <- on_grid(tibble(policy = policies), at_largest, "policy")
  fault <- ops %>%
    filter(op == "cowfault") %>%
    mutate(policy = as.character(policy)) %>%
    group_by(policy) %>%
    summarise(x = safe_median(median), .groups = "drop")
  fault <- on_grid(tibble(policy = policies), fault, "policy")
  page_copy <- ops %>%
    filter(op == "copy")
  bind_rows(
    numbers_row("ForkSpeedupSmallest", number_times(smallest$speedup)),
    numbers_row("ForkSmallestMiB", number_decimal(smallest$mib, 2)),
    numbers_row("ForkSpeedupLargest", number_times(largest$speedup)),
    numbers_row("ForkLargestMiB", number_decimal(largest$mib, 2)),
    numbers_row("ForkSpeedupMax", number_times(top$speedup)),
    numbers_row("ForkSpeedupMaxMiB", number_decimal(top$mib, 2)),
    numbers_row(
      make_macro_name("ForkInstr", at_largest$policy, "Largest"),
      number_count(at_largest$x)
    ),
    numbers_row(
      make_macro_name("CowFaultInstr", fault$policy),
      number_count(fault$x)
    ),
    numbers_row("PageCopyInstr", number_count(safe_median(page_copy$median)))
  )
}

# COW faults and all faults of the seed's three experiments per policy
# (summed over their configurations if there are several), and the heap
# size of each in its headline configuration (Seed<Workload>Pages).
seed_numbers <- function(stats) {
  label <- c(cow_faults = "CowFaults", faults = "Faults")
  seed <- seed_table(stats) %>%
    filter(!is.na(median)) %>%
    mutate(workload = as.character(workload), policy = as.character(policy))
  seed <- seed %>%
    group_by(workload, policy, counter) %>%
    summarise(x = sum(median), .groups = "drop")
  grid <- expand_grid(
    workload = workloads_with("seed"), policy = levels(stats$policy),
    counter = names(label)
  )
  seed <- on_grid(grid, seed, c("workload", "policy", "counter"))
  pages <- stats %>%
    filter(headline, workload %in% workloads_with("seed")) %>%
    mutate(workload = as.character(workload)) %>%
    distinct(workload, pages)
  pages <- on_grid(tibble(workload = workloads_with("seed")), pages,
    "workload")
  bind_rows(
    numbers_row(
      make_macro_name("Seed", seed$workload, seed$policy, label[seed$counter]),
      number_count(seed$x)
    ),
    numbers_row(make_macro_name("Seed", pages$workload, "Pages"),
      number_count(pages$pages))
  )
}

# The fork server in its headline configuration: per policy the COW faults
# of its first and of its last child, and how many children come before
# the run of children without a COW fault that lasts to the end (its
# "warm-up", for the policies that may learn; n/a if the last child
# faults); the number of children.
learning_numbers <- function(children) {
  policies <- levels(children$policy)
  learners <- learning_policies(policies)
  children <- children %>%
    filter(!is.na(median), headline,
      workload %in% workloads_with("learning")) %>%
    mutate(policy = as.character(policy))
  ends <- children %>%
    group_by(policy) %>%
    arrange(child, .by_group = TRUE) %>%
    summarise(
      first = first(median),
      last = last(median),
      warmup = warmup_children(median),
      .groups = "drop"
    )
  ends <- on_grid(tibble(policy = policies), ends, "policy")
  count <- if (nrow(children) == 0) NA else n_distinct(children$child)
  bind_rows(
    numbers_row(
      make_macro_name("Learning", ends$policy, "FirstChild"),
      number_count(ends$first)
    ),
    numbers_row(
      make_macro_name("Learning", ends$policy, "LastChild"),
      number_count(ends$last)
    ),
    numbers_row(
      make_macro_name("Learning", learners, "Warmup"),
      number_count(ends$warmup[match(learners, ends$policy)])
    ),
    numbers_row("NumChildren", number_count(count))
  )
}

# How many of the faults (in fork order) come before the run of zeros that
# lasts to the end: 2 for c(409, 409, 0, 0). NA if the last is not 0.
warmup_children <- function(faults) {
  if (length(faults) == 0 || is.na(last(faults)) || last(faults) != 0) {
    return(NA_real_)
  }
  sum(cumsum(rev(faults) != 0) > 0)
}

# The write-fraction sweeps (the sweep workloads of workload_table at
# every fraction the data hold, one hart): per policy COW faults, pages
# copied and wasted copies, Sweep<Workload><Policy>Frac<N><Counter>, and
# for the policies that are neither copy nor cow how many times fewer COW
# faults than cow they take (...FaultCut; n/a if they take none).
sweep_numbers <- function(stats) {
  policies <- levels(stats$policy)
  sweepers <- workloads_with("sweep")
  label <- c(cow_faults = "CowFaults", copies = "Copies", wasted = "Wasted")
  sweep <- sweep_rows(stats) %>%
    filter(
      cpus == 1, !is.na(frac),
      counter %in% names(label), !is.na(median)
    ) %>%
    transmute(
      workload = as.character(workload), frac, policy = as.character(policy),
      counter, x = median
    )
  fracs <- sort(unique(sweep$frac))
  grid <- expand_grid(
    workload = sweepers, policy = policies, frac = fracs,
    counter = names(label)
  )
  values <- on_grid(grid, sweep, c("workload", "policy", "frac", "counter"))
  cow <- sweep %>%
    filter(policy == reference_policy, counter == "cow_faults") %>%
    select(workload, frac, cow = x)
  cut <- expand_grid(
    workload = sweepers,
    policy = learning_policies(policies),
    frac = fracs
  ) %>%
    left_join(
      filter(sweep, counter == "cow_faults"),
      by = c("workload", "policy", "frac")
    ) %>%
    left_join(cow, by = c("workload", "frac")) %>%
    mutate(x = safe_ratio(cow, x))
  bind_rows(
    numbers_row(
      make_macro_name("Sweep", values$workload, values$policy, "Frac",
        values$frac, label[values$counter]),
      number_count(values$x)
    ),
    numbers_row(
      make_macro_name("Sweep", cut$workload, cut$policy, "Frac", cut$frac,
        "FaultCut"),
      number_times(cut$x)
    )
  )
}

# Extra instructions against cow, in percent, of the one-fork workloads
# (workload_table: no lineage history to learn from): the smallest and
# the largest over their configurations, per policy; and of one fork of
# the largest heap (forkbench op=fork).
overhead_numbers <- function(stats, ops) {
  compared <- compared_policies(levels(stats$policy))
  runs <- stats %>%
    filter(counter == "instr", workload %in% workloads_with("one_fork")) %>%
    normalise_to_cow() %>%
    filter(!is.na(median), policy != reference_policy) %>%
    mutate(policy = as.character(policy)) %>%
    group_by(policy) %>%
    summarise(
      low = 100 * (min(median) - 1),
      high = 100 * (max(median) - 1),
      .groups = "drop"
    )
  runs <- on_grid(tibble(policy = compared), runs, "policy")
  forks <- fork_rows(ops) %>%
    filter(pages == max(c(-Inf, pages))) %>%
    mutate(policy = as.character(policy))
  cow <- forks$median[forks$policy == reference_policy]
  cow <- if (length(cow) == 1) cow else NA_real_
  forks <- forks %>%
    transmute(policy, x = 100 * (safe_ratio(median, rep(cow, n())) - 1))
  forks <- on_grid(tibble(policy = compared), forks, "policy")
  bind_rows(
    numbers_row(
      make_macro_name("InstrOverheadMin", runs$policy),
      number_pct(runs$low)
    ),
    numbers_row(
      make_macro_name("InstrOverheadMax", runs$policy),
      number_pct(runs$high)
    ),
    numbers_row(
      make_macro_name("ForkOverhead", forks$policy, "Largest"),
      number_pct(forks$x)
    )
  )
}

# The headline configuration of every workload, as text for a caption.
headline_numbers <- function(stats) {
  cases <- stats %>%
    filter(headline) %>%
    distinct(case) %>%
    arrange(case)
  text <- if (nrow(cases) == 0) {
    na_text
  } else {
    latex_escape(paste(as.character(cases$case), collapse = "; "))
  }
  numbers_row("HeadlineConfigs", text)
}

# Numbers the text needs beside the ones above, each the number that
# decides a sentence of the paper (issue 16), so that a rerun cannot make
# the sentence false without changing what it prints.

# How many workloads every policy of the data ran (rows without boot
# arguments; the studies of the mechanism run under some policies only):
# NumWorkloadsCompared.
compared_workload_numbers <- function(results) {
  base <- filter(results, base)
  present <- unique(as.character(base$policy))
  ran <- base %>%
    mutate(policy = as.character(policy)) %>%
    distinct(workload, policy) %>%
    count(workload)
  numbers_row("NumWorkloadsCompared",
    number_count(if (length(present) == 0) NA else
      sum(ran$n == length(present))))
}

# A heap size in MiB as text: "1\,MiB", "1\,GiB".
size_text <- function(mib) {
  with_na(ifelse(!is.na(mib) & mib >= 1024 & mib %% 1024 == 0,
    paste0(format_parameter(mib / 1024), "\\,GiB"),
    paste0(format_parameter(mib), "\\,MiB")), mib)
}

# The heap sizes of the single fork (forkbench op=fork, without boot
# arguments): the smallest and the largest as text (ForkSmallestSize,
# ForkLargestSize), and copy's instructions in fork over cow's at the
# smallest (ForkCopyVsCowAtSmallest; the same measure, fork_instr, as
# ForkCopyVsCowAt<Size>).
fork_size_numbers <- function(ops) {
  forks <- fork_rows(ops) %>%
    filter(!is.na(fork_median)) %>%
    mutate(policy = as.character(policy))
  both <- forks %>%
    filter(policy %in% c(baseline_policy, reference_policy)) %>%
    group_by(pages) %>%
    filter(n_distinct(policy) == 2) %>%
    ungroup()
  smallest <- if (nrow(both) == 0) NA_real_ else min(both$pages)
  at <- function(policy) {
    x <- both$fork_median[both$pages %in% smallest & both$policy == policy]
    if (length(x) == 0) NA_real_ else x[1]
  }
  sizes <- if (nrow(forks) == 0) c(NA_real_, NA_real_) else
    range(forks$mib)
  ratio <- safe_ratio(at(baseline_policy), at(reference_policy))
  bind_rows(
    numbers_row("ForkSmallestSize", size_text(sizes[1])),
    numbers_row("ForkLargestSize", size_text(sizes[2])),
    numbers_row("ForkCopyVsCowAtSmallest", number_times(ratio))
  )
}

# COW faults saved against cow in each workload's headline configuration
# alone (FaultReductionHeadline<Policy><Workload>, in percent), beside
# FaultReduction<Policy><Workload>, which sums over every configuration:
# where a workload's configurations differ in kind (forkrand with and
# without a common set) the text needs both. None where cow takes no COW
# fault in the headline configuration.
headline_fault_numbers <- function(stats) {
  heads <- stats %>%
    filter(headline, counter == "cow_faults", !is.na(median)) %>%
    mutate(workload = as.character(workload), policy = as.character(policy))
  cow <- heads %>%
    filter(policy == reference_policy) %>%
    select(workload, cow = median)
  workloads <- intersect(number_workloads(stats), cow$workload[cow$cow > 0])
  values <- heads %>%
    inner_join(cow, by = "workload") %>%
    transmute(policy, workload, x = 100 * (1 - safe_ratio(median, cow)))
  grid <- expand_grid(policy = compared_policies(levels(stats$policy)),
    workload = workloads)
  values <- on_grid(grid, values, c("policy", "workload"))
  numbers_row(make_macro_name("FaultReductionHeadline", values$policy,
    values$workload), number_pct(values$x))
}

# How many (configuration, policy) pairs copy fewer pages than the oracle
# (cow's copies in the same configuration): OracleUndercutCount. The text
# calls cow's copies the minimum while this is 0.
oracle_undercut_numbers <- function(stats) {
  copies <- copies_vs_oracle(stats) %>%
    filter(!is.na(copies), !is.na(oracle))
  numbers_row("OracleUndercutCount", number_count(if (nrow(copies) == 0) NA
    else sum(copies$copies < copies$oracle)))
}

# The workloads in which no policy takes a COW fault in any configuration
# (the child only reads, or execs at once): CowFaultFreeWorkloads, a
# comma-separated list, "none" if there is none.
fault_free_numbers <- function(stats) {
  faults <- stats %>%
    filter(counter == "cow_faults", !is.na(median)) %>%
    group_by(workload) %>%
    summarise(total = sum(median), .groups = "drop") %>%
    filter(total == 0) %>%
    pull(workload) %>%
    as.character()
  numbers_row("CowFaultFreeWorkloads", if (nrow(stats) == 0) na_text else
    if (length(faults) == 0) "none" else paste(faults, collapse = ", "))
}

# The seed's experiments in their headline configuration: per workload
# and policy the page faults that are not COW faults (faults minus
# cow_faults), Seed<Workload><Policy>OtherFaults, and the children a
# workload forks one after another (its iters), Seed<Workload>Iters.
seed_detail_numbers <- function(stats) {
  seeds <- workloads_with("seed")
  heads <- stats %>%
    filter(headline, workload %in% seeds, counter %in% c("faults",
      "cow_faults"), !is.na(median)) %>%
    mutate(workload = as.character(workload), policy = as.character(policy))
  other <- heads %>%
    group_by(workload, policy) %>%
    summarise(
      x = if (n_distinct(counter) == 2)
        sum(median[counter == "faults"]) -
          sum(median[counter == "cow_faults"]) else NA_real_,
      .groups = "drop"
    )
  grid <- expand_grid(workload = seeds, policy = levels(stats$policy))
  other <- on_grid(grid, other, c("workload", "policy"))
  numbers_row(
    make_macro_name("Seed", other$workload, other$policy, "OtherFaults"),
    number_count(other$x)
  )
}

# The COW faults of cow per page of the heap in each seed workload's
# headline configuration (Seed<Workload>CowFaultsPerPage): one per page
# and child for lazyfork, whose every child writes every page.
seed_per_page_numbers <- function(stats) {
  seeds <- workloads_with("seed")
  per_page <- stats %>%
    filter(headline, workload %in% seeds, policy == reference_policy,
      counter == "cow_faults", !is.na(median)) %>%
    mutate(workload = as.character(workload)) %>%
    group_by(workload) %>%
    summarise(x = safe_ratio(sum(median), sum(pages)), .groups = "drop")
  per_page <- on_grid(tibble(workload = seeds), per_page, "workload")
  numbers_row(make_macro_name("Seed", per_page$workload, "CowFaultsPerPage"),
    number_decimal(per_page$x, 1))
}

# The sweeps' points (workload and write fraction, one hart) where each
# policy takes exactly cow's COW faults and copies as many pages
# (SweepSamePoints<Policy>), and how many points there are (SweepPoints).
sweep_same_numbers <- function(stats) {
  points <- sweep_rows(stats) %>%
    filter(cpus == 1, !is.na(frac),
      counter %in% c("cow_faults", "copies"), !is.na(median)) %>%
    mutate(workload = as.character(workload), policy = as.character(policy))
  cow <- points %>%
    filter(policy == reference_policy) %>%
    select(workload, frac, counter, cow = median)
  same <- points %>%
    inner_join(cow, by = c("workload", "frac", "counter")) %>%
    group_by(policy, workload, frac) %>%
    summarise(same = n() == 2 && all(median == cow), .groups = "drop") %>%
    group_by(policy) %>%
    summarise(x = sum(same), .groups = "drop")
  policies <- compared_policies(levels(stats$policy))
  same <- on_grid(tibble(policy = policies), same, "policy")
  total <- nrow(distinct(cow, workload, frac))
  bind_rows(
    numbers_row("SweepPoints", number_count(if (total == 0) NA else total)),
    numbers_row(make_macro_name("SweepSamePoints", same$policy),
      number_count(same$x))
  )
}

# The fork server's warm-up (learning_numbers): per learning policy the
# fewest COW faults a child of the warm-up took, Learning<Policy>
# WarmupMin (n/a where there is no warm-up).
warmup_min_numbers <- function(children) {
  learners <- learning_policies(levels(children$policy))
  rows <- children %>%
    filter(!is.na(median), headline,
      workload %in% workloads_with("learning")) %>%
    mutate(policy = as.character(policy)) %>%
    group_by(policy) %>%
    arrange(child, .by_group = TRUE) %>%
    summarise(
      x = {
        n <- warmup_children(median)
        if (is.na(n) || n == 0) NA_real_ else min(median[seq_len(n)])
      },
      .groups = "drop"
    )
  rows <- on_grid(tibble(policy = learners), rows, "policy")
  numbers_row(make_macro_name("Learning", rows$policy, "WarmupMin"),
    number_count(rows$x))
}

# The cost model's crossovers as text (CostCrossoverList): "cow and hot
# at 890 (hot cheaper above), ..." in the order of their trap costs;
# "none" if the ranking never changes over the sweep. And the trap cost
# with the two whole-TLB flushes a trap costs on hardware without ASIDs
# (this kernel switches satp on entry and exit): CostTrapWithSatpFlushes.
cost_text_numbers <- function(d) {
  pairs <- cost_pairs(cost_parts(d$runs))
  crossings <- cost_crossovers(pairs)
  text <- if (nrow(pairs) == 0) {
    na_text
  } else if (nrow(crossings) == 0) {
    "none"
  } else {
    above <- ifelse(crossings$cheaper == crossings$a, crossings$b,
      crossings$a)
    paste(paste0("\\textsf{", crossings$a, "} and \\textsf{", crossings$b,
      "} at ", format_count(crossings$at), " (\\textsf{", above,
      "} cheaper above)"), collapse = ", ")
  }
  bind_rows(
    numbers_row("CostCrossoverList", text),
    numbers_row("CostTrapWithSatpFlushes",
      format_count(cost_coefficients$trap + 2 * cost_coefficients$flush))
  )
}

# More of the locking study (lock_rows() in locks.R): per study and
# setting, the contended acquisitions per COW fault of the reference
# mode at the hart counts below the largest, at most
# (Lock<Option>[<Setting>]RefContBelow), and those hart counts
# (...HartsBelow, "2, 4"); the instructions of the study's one-hart runs
# under its modes, the smallest (Lock<Option>OneHartInstr) and how many
# more the dearest mode ran (Lock<Option>OneHartInstrDiff); and TLB
# shootdowns per COW fault at the largest hart count, the median over its
# modes and settings (Lock<Option>ShootdownsPerFault).
lock_text_numbers <- function(d) {
  rows <- lock_rows(d$results, d$context$boot)
  if (nrow(rows) == 0) {
    return(tibble(name = character(0), value = character(0)))
  }
  out <- list()
  for (one in split(rows, list(rows$option, rows$setting), drop = TRUE)) {
    stem <- lock_stem(rows, one)
    below <- filter(one, cpus < max(cpus), mode == reference[1])
    out[[length(out) + 1]] <- bind_rows(
      numbers_row(paste0(stem, "RefContBelow"),
        number_per_fault(if (nrow(below) == 0) NA else max(below$cont))),
      numbers_row(paste0(stem, "HartsBelow"),
        if (nrow(below) == 0) na_text else
          paste(sort(unique(below$cpus)), collapse = ", "))
    )
  }
  for (option in unique(rows$option)) {
    study <- lock_studies[lock_studies$option == option, ]
    runs <- d$results %>%
      filter(scope == "run", workload == study$workload[1],
        policy == rows$policy[rows$option == option][1]) %>%
      mutate(mode = option_mode(., option, d$context$boot))
    one_hart <- runs %>%
      filter(cpus == 1, !is.na(instr)) %>%
      group_by(config, mode) %>%
      summarise(instr = safe_median(instr), .groups = "drop") %>%
      group_by(config) %>%
      summarise(low = safe_min(instr), diff = safe_max(instr) -
        safe_min(instr), modes = n(), .groups = "drop") %>%
      filter(modes > 1)
    top <- runs %>%
      filter(cpus == max(cpus), cow_faults > 0, !is.na(shootdowns))
    stem <- paste0("Lock", camel_letters(option))
    out[[length(out) + 1]] <- bind_rows(
      numbers_row(paste0(stem, "OneHartInstr"),
        number_count(if (nrow(one_hart) == 0) NA else min(one_hart$low))),
      numbers_row(paste0(stem, "OneHartInstrDiff"),
        number_count(if (nrow(one_hart) == 0) NA else max(one_hart$diff))),
      numbers_row(paste0(stem, "ShootdownsPerFault"),
        number_decimal(if (nrow(top) == 0) NA else
          safe_median(top$shootdowns / top$cow_faults), 1))
    )
  }
  bind_rows(out)
}

# Every number, from results (read_results()). context: what the
# repository says (the parameters' defaults); d: analysis_data(), if it
# was computed already.
compute_numbers <- function(results, context = repo_context(NULL),
                            d = analysis_data(results, context)) {
  runs <- whole_runs(results)
  stats <- summarise_runs(runs)
  say_predates(d$columns)
  numbers <- bind_rows(
    provenance_numbers(results, runs),
    fault_numbers(stats),
    waste_numbers(stats),
    oracle_numbers(stats),
    instr_numbers(stats),
    fork_numbers(summarise_ops(base_rows(results))),
    seed_numbers(stats),
    learning_numbers(summarise_children(results)),
    sweep_numbers(stats),
    overhead_numbers(stats, summarise_ops(base_rows(results))),
    headline_numbers(stats),
    forkscale_numbers(d),
    cost_numbers(d),
    vsbest_numbers(d),
    online_bound_numbers(d),
    sensitivity_numbers(d),
    ablation_numbers(d),
    lock_numbers(d),
    compared_workload_numbers(results),
    fork_size_numbers(summarise_ops(base_rows(results))),
    fault_free_numbers(stats),
    oracle_undercut_numbers(stats),
    headline_fault_numbers(stats),
    seed_detail_numbers(stats),
    seed_per_page_numbers(stats),
    sweep_same_numbers(stats),
    warmup_min_numbers(summarise_children(results)),
    cost_text_numbers(d),
    lock_text_numbers(d),
    wallclock_numbers(d$context$wallclock, d$context$boot)
  )
  check_macro_names(numbers$name)
  unknown <- numbers$name[numbers$value == na_text]
  if (length(unknown) > 0) {
    shown <- paste(head(unknown, 8), collapse = ", ")
    message(
      "numbers: ", length(unknown), " of ", nrow(numbers),
      " numbers cannot be computed from these data and read \"", na_text,
      "\": ", shown, if (length(unknown) > 8) ", ..." else ""
    )
  }
  numbers
}

# One message per group of numbers a CSV cannot give because it predates
# the columns they need.
say_predates <- function(columns) {
  lacking <- setdiff(cost_columns, columns)
  if (length(lacking) > 0) {
    message("numbers: the CSV predates the cost model's counters (",
      paste(lacking, collapse = ", "), "): the Cost... and VsBest...Cost ",
      "numbers read n/a")
  }
  if (!"args" %in% columns) {
    message("numbers: the CSV predates the args column: no fork with ",
      "ptshare=1 (ForkPageInstr...Ptshare...), no Sensitivity..., ",
      "Ablation... or Lock... numbers")
  }
}

check_macro_names <- function(names) {
  bad <- names[!is_macro_name(names)]
  if (length(bad) > 0) {
    stop("invalid macro name(s): ", paste(bad, collapse = ", "),
      call. = FALSE
    )
  }
  twice <- unique(names[duplicated(names)])
  if (length(twice) > 0) {
    stop("macro name(s) defined twice: ", paste(twice, collapse = ", "),
      call. = FALSE
    )
  }
  invisible(names)
}

format_numbers <- function(numbers, source = "the results") {
  c(
    generated_header(source),
    paste0("\\newcommand{\\", numbers$name, "}{", numbers$value, "}")
  )
}
