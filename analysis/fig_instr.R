# Figure fig_instr: instructions of each whole run relative to cow (= 1),
# per configuration and policy; median over repetitions with min..max bars.
# Only one-hart runs: load.R drops the instruction counts of cpus > 1
# (machine-wide under QEMU -icount, see single_hart_instr()).

plot_instr <- function(stats) {
  relative <- stats %>%
    filter(counter == "instr") %>%
    normalise_to_cow() %>%
    filter(!is.na(median)) %>%
    mutate(case = factor(case, levels = rev(levels(case))))
  dodge <- position_dodge(width = 0.7)
  ggplot(relative, aes(x = median, y = case, colour = policy,
    shape = policy)) +
    geom_vline(xintercept = 1, colour = "grey40", linewidth = 0.3) +
    geom_linerange(aes(xmin = min, xmax = max), position = dodge,
      linewidth = 0.4
    ) +
    geom_point(position = dodge, size = 1.3) +
    scale_x_log10(labels = label_number(drop0trailing = TRUE)) +
    scale_y_discrete(drop = TRUE) +
    scale_colour_policy() +
    scale_shape_policy() +
    labs(x = "instructions relative to cow (log scale)", y = NULL) +
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
