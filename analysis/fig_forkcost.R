# Figure fig_forkcost: the cost of one fork (instructions of the op=fork
# rows of forkbench) against the heap size, per policy; median over
# repetitions with min..max bars. Top: instructions, log-log, where copy's
# cost grows with every page. Bottom: the same relative to cow (= 1) on a
# linear axis, where the few percent the sharing policies differ by show;
# a policy far off that scale (copy) is named in a note instead.

fork_rows <- function(ops) {
  ops %>%
    filter(op == "fork", !is.na(median), median > 0)
}

# Ratios above this are left out of the relative panel (and noted).
forkcost_zoom <- 2

plot_forkcost <- function(forks) {
  breaks <- sort(unique(forks$mib))
  x_scale <- scale_x_log10(
    breaks = breaks,
    labels = label_number(drop0trailing = TRUE),
    expand = expansion(mult = 0.06)
  )
  top <- ggplot(forks, aes(x = mib, y = median, colour = policy,
    shape = policy, linetype = policy)) +
    geom_line(linewidth = 0.4) +
    geom_linerange(aes(ymin = min, ymax = max), linewidth = 0.3,
      linetype = "solid", show.legend = FALSE
    ) +
    geom_point(size = 1.3, stroke = 0.6) +
    x_scale +
    scale_y_log10(labels = label_count) +
    scale_policy(forks$policy) +
    labs(x = NULL, y = "one fork\n(instructions, log)") +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      axis.text.x = element_blank(),
      legend.key.width = unit(1.6, "lines")
    ) +
    policy_guides(forks$policy, per_row = 3)
  relative <- forks %>%
    left_join(
      forks %>%
        filter(policy == reference_policy) %>%
        select(pages, cow = median),
      by = "pages"
    ) %>%
    mutate(ratio = safe_ratio(median, cow))
  far <- relative %>%
    filter(!is.na(ratio)) %>%
    group_by(policy) %>%
    filter(max(ratio) > forkcost_zoom) %>%
    summarise(low = min(ratio), high = max(ratio), .groups = "drop")
  near <- relative %>%
    filter(!is.na(ratio), !policy %in% far$policy)
  bottom <- ggplot(near, aes(x = mib, y = ratio, colour = policy,
    shape = policy, linetype = policy)) +
    geom_hline(yintercept = 1, colour = "grey40", linewidth = 0.3) +
    geom_line(linewidth = 0.4) +
    geom_point(size = 1.3, stroke = 0.6) +
    x_scale +
    scale_y_continuous(
      labels = label_number(accuracy = 0.01),
      expand = expansion(mult = c(0.2, 0.45))
    ) +
    scale_policy(forks$policy) +
    labs(x = "heap size (MiB)", y = "relative\nto cow") +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      panel.grid.major.y = element_line(colour = "grey92")
    ) +
    guides(colour = "none", shape = "none", linetype = "none")
  if (nrow(far) > 0) {
    note <- paste0(far$policy, ": ", format_ratio(far$low), "\u2013",
      format_ratio(far$high), "\u00d7 cow's (off this scale)",
      collapse = "; ")
    bottom <- bottom + annotate("text", x = min(forks$mib), y = Inf,
      label = note, hjust = 0, vjust = 1.4, size = 2.1, colour = "grey25")
  }
  patchwork::wrap_plots(top, bottom, ncol = 1, heights = c(1.7, 1),
    guides = "collect") &
    theme(legend.position = "bottom", legend.box.spacing = unit(2, "pt"))
}

format_ratio <- function(x) {
  format(round(x, 1), nsmall = 1, trim = TRUE)
}

fig_forkcost <- figure(
  needs = "forkbench op=fork rows",
  data = function(d) fork_rows(d$ops),
  plot = plot_forkcost,
  width = width_column,
  height = 3.2
)
