# Figure fig_faults: COW faults per policy for the headline configuration
# of each workload (whole runs; see headline_configs in common.R), median
# over repetitions with min..max bars, on a pseudo-log axis so that zero
# faults stay visible. One row per workload, as in fig_instr.

plot_faults <- function(stats) {
  faults <- headline_stats(stats) %>%
    filter(counter == "cow_faults", !is.na(median)) %>%
    mutate(label = factor(label, levels = rev(levels(label))))
  dodge <- position_dodge(width = 0.75)
  ggplot(faults, aes(x = median, y = label, colour = policy,
    shape = policy)) +
    geom_hline(
      yintercept = seq_len(n_distinct(faults$label) - 1) + 0.5,
      colour = "grey90", linewidth = 0.3
    ) +
    geom_linerange(aes(xmin = min, xmax = max), position = dodge,
      linewidth = 0.4
    ) +
    geom_point(position = dodge, size = 1.3) +
    scale_x_continuous(
      trans = pseudo_log_trans(sigma = 1, base = 10),
      breaks = pseudo_log_breaks,
      labels = label_number(scale_cut = cut_short_scale())
    ) +
    scale_y_discrete() +
    scale_colour_policy() +
    scale_shape_policy() +
    labs(x = "COW faults (pages; pseudo-log scale)", y = NULL) +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      panel.grid.major.y = element_blank()
    ) +
    guides(
      colour = guide_legend(nrow = 2),
      shape = guide_legend(nrow = 2)
    )
}
