# Figure fig_vsbest: every policy against the best fixed policy of each
# configuration (bestfixed.R), by instructions (top) and by modelled cost
# at the default coefficients (bottom): a performance profile (Dolan and
# More 2002), one step line per policy: the share of the one-hart
# configurations where the policy costs at most x% more than the best
# fixed policy. A line that reaches 100% at 0 is always the best; the
# further left and higher, the better. The x axis is pseudo-logarithmic,
# so that the few percent near the best read as well as copy's several
# hundred. The studied policy (adaptive) is drawn solid and thicker and
# may start left of 0 (it beats the best fixed policy there). Dotted
# lines: 2% and 5% above the best.

vsbest_profile <- function(rows) {
  rows %>%
    group_by(measure, policy) %>%
    arrange(ratio, .by_group = TRUE) %>%
    mutate(share = 100 * seq_along(ratio) / n()) %>%
    ungroup()
}

# Percent above the best on a pseudo-log axis: linear within 1% of 0,
# logarithmic beyond, negative values (better than the best) mirrored.
extra_pct_trans <- function() pseudo_log_trans(sigma = 1, base = 10)

extra_pct_breaks <- function(limits) {
  steps <- c(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
  up <- steps[steps <= limits[2] * 1.05]
  down <- -steps[steps <= -limits[1] * 1.05]
  ticks <- sort(c(down, 0, up))
  # no two ticks closer than a tenth of the axis
  span <- diff(extra_pct_trans()$transform(limits))
  # 0 and the 2% and 5% of the dotted lines always
  kept <- intersect(c(0, 2, 5), ticks)
  for (tick in setdiff(ticks[order(abs(ticks))], kept)) {
    gap <- abs(extra_pct_trans()$transform(tick) -
      extra_pct_trans()$transform(kept))
    if (all(gap >= span / 9)) kept <- c(kept, tick)
  }
  sort(kept)
}

plot_vsbest <- function(rows) {
  profile <- vsbest_profile(rows) %>%
    mutate(extra = 100 * (ratio - 1))
  # every step line starts at 0% of the configurations at its least
  starts <- profile %>%
    group_by(measure, policy) %>%
    slice_min(extra, n = 1, with_ties = FALSE) %>%
    mutate(share = 0) %>%
    ungroup()
  lines <- bind_rows(starts, profile) %>%
    mutate(studied = policy == studied_policy) %>%
    arrange(studied)
  ggplot(lines, aes(x = extra, y = share, colour = policy,
    linetype = policy, group = policy)) +
    geom_vline(xintercept = 0, colour = "grey40", linewidth = 0.3) +
    geom_vline(xintercept = c(2, 5), colour = "grey60",
      linetype = "dotted", linewidth = 0.35) +
    geom_step(aes(linewidth = studied), direction = "hv") +
    facet_wrap(~measure, ncol = 1) +
    scale_x_continuous(
      trans = extra_pct_trans(),
      breaks = extra_pct_breaks,
      labels = function(x) paste0(format_parameter(x), "%"),
      expand = expansion(mult = 0.03)
    ) +
    scale_y_continuous(limits = c(0, 100), breaks = c(0, 25, 50, 75, 100),
      expand = expansion(mult = c(0.01, 0.03))) +
    scale_linewidth_manual(values = c(`FALSE` = 0.45, `TRUE` = 0.9),
      guide = "none") +
    scale_policy(lines$policy, "colour") +
    # the studied policy solid (a dashed step line reads as noise)
    scale_linetype_manual(values = replace(policy_values(
      levels(lines$policy), "linetype"), studied_policy, "solid"),
      name = "policy") +
    labs(
      x = "cost above the best fixed policy (pseudo-log)",
      y = "configurations within it (%)"
    ) +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      panel.grid.major.y = element_line(colour = "grey92"),
      legend.key.width = unit(1.6, "lines"),
      # room for the last break's label, centred on the panel's edge
      plot.margin = margin(5.5, 14, 5.5, 5.5)
    ) +
    policy_guides(lines$policy, per_row = 3,
      aesthetics = c("colour", "linetype"))
}

vsbest_figure_data <- function(d) {
  lacking <- setdiff(cost_columns, d$columns)
  if (length(lacking) > 0) {
    message("fig_vsbest: the CSV predates the cost model's counters (",
      paste(lacking, collapse = ", "), "): instructions only")
  }
  vsbest_data(d)
}

fig_vsbest <- figure(
  needs = "one-hart whole runs of every fixed policy",
  data = vsbest_figure_data,
  plot = plot_vsbest,
  width = width_column,
  height = function(rows) 1.0 + 1.45 * n_distinct(rows$measure)
)
