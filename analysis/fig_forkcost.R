# Figure fig_forkcost: the cost of one fork (instructions of the op=fork
# rows of forkbench) against the heap size, per policy, log-log; median
# over repetitions with min..max bars.

plot_forkcost <- function(ops) {
  forks <- ops %>%
    filter(op == "fork", !is.na(median), median > 0)
  ggplot(forks, aes(x = mib, y = median, colour = policy, shape = policy)) +
    geom_errorbar(aes(ymin = min, ymax = max), width = 0.08,
      linewidth = 0.3
    ) +
    geom_line(linewidth = 0.4) +
    geom_point(size = 1.4) +
    scale_x_log10(labels = label_number(drop0trailing = TRUE)) +
    scale_y_log10(labels = label_number(scale_cut = cut_short_scale())) +
    annotation_logticks(sides = "l", linewidth = 0.2,
      short = unit(0.05, "cm"), mid = unit(0.08, "cm"),
      long = unit(0.1, "cm")
    ) +
    scale_colour_policy() +
    scale_shape_policy() +
    labs(x = "heap size (MiB)", y = "fork cost (instructions)") +
    theme_paper() +
    guides(colour = guide_legend(nrow = 1))
}
