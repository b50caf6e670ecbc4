# Figure fig_faults: COW faults per policy for each workload (whole runs),
# median over repetitions with min..max bars, on a pseudo-log axis so that
# zero faults stay visible.

plot_faults <- function(stats) {
  faults <- stats %>%
    filter(counter == "cow_faults", !is.na(median))
  dodge <- position_dodge(width = 0.75)
  ggplot(faults, aes(x = case, y = median, colour = policy, shape = policy)) +
    geom_vline(
      xintercept = seq_len(n_distinct(faults$case) - 1) + 0.5,
      colour = "grey90", linewidth = 0.3
    ) +
    geom_linerange(aes(ymin = min, ymax = max), position = dodge,
      linewidth = 0.4
    ) +
    geom_point(position = dodge, size = 1.4) +
    scale_y_pseudo_log() +
    scale_x_discrete(labels = wrap_case_label) +
    scale_colour_policy() +
    scale_shape_policy() +
    labs(x = NULL, y = "COW faults (pages)") +
    theme_paper() +
    guides(colour = guide_legend(nrow = 1))
}

# Put the parameters of a case label on a line of their own.
wrap_case_label <- function(label) {
  sub(" ", "\n", label, fixed = TRUE)
}
