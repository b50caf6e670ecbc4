# numbers.tex: one \newcommand per number the paper quotes, all computed
# from the results. Names are letters only, e.g.
# \FaultReductionAdaptiveSeqwrite. Unknown values (e.g. a reduction against
# zero cow faults) are written as "--".

numbers_row <- function(name, value) {
  tibble(name = name, value = value)
}

# Provenance of the data: commit, QEMU, machine and date, and the counts of
# workloads, policies and repetitions.
provenance_numbers <- function(results, runs) {
  joined <- function(x) {
    latex_escape(paste(sort(unique(as.character(x))), collapse = ", "))
  }
  dates <- sort(unique(results$date))
  reps <- runs %>%
    group_by(case, policy) %>%
    summarise(n = n_distinct(rep), .groups = "drop")
  bind_rows(
    numbers_row("DataCommit", joined(substr(results$commit, 1, 12))),
    numbers_row("DataQemu", joined(results$qemu)),
    numbers_row("DataCpus", joined(results$cpus)),
    numbers_row("DataMem", joined(results$mem)),
    numbers_row(
      "DataDate",
      latex_escape(paste(unique(range(dates)), collapse = "--"))
    ),
    numbers_row("NumWorkloads", format_count(n_distinct(results$workload))),
    numbers_row("NumPolicies", format_count(n_distinct(results$policy))),
    numbers_row("NumReps", format_count(safe_min(reps$n)))
  )
}

# Overall percentages are over the sum of the per-case medians, so every
# case counts with its size in pages.
fault_numbers <- function(stats) {
  faults <- stats %>%
    filter(counter == "cow_faults") %>%
    select(case, policy, median)
  per_case <- reduction_vs_cow(stats, "cow_faults") %>%
    filter(policy != "cow")
  cow <- faults %>%
    filter(policy == "cow") %>%
    select(case, cow = median)
  overall <- faults %>%
    inner_join(cow, by = "case") %>%
    filter(policy != "cow", !is.na(median), !is.na(cow)) %>%
    group_by(policy) %>%
    summarise(
      reduction_pct = 100 * (1 - safe_ratio(sum(median), sum(cow))),
      .groups = "drop"
    )
  bind_rows(
    numbers_row(
      make_macro_name("FaultReduction", per_case$policy, per_case$case),
      format_percent(per_case$reduction_pct)
    ),
    numbers_row(
      make_macro_name("FaultReduction", overall$policy),
      format_percent(overall$reduction_pct)
    )
  )
}

# Share of the pages copied that were never written, per policy, over all
# whole runs.
waste_numbers <- function(runs) {
  waste <- runs %>%
    group_by(policy) %>%
    summarise(
      wasted = sum(wasted, na.rm = TRUE),
      copies = sum(copies, na.rm = TRUE),
      .groups = "drop"
    ) %>%
    mutate(waste_pct = 100 * safe_ratio(wasted, copies))
  numbers_row(
    make_macro_name("WastePct", waste$policy),
    format_percent(waste$waste_pct)
  )
}

# Extra copies over the oracle, in percent of the oracle.
oracle_numbers <- function(copies) {
  per_case <- copies %>%
    filter(policy != "cow")
  overall <- per_case %>%
    filter(!is.na(copies), !is.na(oracle)) %>%
    group_by(policy) %>%
    summarise(
      extra_pct = 100 * safe_ratio(sum(copies) - sum(oracle), sum(oracle)),
      .groups = "drop"
    )
  bind_rows(
    numbers_row(
      make_macro_name("OracleExtra", per_case$policy, per_case$case),
      format_percent(per_case$extra_pct)
    ),
    numbers_row(
      make_macro_name("OracleExtra", overall$policy),
      format_percent(overall$extra_pct)
    )
  )
}

# Instructions saved against cow, in percent (negative = more).
instr_numbers <- function(stats) {
  relative <- stats %>%
    filter(counter == "instr", policy != "cow") %>%
    normalise_to_cow()
  numbers_row(
    make_macro_name("InstrSaving", relative$policy, relative$case),
    format_percent(100 * (1 - relative$median))
  )
}

# Fork cost per heap size and policy, the speed-up of cow over copy at each
# heap size, and the costs of one COW fault and of one plain page copy.
fork_numbers <- function(ops) {
  forks <- ops %>%
    filter(op == "fork")
  if (nrow(forks) == 0) {
    return(numbers_row(character(0), character(0)))
  }
  speedup <- forks %>%
    filter(policy %in% c("copy", "cow")) %>%
    select(pages, mib, policy, median) %>%
    pivot_wider(names_from = policy, values_from = median) %>%
    mutate(speedup = safe_ratio(.data$copy, .data$cow)) %>%
    filter(!is.na(speedup))
  top <- speedup %>%
    slice_max(speedup, n = 1, with_ties = FALSE)
  faults <- ops %>%
    filter(op == "cowfault") %>%
    group_by(policy) %>%
    summarise(instr = safe_median(median), .groups = "drop")
  page_copy <- ops %>%
    filter(op == "copy") %>%
    summarise(instr = safe_median(median), n = n()) %>%
    filter(n > 0)
  bind_rows(
    numbers_row(
      make_macro_name("ForkInstr", forks$policy, "Pages", forks$pages),
      format_count(forks$median)
    ),
    numbers_row(
      make_macro_name("ForkSpeedupPages", speedup$pages),
      format_decimal(speedup$speedup, 1)
    ),
    numbers_row(
      make_macro_name("HeapMiBPages", forks$pages),
      format_decimal(forks$mib, 2)
    ) %>%
      distinct(),
    numbers_row("ForkSpeedupMax", format_decimal(top$speedup, 1)),
    numbers_row("ForkSpeedupMaxMiB", format_decimal(top$mib, 2)),
    numbers_row(
      make_macro_name("CowFaultInstr", faults$policy),
      format_count(faults$instr)
    ),
    numbers_row(
      rep("PageCopyInstr", nrow(page_copy)),
      format_count(page_copy$instr)
    )
  )
}

# COW faults and all faults of the seed's three experiments per policy.
seed_numbers <- function(stats) {
  seed <- seed_table(stats)
  label <- c(cow_faults = "CowFaults", faults = "Faults")
  numbers_row(
    make_macro_name("Seed", seed$case, seed$policy, label[seed$counter]),
    format_count(seed$median)
  )
}

# COW faults of the first and the last child of forkserver per policy.
learning_numbers <- function(children) {
  if (nrow(children) == 0) {
    return(numbers_row(character(0), character(0)))
  }
  ends <- children %>%
    group_by(case, policy) %>%
    filter(child == min(child) | child == max(child)) %>%
    mutate(which = if_else(child == min(child), "FirstChild", "LastChild")) %>%
    ungroup()
  count <- children %>%
    group_by(case) %>%
    summarise(n = n_distinct(child), .groups = "drop")
  bind_rows(
    numbers_row(
      make_macro_name("Learning", ends$case, ends$policy, ends$which),
      format_count(ends$median)
    ),
    numbers_row(
      make_macro_name("Children", count$case),
      format_count(count$n)
    )
  )
}

compute_numbers <- function(results) {
  runs <- whole_runs(results)
  stats <- summarise_runs(runs)
  numbers <- bind_rows(
    provenance_numbers(results, runs),
    fault_numbers(stats),
    waste_numbers(runs),
    oracle_numbers(copies_vs_oracle(stats)),
    instr_numbers(stats),
    fork_numbers(summarise_ops(results)),
    seed_numbers(stats),
    learning_numbers(summarise_children(results))
  )
  check_macro_names(numbers$name)
  numbers
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
