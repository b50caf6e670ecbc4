# Figure fig_learning: the per-child rows (forkserver): COW faults of each
# child in the order the server forked them, one row of panels per policy
# and one column per hot set, so that no policy hides another and a relapse
# of one child (adaptive's second child with a contiguous hot set) shows.
# Policies that learn (hot, adaptive) fault less in later children; median
# over repetitions with min..max bars, on a pseudo-log axis so that both
# the hundreds of faults of cow and the zeros of a policy that learnt show.

# "hot set 10%\ncontiguous" (seed 0: the first frac% of the heap) or
# "...\nscattered" (any other seed: a fixed scattered set); the case label
# when the fraction is unknown.
hot_set_label <- function(case, frac, seed) {
  where <- ifelse(!is.na(seed) & seed == 0, "contiguous", "scattered")
  ifelse(
    is.na(frac),
    as.character(case),
    paste0("hot set ", format_parameter(frac), "%\n", where)
  )
}

# One heap size per hot set: the smallest (a larger heap with the same
# set, forkserver pages=65536, would share its panel and zig-zag with it;
# its medians are in the appendix table).
learning_data <- function(d) {
  rows <- d$children %>%
    filter(!is.na(median), workload %in% workloads_with("learning"))
  if ("pages" %in% names(rows)) {
    rows <- rows %>%
      group_by(workload, frac, seed) %>%
      filter(is.na(pages) | pages == suppressWarnings(min(pages, na.rm = TRUE))) %>%
      ungroup()
  }
  rows %>%
    arrange(case) %>%
    mutate(set = hot_set_label(case, frac, seed)) %>%
    mutate(set = factor(set, levels = unique(set)))
}

plot_learning <- function(children) {
  children <- mutate(children, panel = droplevels(policy))
  last <- max(children$child) + 1
  ggplot(children, aes(x = child + 1, y = median, colour = policy,
    shape = policy)) +
    geom_line(linewidth = 0.35) +
    geom_linerange(aes(ymin = min, ymax = max), linewidth = 0.3,
      show.legend = FALSE) +
    geom_point(size = 0.9, stroke = 0.6) +
    facet_grid(panel ~ set) +
    scale_x_continuous(
      breaks = if (last >= 5) c(1, seq(5, last, by = 5)) else seq_len(last),
      minor_breaks = NULL
    ) +
    scale_pseudo_log("y", expand = expansion(mult = 0.12)) +
    scale_policy(children$policy, c("colour", "shape")) +
    labs(
      x = "child (in the order of fork)",
      y = "COW faults of the child (pages; pseudo-log scale)"
    ) +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      legend.position = "none"
    )
}

fig_learning <- figure(
  needs = "per-child rows (forkserver)",
  data = learning_data,
  plot = plot_learning,
  width = width_column,
  height = function(rows) 0.8 + 0.62 * n_distinct(rows$policy)
)
