# Figure fig_seed: the three experiments of the seed prototype (readtest,
# writetest, lazyfork) in their headline configurations: COW faults and
# all faults per policy; median over repetitions with min..max bars, on a
# pseudo-log axis.

seed_counter_labels <- c(cow_faults = "COW faults", faults = "all faults")

seed_stats <- function(stats) {
  headline_stats(stats) %>%
    filter(
      workload %in% seed_workloads,
      counter %in% names(seed_counter_labels),
      !is.na(median)
    ) %>%
    mutate(
      metric = factor(
        seed_counter_labels[counter],
        levels = seed_counter_labels
      )
    )
}

plot_seed <- function(stats) {
  seed <- seed_stats(stats)
  ggplot(seed, aes(x = policy, y = median, fill = policy)) +
    geom_col(width = 0.75) +
    geom_errorbar(aes(ymin = min, ymax = max), width = 0.3,
      linewidth = 0.3
    ) +
    facet_grid(metric ~ label) +
    scale_y_pseudo_log(expand = expansion(mult = c(0, 0.05))) +
    scale_fill_policy() +
    labs(x = NULL, y = "faults (pages)") +
    theme_paper() +
    theme(
      axis.text.x = element_blank(),
      axis.ticks.x = element_blank()
    ) +
    guides(fill = guide_legend(nrow = 1))
}
