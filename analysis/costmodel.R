# The cost model (issue 15): what a run would cost on hardware, in cycles,
# from what QEMU -icount counts. Under -icount every instruction counts
# one, the kernel's trap handling, page copies and TLB flushes included,
# so a trap weighs a few hundred instructions where real hardware takes
# thousands of cycles. The model adds to the instructions what they do
# not capture:
#
#   cycles = instr
#          + C_trap      x (traps_syscall + traps_fault)
#          + C_flush     x sfence_all
#          + C_pageflush x sfence_page
#          + C_byte      x 4096 x (pages_copied + pages_zeroed)
#
# C_trap: the cost of a trap from user mode beyond the instructions of its
# handler (pipeline flush, privilege switch, the cache and TLB misses it
# leaves behind). C_flush, C_pageflush: refilling the TLB after a whole or
# a one-page flush. C_byte: memory traffic of the kernel's page copies and
# zeroing beyond their loops' instructions. Interrupts are left out: instr
# is net of their instructions, and their number follows the timer, not
# the policy. Shootdowns are left out: only runs on several harts have
# them, and those have no instruction count (load.R). The defaults and
# their sources are in README.md ("Cost model") and references.bib.
#
# Inputs are medians over repetitions per configuration and policy, of
# one-hart whole runs without boot arguments; the model is linear in each
# coefficient, so the cost of a configuration at any C_trap is
# other + C_trap x traps.

cost_coefficients <- list(
  trap = 1842,
  flush = 2000,
  page_flush = 30,
  byte = 0
)

# The measured costs of a fault on x86 (REFERENCES.md: Linux 6.6, Core i7,
# first touch of an anonymous page) marked on fig_costmodel, and the
# range its trap cost sweeps.
cost_marks <- c("x86 min" = 1842, "x86 median" = 3241)
cost_trap_range <- c(0, 10000)

cost_columns <- c(
  "traps_syscall", "traps_fault", "sfence_all", "sfence_page",
  "pages_copied", "pages_zeroed"
)

# Per configuration and policy, the medians of the model's inputs over
# the repetitions, and the two parts of the cost at coefficients coef:
# traps (what C_trap multiplies) and other (everything else). Only rows
# that have every input (one hart: see single_hart_instr()).
cost_parts <- function(runs, coef = cost_coefficients) {
  inputs <- c("instr", cost_columns)
  if (!all(inputs %in% names(runs)) || nrow(runs) == 0) {
    return(tibble(workload = factor(), case = factor(), policy = factor(),
      traps = numeric(0), other = numeric(0)))
  }
  runs %>%
    group_by(workload, case, policy) %>%
    summarise(across(all_of(inputs), safe_median), .groups = "drop") %>%
    filter(if_all(all_of(inputs), ~ !is.na(.x))) %>%
    mutate(
      traps = traps_syscall + traps_fault,
      other = instr + coef$flush * sfence_all +
        coef$page_flush * sfence_page +
        coef$byte * page_bytes * (pages_copied + pages_zeroed)
    )
}

# Modelled cycles of parts at a trap cost.
modelled_cycles <- function(parts, trap = cost_coefficients$trap) {
  parts$other + trap * parts$traps
}

# Each policy's parts beside cow's in the same configuration (cow_other,
# cow_traps), over the configurations that every policy of parts has
# (so that every policy's mean is over the same configurations).
cost_pairs <- function(parts) {
  if (nrow(parts) == 0) {
    return(mutate(parts, cow_other = numeric(0), cow_traps = numeric(0)))
  }
  everyone <- n_distinct(parts$policy)
  complete <- parts %>%
    group_by(case) %>%
    filter(n_distinct(policy) == everyone,
      any(policy == reference_policy)) %>%
    ungroup()
  cow <- complete %>%
    filter(policy == reference_policy) %>%
    select(case, cow_other = other, cow_traps = traps)
  complete %>%
    inner_join(cow, by = "case")
}

# Geometric mean over the rows of pairs of the cost relative to cow's at
# a trap cost.
geomean_cost_ratio <- function(pairs, trap) {
  ratio <- (pairs$other + trap * pairs$traps) /
    (pairs$cow_other + trap * pairs$cow_traps)
  exp(mean(log(ratio)))
}

