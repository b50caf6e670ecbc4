# The best fixed policy (issue 16): per configuration, the cheapest of the
# policies other than the studied one (adaptive), as if an oracle had
# picked the right fixed policy for each configuration in advance. Every
# policy is compared with it, by instructions and by the modelled cost at
# the default coefficients (costmodel.R). A fixed policy's ratio is at
# least 1 (it is one of the candidates); the studied policy's may be
# below 1 where it beats every fixed one.

# The candidates of the best fixed policy: every policy but the studied
# one (with the registry's five: copy, cow, hot, faultaround).
fixed_policies <- function(policies) {
  setdiff(policies, studied_policy)
}

measure_labels <- c(instr = "instructions", cost = "modelled cost")

# Per one-hart configuration and policy (whole runs without boot
# arguments), the two measures: median instructions, and the modelled
# cycles at the default coefficients (NA where the CSV lacks the cost
# model's counters). A tibble workload, case, policy, measure, value.
policy_measures <- function(runs) {
  instr <- runs %>%
    filter(!is.na(instr)) %>%
    group_by(workload, case, policy) %>%
    summarise(value = safe_median(instr), .groups = "drop") %>%
    mutate(measure = "instr")
  parts <- cost_parts(runs)
  cost <- parts %>%
    transmute(workload, case, policy, value = modelled_cycles(parts),
      measure = "cost")
  bind_rows(instr, cost) %>%
    filter(!is.na(value), value > 0)
}

# Each value beside the best fixed policy's in the same configuration
# and measure: best (its value), best_policy, ratio = value / best. Only
# configurations where every fixed policy of the data has a value, so
# that "best" always picks from the same candidates.
versus_best <- function(values) {
  candidates <- fixed_policies(levels(values$policy))
  candidates <- candidates[candidates %in% values$policy]
  best <- values %>%
    filter(policy %in% candidates) %>%
    group_by(measure, case) %>%
    filter(n_distinct(policy) == length(candidates)) %>%
    summarise(
      best_policy = as.character(policy[which.min(value)]),
      best = min(value),
      .groups = "drop"
    )
  values %>%
    inner_join(best, by = c("measure", "case")) %>%
    mutate(ratio = value / best)
}

vsbest_data <- function(d) {
  versus_best(policy_measures(d$runs)) %>%
    mutate(measure = factor(measure_labels[measure],
      levels = measure_labels))
}

# Per policy and measure: the geometric mean of the ratio to the best
# fixed policy, the worst ratio and its configuration, and how many
# configurations are within 2% and 5% of it (ratio <= 1.02, 1.05) and
# below it (ratio < 1).
vsbest_summary <- function(rows) {
  rows %>%
    group_by(policy, measure) %>%
    summarise(
      geomean = exp(mean(log(ratio))),
      worst = max(ratio),
      worst_case = as.character(case[which.max(ratio)]),
      within2 = sum(ratio <= 1.02 + 1e-12),
      within5 = sum(ratio <= 1.05 + 1e-12),
      better = sum(ratio < 1 - 1e-12),
      configs = n(),
      .groups = "drop"
    )
}

# The numbers of the comparison with the best fixed policy: per policy
# and measure (Instr, Cost) VsBest<Policy><Measure>Geomean, ...Worst,
# ...WorstCase, ...WithinTwo, ...WithinFive, ...Better; how many
# configurations each fixed policy is the best of (BestFixed<Policy>
# <Measure>), and how many configurations there are (VsBestConfigs
# <Measure>).
vsbest_numbers <- function(d) {
  policies <- levels(d$results$policy)
  rows <- versus_best(policy_measures(d$runs))
  summary <- vsbest_summary(rows) %>%
    mutate(policy = as.character(policy))
  names_of <- c(instr = "Instr", cost = "Cost")
  grid <- expand_grid(policy = policies, measure = names(names_of))
  summary <- on_grid(grid, summary, c("policy", "measure"))
  label <- names_of[summary$measure]
  stem <- function(what) {
    make_macro_name("VsBest", summary$policy, label, what)
  }
  best <- rows %>%
    distinct(measure, case, best_policy) %>%
    count(measure, policy = best_policy)
  best_grid <- expand_grid(policy = fixed_policies(policies),
    measure = names(names_of))
  best <- on_grid(best_grid, best, c("policy", "measure")) %>%
    mutate(n = ifelse(is.na(n) & measure %in% rows$measure, 0, n))
  configs <- rows %>%
    distinct(measure, case) %>%
    count(measure)
  configs <- on_grid(tibble(measure = names(names_of)), configs, "measure")
  bind_rows(
    numbers_row(stem("Geomean"), number_ratio(summary$geomean)),
    numbers_row(stem("Worst"), number_ratio(summary$worst)),
    numbers_row(stem("WorstCase"), with_na(latex_escape(
      dplyr::coalesce(summary$worst_case, "")), summary$worst)),
    numbers_row(stem("WithinTwo"), number_count(summary$within2)),
    numbers_row(stem("WithinFive"), number_count(summary$within5)),
    numbers_row(stem("Better"), number_count(summary$better)),
    numbers_row(make_macro_name("BestFixed", best$policy,
      names_of[best$measure]), number_count(best$n)),
    numbers_row(make_macro_name("VsBestConfigs", names_of[configs$measure]),
      number_count(configs$n)),
    losses_numbers(rows, policies, names_of),
    winners_numbers(rows, policies, names_of),
    versus_cow_words(summary, policies, names_of),
    losses_written_numbers(rows, d$stats, policies, names_of)
  )
}

