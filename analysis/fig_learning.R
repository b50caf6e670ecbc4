# Figure fig_learning: the forkserver runs, COW faults of each child in the
# order the server forked them, per policy, one facet per hot set. Policies
# that learn (hot, adaptive) fault less in later children; median over
# repetitions with min..max bars, on a pseudo-log axis so that both the
# hundreds of faults of cow and the zeros of a policy that learnt show.

# "hot set 10%\ncontiguous" (seed 0: the first frac% of the heap) or
# "... scattered" (any other seed: a fixed scattered set); the case label
# when the fraction is unknown.
hot_set_label <- function(case, frac, seed) {
  where <- ifelse(!is.na(seed) & seed == 0, "contiguous", "scattered")
  ifelse(
    is.na(frac),
    as.character(case),
    paste0("hot set ", format_parameter(frac), "%\n", where)
  )
}

plot_learning <- function(children) {
  children <- children %>%
    filter(!is.na(median)) %>%
    arrange(case) %>%
    mutate(set = hot_set_label(case, frac, seed)) %>%
    mutate(set = factor(set, levels = unique(set)))
  dodge <- position_dodge(width = 0.6)
  plot <- ggplot(children, aes(x = child + 1, y = median, colour = policy,
    shape = policy)) +
    geom_line(linewidth = 0.35, position = dodge) +
    geom_linerange(aes(ymin = min, ymax = max), linewidth = 0.3,
      position = dodge
    ) +
    geom_point(size = 1, position = dodge) +
    scale_x_continuous(breaks = c(1, 5, 10, 15, 20)) +
    scale_y_pseudo_log() +
    scale_colour_policy() +
    scale_shape_policy() +
    labs(
      x = "child (in order of fork)",
      y = "COW faults of the child (pages)"
    ) +
    theme_paper() +
    theme(panel.grid.major.x = element_line(colour = "grey92")) +
    guides(colour = guide_legend(nrow = 1))
  if (n_distinct(children$set) > 1) {
    plot <- plot + facet_wrap(~set, nrow = 1)
  }
  plot
}
