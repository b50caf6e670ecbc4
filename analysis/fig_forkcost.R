# Figure fig_forkcost: the cost of one fork (instructions of the op=fork
# rows of forkbench) against the heap size, per policy, log-log; median
# over repetitions with min..max bars.

fork_rows <- function(ops) {
  ops %>%
    filter(op == "fork", !is.na(median), median > 0)
}

plot_forkcost <- function(ops) {
  forks <- fork_rows(ops)
  ggplot(forks, aes(x = mib, y = median, colour = policy, shape = policy)) +
    geom_errorbar(aes(ymin = min, ymax = max), width = 0.08,
      linewidth = 0.3
    ) +
    geom_line(linewidth = 0.4) +
    geom_point(size = 1.4) +
    scale_x_log10(
      breaks = sort(unique(forks$mib)),
      labels = label_number(drop0trailing = TRUE),
      expand = expansion(mult = 0.06)
    ) +
    scale_y_log10(labels = label_number(scale_cut = cut_short_scale())) +
    scale_colour_policy() +
    scale_shape_policy() +
    labs(x = "heap size (MiB)", y = "one fork (instructions)") +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      plot.margin = margin(3, 10, 3, 3)
    ) +
    guides(colour = guide_legend(nrow = 1))
}
