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
    numbers_row("NumRepsMax", number_count(safe_max(reps$n)))
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
  sweep <- stats %>%
    filter(
      workload %in% sweepers, cpus == 1, !is.na(frac),
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
    sensitivity_numbers(d),
    ablation_numbers(d),
    lock_numbers(d)
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
