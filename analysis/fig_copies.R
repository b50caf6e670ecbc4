# Figure fig_copies: for the headline configuration of each workload, the
# pages each policy copied (left) and, of those, the wasted ones (right:
# copied early, at fork or around a fault, and never written). The dashed
# tick in the left panel is the oracle minimum, the copies plain cow makes
# (cow copies exactly the shared pages written after fork). Median over
# repetitions with min..max bars, pseudo-log axes: a waste of a few pages
# shows beside one of thousands, and zero stays on the axis. Only the
# workloads that ran under every policy of the data.

copies_metric_labels <- c(
  copies = "pages copied",
  wasted = "wasted copies (copied early, never written)"
)

copies_data <- function(d) {
  oracle <- oracle_copies(d$stats)
  headline_stats(d$stats) %>%
    filter(counter %in% names(copies_metric_labels), !is.na(median)) %>%
    left_join(oracle, by = "case") %>%
    mutate(metric = factor(copies_metric_labels[counter],
      levels = copies_metric_labels)) %>%
    on_every_policy("fig_copies")
}

plot_copies <- function(copies) {
  plot <- plot_dots_by_workload(copies, "pages (pseudo-log scale)")
  oracle <- copies %>%
    filter(counter == "copies", !is.na(oracle)) %>%
    distinct(metric, label, oracle) %>%
    mutate(row = match(label, rev(levels(droplevels(copies$label)))))
  ticks <- geom_segment(
    data = oracle,
    aes(x = oracle, xend = oracle, y = row - 0.45, yend = row + 0.45,
      linetype = "oracle: cow's copies"),
    inherit.aes = FALSE, colour = "grey20", linewidth = 0.35
  )
  # under the points, above the row separators
  plot$layers <- append(plot$layers, list(ticks), after = 1)
  plot +
    scale_linetype_manual(values = "22", name = NULL) +
    guides(linetype = guide_legend(order = 2))
}

fig_copies <- figure(
  needs = "whole runs of a workload",
  data = copies_data,
  plot = plot_copies,
  width = width_full,
  height = height_by_workload
)
