# Figure fig_sweep: the write-fraction sweeps (the workloads with the sweep
# role in workloads.R: seqwrite and randwrite), where the policies differ
# most: COW faults, pages copied and wasted copies (copied early, never
# written) against the fraction of the heap the child writes, one line per
# policy; median over repetitions with min..max bars, on pseudo-log axes
# (zero stays visible). Policies that coincide (hot and cow do in a single
# fork) stay apart: each has its own marker and line type, and the points
# of one fraction are set side by side.

sweep_counter_labels <- c(
  cow_faults = "COW faults",
  copies = "pages copied",
  wasted = "wasted copies"
)

sweep_stats <- function(stats) {
  sweep_rows(stats) %>%
    filter(
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

plot_sweep <- function(sweep) {
  dodge <- position_dodge(width = 0.3)
  ggplot(sweep, aes(x = frac, y = median, colour = policy, shape = policy,
    linetype = policy)) +
    geom_line(linewidth = 0.4, position = dodge) +
    geom_linerange(aes(ymin = min, ymax = max), linewidth = 0.3,
      linetype = "solid", position = dodge, show.legend = FALSE
    ) +
    geom_point(size = 1.3, stroke = 0.6, position = dodge) +
    facet_grid(metric ~ workload, scales = "free_y") +
    scale_x_log10(breaks = sort(unique(sweep$frac))) +
    scale_pseudo_log("y") +
    scale_policy(sweep$policy) +
    labs(
      x = "heap written by the child (%, log scale)",
      y = "pages (pseudo-log scale)"
    ) +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      legend.key.width = unit(1.6, "lines")
    ) +
    policy_guides(sweep$policy, per_row = 3)
}

fig_sweep <- figure(
  needs = "sweep workload rows (seqwrite, randwrite) with a write fraction",
  data = function(d) sweep_stats(d$stats),
  plot = plot_sweep,
  width = width_column,
  height = 4.2
)