# The curves of fig_costmodel: per policy and trap cost of the grid, the
# geometric mean of the cost relative to cow over every configuration
# (workload "all") and over those of each workload.
cost_curves <- function(pairs, grid = seq(cost_trap_range[1],
                                          cost_trap_range[2],
                                          length.out = 201)) {
  if (nrow(pairs) == 0) {
    return(tibble(policy = factor(), workload = character(0),
      trap = numeric(0), ratio = numeric(0)))
  }
  one <- function(rows, name) {
    expand_grid(rows, trap = grid) %>%
      mutate(ratio = (other + trap * traps) /
        (cow_other + trap * cow_traps)) %>%
      group_by(policy, trap) %>%
      summarise(ratio = exp(mean(log(ratio))), .groups = "drop") %>%
      mutate(workload = name)
  }
  per_workload <- lapply(split(pairs, droplevels(pairs$workload)),
    function(rows) one(rows, as.character(rows$workload[1])))
  bind_rows(c(list(one(pairs, "all")), per_workload))
}

# Where the ranking of the policies by geometric mean cost changes as the
# trap cost goes over range: every trap cost at which two policies'
# curves cross, found on a grid of step cycles and refined with
# uniroot(). A tibble a, b (the two policies, in policy order), at (the
# trap cost), cheaper (the one cheaper below it).
cost_crossovers <- function(pairs, range = cost_trap_range, step = 10) {
  none <- tibble(a = character(0), b = character(0), at = numeric(0),
    cheaper = character(0))
  if (nrow(pairs) == 0) {
    return(none)
  }
  policies <- levels(droplevels(pairs$policy))
  rows <- split(pairs, factor(pairs$policy, levels = policies))
  gap <- function(a, b, trap) {
    log(geomean_cost_ratio(rows[[a]], trap)) -
      log(geomean_cost_ratio(rows[[b]], trap))
  }
  grid <- seq(range[1], range[2], by = step)
  found <- list()
  for (i in seq_along(policies)) {
    for (j in seq_along(policies)) {
      if (j <= i) next
      a <- policies[i]
      b <- policies[j]
      d <- vapply(grid, function(t) gap(a, b, t), numeric(1))
      d[abs(d) < 1e-12] <- 0
      # a stretch where they are equal (hot = cow) is no crossing: look at
      # the sign changes between the points where they differ
      apart <- which(d != 0)
      flips <- which(diff(sign(d[apart])) != 0)
      for (k in flips) {
        lo <- grid[apart[k]]
        hi <- grid[apart[k + 1]]
        at <- stats::uniroot(function(t) gap(a, b, t), c(lo, hi),
          tol = 1e-6)$root
        found[[length(found) + 1]] <- tibble(a = a, b = b, at = at,
          cheaper = if (d[apart[k]] < 0) a else b)
      }
    }
  }
  if (length(found) == 0) none else arrange(bind_rows(found), at)
}

# The policies cheapest first at a trap cost, as LaTeX text
# ("hot $<$ cow $=$ everyother $<$ copy").
cost_ranking <- function(pairs, trap) {
  if (nrow(pairs) == 0) {
    return(NA_character_)
  }
  policies <- levels(droplevels(pairs$policy))
  cost <- vapply(policies, function(p) {
    geomean_cost_ratio(pairs[pairs$policy == p, ], trap)
  }, numeric(1))
  order <- order(cost)
  text <- policies[order[1]]
  for (k in seq_along(order)[-1]) {
    same <- abs(log(cost[order[k]]) - log(cost[order[k - 1]])) < 1e-9
    text <- paste(text, if (same) "$=$" else "$<$", policies[order[k]])
  }
  text
}

# Ratios as "0.97\ensuremath{\times}".
number_ratio <- function(x) {
  with_na(paste0(format_decimal(x, 2), "\\ensuremath{\\times}"), x)
}

