# Figure fig_seed: the three experiments of the seed prototype (the
# workloads with the seed role in workloads.R: readtest, writetest,
# lazyfork) in their headline configurations: COW faults and all faults
# per policy; median over repetitions with min..max bars, on a pseudo-log
# axis, each bar labelled with its median (a bar of 0 is otherwise
# invisible).

seed_counter_labels <- c(cow_faults = "COW faults", faults = "all faults")

seed_stats <- function(stats) {
  headline_stats(stats) %>%
    filter(
      workload %in% workloads_with("seed"),
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

plot_seed <- function(seed) {
  ggplot(seed, aes(x = policy, y = median, fill = policy)) +
    geom_col(width = 0.75) +
    geom_errorbar(aes(ymin = min, ymax = max), width = 0.3,
      linewidth = 0.3
    ) +
    geom_text(
      aes(label = label_count(median)),
      angle = 90, hjust = -0.15, size = 1.9, colour = "grey15"
    ) +
    facet_grid(metric ~ label) +
    scale_pseudo_log("y", expand = expansion(mult = c(0, 0.3))) +
    scale_policy(seed$policy, "fill") +
    labs(x = NULL, y = "faults (pages; pseudo-log scale)") +
    theme_paper() +
    theme(
      axis.text.x = element_blank(),
      axis.ticks.x = element_blank()
    ) +
    policy_guides(seed$policy, aesthetics = "fill")
}

fig_seed <- figure(
  needs = "rows of a seed workload (readtest, writetest, lazyfork)",
  data = function(d) seed_stats(d$stats),
  plot = plot_seed,
  width = width_column,
  height = 2.8
)
