# Figure fig_costmodel: the cost model (costmodel.R) as the cost of a trap
# beyond its instructions, C_trap, goes from 0 to 10,000 cycles (the
# other coefficients at their defaults): every policy's modelled cost
# relative to cow's (= 1), geometric mean over the one-hart
# configurations. Left: over every configuration, with the trap costs
# where two policies change places marked (a numbered circle on the
# crossing, a tick on the axis, and below the panel which two policies
# cross where). Right: over the configurations of each workload. The
# dotted lines are the measured cost of a minor fault on x86 (min and
# median). Markers every 2,000 cycles, staggered per policy, tell the
# policies apart where their lines coincide.

costmodel_data <- function(d) {
  pairs <- cost_pairs(cost_parts(d$runs))
  curves <- cost_curves(pairs)
  if (nrow(curves) == 0) {
    return(curves)
  }
  crossings <- cost_crossovers(pairs)
  attr(curves, "crossings") <- crossings %>%
    mutate(ratio = vapply(seq_along(at), function(k) {
      geomean_cost_ratio(pairs[pairs$policy == a[k], ], at[k])
    }, numeric(1)))
  curves
}

costmodel_x <- function() {
  scale_x_continuous(
    breaks = seq(0, cost_trap_range[2], by = 2500),
    labels = label_count,
    expand = expansion(mult = c(0.02, 0.04))
  )
}

# The points of curves where each policy has its markers: every fifth of
# the range, the k-th policy's shifted by k fifths of that, so that the
# markers of policies whose lines coincide do not sit on each other.
costmodel_markers <- function(curves) {
  every <- diff(cost_trap_range) / 5
  policies <- levels(droplevels(curves$policy))
  step <- diff(sort(unique(curves$trap)))[1]
  shift <- round(every * (match(as.character(curves$policy), policies) -
    1) / length(policies) / step) * step
  curves %>%
    filter(abs((trap - shift) / every - round((trap - shift) / every)) <
      1e-9, trap >= shift)
}

plot_costmodel_panel <- function(curves, x_scale = costmodel_x()) {
  ticks <- costmodel_markers(curves)
  ggplot(curves, aes(x = trap, y = ratio, colour = policy,
    shape = policy, linetype = policy)) +
    geom_hline(yintercept = 1, colour = "grey40", linewidth = 0.3) +
    geom_vline(xintercept = cost_marks, colour = "grey55",
      linetype = "dotted", linewidth = 0.35) +
    geom_line(linewidth = 0.45) +
    geom_point(data = ticks, size = 1.2, stroke = 0.55) +
    x_scale +
    scale_policy(curves$policy) +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      panel.grid.major.y = element_line(colour = "grey92")
    )
}

plot_costmodel <- function(curves) {
  crossings <- attr(curves, "crossings")
  all <- filter(curves, workload == "all")
  y_scale <- function() {
    scale_y_log10(breaks = ratio_breaks,
      labels = label_number(drop0trailing = TRUE))
  }
  left <- plot_costmodel_panel(all) +
    annotate("text", x = cost_marks, y = Inf, vjust = 1.3,
      hjust = c(1.05, -0.05), size = 2, colour = "grey30",
      label = paste0(names(cost_marks), "\n", label_count(cost_marks))) +
    y_scale() +
    labs(
      x = "trap cost (cycles per trap\nbeyond its instructions)",
      y = "modelled cost relative to cow\n(geometric mean; log scale)",
      title = "every one-hart configuration"
    ) +
    theme(plot.title = element_text(size = 7.5))
  if (!is.null(crossings) && nrow(crossings) > 0) {
    crossings <- mutate(crossings, number = seq_along(at))
    key <- paste0(crossings$number, ": ", crossings$a, " = ", crossings$b,
      " at ", label_count(signif(crossings$at, 3)))
    left <- left +
      geom_point(data = crossings, aes(x = at, y = ratio),
        inherit.aes = FALSE, shape = 21, size = 3.2, stroke = 0.45,
        colour = "black", fill = "white", alpha = 0.8) +
      geom_text(data = crossings, aes(x = at, y = ratio, label = number),
        inherit.aes = FALSE, size = 1.9, colour = "black") +
      geom_rug(data = crossings, aes(x = at), inherit.aes = FALSE,
        sides = "b", colour = "black", linewidth = 0.4,
        length = unit(0.04, "npc")) +
      labs(caption = paste(strwrap(paste0("where two policies cross: ",
        paste(key, collapse = "; ")), 52), collapse = "\n")) +
      theme(plot.caption = element_text(size = 5.5, hjust = 0,
        colour = "grey20"))
  }
  workloads <- filter(curves, workload != "all") %>%
    mutate(workload = factor(workload, levels = unique(workload)))
  right <- plot_costmodel_panel(workloads, scale_x_continuous(
    breaks = c(0, 5000, 10000), labels = label_count,
    expand = expansion(mult = c(0.02, 0.06)))) +
    facet_wrap(~workload, ncol = 5, scales = "free_y") +
    scale_y_log10(breaks = function(l) ratio_breaks(l, n = 3),
      labels = label_number(drop0trailing = TRUE)) +
    labs(x = "trap cost (cycles)", y = NULL,
      title = "per workload") +
    theme(
      plot.title = element_text(size = 7.5),
      axis.text = element_text(size = 5.5),
      strip.text = element_text(size = 6, margin = margin(1, 1, 1, 1)),
      panel.spacing = unit(3, "pt")
    )
  patchwork::wrap_plots(left, right, nrow = 1, widths = c(1, 1.9),
    guides = "collect") &
    theme(legend.position = "bottom") &
    policy_guides(curves$policy, per_row = 6)
}

fig_costmodel <- figure(
  needs = "one-hart whole runs with the cost model's counters",
  data = costmodel_data,
  plot = plot_costmodel,
  width = width_full,
  height = function(rows) {
    panels <- n_distinct(rows$workload) - 1
    max(3, 0.9 + 0.95 * ceiling(panels / 5))
  },
  columns = cost_columns
)
