# Figure fig_learning: the forkserver run, COW faults of each child in the
# order the server forked them, per policy. Policies that learn (hot,
# adaptive) fault less in later children; median over repetitions with a
# min..max band.

plot_learning <- function(children) {
  children <- children %>%
    filter(!is.na(median))
  plot <- ggplot(children, aes(x = child, y = median, colour = policy,
    fill = policy, shape = policy)) +
    geom_ribbon(aes(ymin = min, ymax = max), alpha = 0.15, colour = NA) +
    geom_line(linewidth = 0.4) +
    geom_point(size = 1.3) +
    scale_x_continuous(breaks = breaks_pretty()) +
    scale_y_continuous(
      labels = label_number(scale_cut = cut_short_scale()),
      limits = c(0, NA),
      expand = expansion(mult = c(0.02, 0.05))
    ) +
    scale_colour_policy() +
    scale_fill_policy() +
    scale_shape_policy() +
    labs(x = "child (in order of fork)", y = "COW faults of the child") +
    theme_paper() +
    theme(panel.grid.major.x = element_line(colour = "grey92")) +
    guides(colour = guide_legend(nrow = 1))
  if (n_distinct(children$case) > 1) {
    plot <- plot + facet_wrap(~case)
  }
  plot
}