# How many fixed policies there are (NumFixedPolicies) and how many of
# them are the best fixed policy of at least one configuration
# (BestFixedWinners<Measure>): "no fixed policy is best everywhere"
# holds while that is more than one.
winners_numbers <- function(rows, policies, names_of) {
  winners <- rows %>%
    distinct(measure, case, best_policy) %>%
    group_by(measure) %>%
    summarise(n = n_distinct(best_policy), .groups = "drop")
  winners <- on_grid(tibble(measure = names(names_of)), winners, "measure")
  bind_rows(
    numbers_row("NumFixedPolicies",
      number_count(length(fixed_policies(policies)))),
    numbers_row(make_macro_name("BestFixedWinners",
      names_of[winners$measure]), number_count(winners$n))
  )
}

# How the studied policy's geometric mean against the best fixed policy
# compares with cow's, as words for a sentence ("higher than", "lower
# than", "equal to"): VsBest<Studied><Measure>VsCowWord.
versus_cow_words <- function(summary, policies, names_of) {
  if (!all(c(studied_policy, reference_policy) %in% policies)) {
    return(tibble(name = character(0), value = character(0)))
  }
  words <- vapply(names(names_of), function(m) {
    mine <- summary$geomean[summary$policy == studied_policy &
      summary$measure == m]
    cow <- summary$geomean[summary$policy == reference_policy &
      summary$measure == m]
    if (length(mine) != 1 || length(cow) != 1 || is.na(mine) || is.na(cow)) {
      return(na_text)
    }
    if (abs(log(mine / cow)) < 1e-9) "equal to" else
      if (mine > cow) "higher than" else "lower than"
  }, character(1))
  numbers_row(make_macro_name("VsBest", studied_policy, names_of,
    "VsCowWord"), unname(words))
}

# Where the baseline (copy) costs less than the studied policy: the
# smallest share of the pages copy copied that were written, in percent,
# over those configurations (VsBest<Studied>LosesTo<Baseline><Measure>
# MinWritten): how nearly everything the children wrote.
losses_written_numbers <- function(rows, stats, policies, names_of) {
  if (!all(c(studied_policy, baseline_policy) %in% policies)) {
    return(tibble(name = character(0), value = character(0)))
  }
  studied <- rows %>%
    filter(policy == studied_policy) %>%
    select(measure, case, mine = value)
  lost <- rows %>%
    filter(policy == baseline_policy) %>%
    inner_join(studied, by = c("measure", "case")) %>%
    filter(value < mine - 1e-12) %>%
    select(measure, case)
  written <- stats %>%
    filter(policy == baseline_policy, counter %in% c("copies", "useful"),
      !is.na(median)) %>%
    select(case, counter, median) %>%
    pivot_wider(names_from = counter, values_from = median) %>%
    mutate(share = 100 * safe_ratio(useful, copies))
  lost <- lost %>%
    mutate(case = as.character(case)) %>%
    left_join(mutate(written, case = as.character(case)), by = "case") %>%
    group_by(measure) %>%
    summarise(x = safe_min(share), .groups = "drop")
  lost <- on_grid(tibble(measure = names(names_of)), lost, "measure")
  numbers_row(make_macro_name("VsBest", studied_policy, "LosesTo",
    baseline_policy, names_of[lost$measure], "MinWritten"),
    number_pct(lost$x))
}

# Where the studied policy loses to each fixed one: per fixed policy and
# measure, in how many configurations the fixed policy costs less
# (VsBest<Studied>LosesTo<Fixed><Measure>) and in which workloads, as a
# comma-separated list ("none" if in none; ...Workloads).
losses_numbers <- function(rows, policies, names_of) {
  if (!studied_policy %in% policies) {
    return(tibble(name = character(0), value = character(0)))
  }
  studied <- rows %>%
    filter(policy == studied_policy) %>%
    select(measure, case, mine = value)
  losses <- rows %>%
    filter(policy != studied_policy) %>%
    inner_join(studied, by = c("measure", "case")) %>%
    mutate(policy = as.character(policy)) %>%
    group_by(policy, measure) %>%
    summarise(
      n = sum(value < mine - 1e-12),
      workloads = paste(unique(as.character(workload[value < mine - 1e-12])),
        collapse = ", "),
      .groups = "drop"
    )
  grid <- expand_grid(policy = fixed_policies(policies),
    measure = names(names_of))
  losses <- on_grid(grid, losses, c("policy", "measure"))
  stem <- make_macro_name("VsBest", studied_policy, "LosesTo", losses$policy,
    names_of[losses$measure])
  bind_rows(
    numbers_row(stem, number_count(losses$n)),
    numbers_row(paste0(stem, "Workloads"), with_na(latex_escape(
      ifelse(is.na(losses$workloads) | losses$workloads == "", "none",
        losses$workloads)), losses$n))
  )
}
