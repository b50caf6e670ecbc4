# Figure fig_sweep: the write-fraction sweeps of seqwrite and randwrite,
# where the policies differ most: COW faults, pages copied and wasted
# copies (copied early, never written) against the fraction of the heap the
# child writes, one line per policy; median over repetitions with min..max
# bars, on pseudo-log axes (zero stays visible).

sweep_counter_labels <- c(
  cow_faults = "COW faults",
  copies = "pages copied",
  wasted = "wasted copies"
)

sweep_stats <- function(stats) {
  stats %>%
    filter(
      workload %in% sweep_workloads,
      counter %in% names(sweep_counter_labels),
      !is.na(frac), !is.na(median), cpus == 1
    ) %>%
    mutate(
      workload = droplevels(workload),
      metric = factor(
        sweep_counter_labels[counter],
        levels = sweep_counter_labels
      )
    )
}

plot_sweep <- function(stats) {
  sweep <- sweep_stats(stats)
  ggplot(sweep, aes(x = frac, y = median, colour = policy, shape = policy)) +
    geom_line(linewidth = 0.35) +
    geom_linerange(aes(ymin = min, ymax = max), linewidth = 0.3) +
    geom_point(size = 1.1) +
    facet_grid(metric ~ workload, scales = "free_y") +
    scale_x_log10(breaks = sort(unique(sweep$frac))) +
    scale_y_pseudo_log() +
    scale_colour_policy() +
    scale_shape_policy() +
    labs(
      x = "heap written by the child (%, log scale)",
      y = "pages (pseudo-log scale)"
    ) +
    theme_paper() +
    theme(panel.grid.major.x = element_line(colour = "grey92")) +
    guides(colour = guide_legend(nrow = 1))
}