# Ratios far from 1 to two significant digits: "0.0089\ensuremath{\times}",
# "4.5\ensuremath{\times}", "1{,}200\ensuremath{\times}".
number_signif <- function(x) {
  text <- vapply(x, function(one) {
    if (is.na(one)) return(na_text)
    one <- signif(one, 2)
    if (abs(one) >= 1000) return(format_count(one))
    format(one, scientific = FALSE, drop0trailing = TRUE, trim = TRUE)
  }, character(1), USE.NAMES = FALSE)
  with_na(paste0(text, "\\ensuremath{\\times}"), x)
}

# The cost model's numbers: the coefficients, the rankings and each
# policy's geometric mean cost relative to cow at a trap cost of 0, the
# default, the x86 marks and the end of the sweep, and every crossover.
cost_numbers <- function(d) {
  policies <- levels(d$results$policy)
  compared <- compared_policies(policies)
  pairs <- cost_pairs(cost_parts(d$runs))
  points <- c(Zero = 0, Default = cost_coefficients$trap, cost_marks,
    Max = cost_trap_range[2])
  names(points)[names(points) %in% names(cost_marks)] <- camel_letters(
    names(points)[names(points) %in% names(cost_marks)])
  ratios <- expand_grid(policy = compared, point = names(points)) %>%
    mutate(x = mapply(function(p, at) {
      rows <- pairs[pairs$policy == p, ]
      if (nrow(rows) == 0) NA_real_ else geomean_cost_ratio(rows, at)
    }, policy, points[point]))
  ranks <- vapply(points, function(at) cost_ranking(pairs, at), character(1))
  # The flush coefficients are assumptions (README.md): the ranking at the
  # default trap cost with both at zero and at ten times their defaults
  # tells whether the conclusions lean on them.
  flush_ranks <- vapply(c(FlushZero = 0, FlushTenfold = 10), function(k) {
    coef <- cost_coefficients
    coef$flush <- k * coef$flush
    coef$page_flush <- k * coef$page_flush
    cost_ranking(cost_pairs(cost_parts(d$runs, coef)), coef$trap)
  }, character(1))
  crossings <- cost_crossovers(pairs)
  pair_grid <- expand_grid(i = seq_along(policies),
    j = seq_along(policies)) %>%
    filter(i < j) %>%
    mutate(a = policies[i], b = policies[j])
  first_at <- vapply(seq_len(nrow(pair_grid)), function(k) {
    at <- crossings$at[crossings$a == pair_grid$a[k] &
      crossings$b == pair_grid$b[k]]
    if (nrow(pairs) == 0 || !all(c(pair_grid$a[k], pair_grid$b[k]) %in%
      pairs$policy)) {
      na_text
    } else if (length(at) == 0) {
      "none"
    } else {
      paste(format_count(at), collapse = ", ")
    }
  }, character(1))
  known <- nrow(pairs) > 0
  bind_rows(
    numbers_row("CostTrapDefault", format_count(cost_coefficients$trap)),
    numbers_row("CostFlushDefault", format_count(cost_coefficients$flush)),
    numbers_row("CostPageFlushDefault",
      format_count(cost_coefficients$page_flush)),
    numbers_row("CostByteDefault",
      format_decimal(cost_coefficients$byte, 2)),
    numbers_row(make_macro_name("CostMark", names(cost_marks)),
      format_count(cost_marks)),
    numbers_row("CostTrapMax", format_count(cost_trap_range[2])),
    numbers_row("CostConfigs",
      number_count(if (known) n_distinct(pairs$case) else NA)),
    numbers_row(make_macro_name("CostRank", names(points)),
      ifelse(is.na(ranks), na_text, ranks)),
    numbers_row(make_macro_name("CostRank", names(flush_ranks)),
      ifelse(is.na(flush_ranks), na_text, flush_ranks)),
    numbers_row(make_macro_name("CostVsCow", ratios$policy, ratios$point),
      number_ratio(ratios$x)),
    numbers_row(make_macro_name("CostCrossover", pair_grid$a, pair_grid$b),
      first_at),
    numbers_row("CostCrossoverCount",
      number_count(if (known) nrow(crossings) else NA))
  )
}
