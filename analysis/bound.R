# What no policy can do on a random writer (policies/README.md, "What
# adaptive does not reach", the single child writing its whole heap):
# randwrite at frac=lo% and at 100%, with the same pages
# and seed, are the same run until the child has written its first
# k = pages * lo / 100 pages, so a policy decides the same in both until
# then. It cannot be cheap in both:
#
# - At lo%, a page copied early (at fork or around a fault) before it is
#   written is among the k pages written with probability at most
#   k / pages, for a policy that does not know the order in advance (the
#   order is a random permutation: the rest of it is equally likely to be
#   any order of the pages not yet written). So s early copies used there
#   take at least s * pages / k early copies, and the others are waste:
#   the run costs at least cow's plus s * (copy * (pages / k - 1) - trap)
#   instructions (a waste costs a copy, a use saves a trap). Within
#   (1 + slack) of cow allows s <= slack * cow / that.
# - At 100%, every page is written, so every page is copied, and each of
#   the first k pages not copied early takes a trap besides: at least
#   copy's instructions plus trap * (k - s).
#
# copy + trap is one COW fault under cow (forkbench op=cowfault); the
# trap's share is adaptive_trapcost (percent of a copy: the break-even
# the policy is built on, measured as policies/README.md says). The
# policy's own bookkeeping is left out, so these are lower bounds.

bound_slack <- 0.05   # issue 14's target on the lo% run: <= 1.05x cow

# One COW fault's instructions split into a copy and a trap by the
# trap's share of a copy (trapcost, percent): c(copy = , trap = ).
bound_costs <- function(fault, trapcost) {
  trap <- fault * trapcost / (100 + trapcost)
  c(copy = fault - trap, trap = trap)
}

# The trap's share of a copy, in percent: adaptive_trapcost's default in
# the repository (context$boot), NA without one.
bound_trapcost <- function(boot) {
  if (is.null(boot)) {
    return(NA_real_)
  }
  x <- boot$default[boot$key == "adaptive_trapcost"]
  if (length(x) == 1) as.numeric(x) else NA_real_
}

# One row per (pages, seed, lo) of randwrite in stats (one hart): the
# lower bound on any policy's instructions at 100% over the best fixed
# policy's there (bound), given at most bound_slack over cow's at lo%,
# and the studied policy's own ratio there (studied). fault: one COW
# fault's instructions; trapcost: the trap's share of a copy, percent.
# NULL without randwrite at 100%.
online_bounds <- function(stats, fault, trapcost, policies) {
  cost <- bound_costs(fault, trapcost)
  trap <- cost[["trap"]]
  copy <- cost[["copy"]]
  instr <- stats %>%
    filter(workload == "randwrite", counter == "instr", cpus == 1,
      !is.na(median)) %>%
    mutate(policy = as.character(policy)) %>%
    select(pages, seed, frac, policy, median)
  full <- instr %>% filter(frac == 100)
  if (nrow(full) == 0) {
    return(NULL)
  }
  best <- full %>%
    filter(policy %in% fixed_policies(policies)) %>%
    group_by(pages, seed) %>%
    summarise(best = min(median), .groups = "drop")
  copied <- full %>%
    filter(policy == baseline_policy) %>%
    select(pages, seed, copied = median)
  own <- full %>%
    filter(policy == studied_policy) %>%
    select(pages, seed, own = median)
  lows <- instr %>%
    filter(frac > 0, frac < 100, policy == reference_policy) %>%
    select(pages, seed, lo = frac, cow = median)
  lows %>%
    inner_join(best, by = c("pages", "seed")) %>%
    inner_join(copied, by = c("pages", "seed")) %>%
    left_join(own, by = c("pages", "seed")) %>%
    mutate(
      k = floor(pages * lo / 100),
      per_use = copy * (pages / k - 1) - trap,
      used = ifelse(per_use > 0, bound_slack * cow / per_use, NA_real_),
      bound = (copied + trap * pmax(0, k - used)) / best,
      studied = own / best
    ) %>%
    filter(!is.na(bound))
}

# The numbers: the tightest bound of the data (OnlineBoundRandwrite, a
# ratio to the best fixed policy), its lo (OnlineBoundRandwriteFrac, in
# percent) and pages (...Pages), the studied policy's ratio in that
# configuration (...Studied), and the copy and trap instructions used
# (OnlineBoundCopyInstr, OnlineBoundTrapInstr).
online_bound_numbers <- function(d) {
  ops <- summarise_ops(base_rows(d$results))
  fault <- safe_median(
    ops$median[ops$op == "cowfault" & ops$policy == reference_policy])
  trapcost <- bound_trapcost(d$context$boot)
  rows <- if (is.na(fault) || is.na(trapcost)) NULL else
    online_bounds(d$stats, fault, trapcost, levels(d$results$policy))
  top <- if (is.null(rows) || nrow(rows) == 0) NULL else
    slice_max(rows, bound, n = 1, with_ties = FALSE)
  pick <- function(x) if (is.null(top)) NA_real_ else top[[x]]
  cost <- bound_costs(fault, trapcost)
  bind_rows(
    numbers_row("OnlineBoundRandwrite", number_ratio(pick("bound"))),
    numbers_row("OnlineBoundRandwriteFrac", number_count(pick("lo"))),
    numbers_row("OnlineBoundRandwritePages", number_count(pick("pages"))),
    numbers_row("OnlineBoundRandwriteStudied", number_ratio(pick("studied"))),
    numbers_row("OnlineBoundCopyInstr", number_count(cost[["copy"]])),
    numbers_row("OnlineBoundTrapInstr", number_count(cost[["trap"]]))
  )
}
