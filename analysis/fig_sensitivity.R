# Figure fig_sensitivity: the sensitivity of a policy to its parameters
# (variants.R): for each swept parameter (one panel; the runs that set it
# alone in their args), the geometric mean over the configurations every
# value ran of the policy's cost relative to cow (solid) and to the best
# fixed policy (dashed), by instructions (top row) and by modelled cost
# (bottom row, where the CSV has the cost model's counters). The values
# are evenly spaced on the x axis in their order; the default (the run
# without arguments, value from the policy's source) is marked by a
# vertical line. Below 1: cheaper than the reference.

sensitivity_data <- function(d) {
  sensitivity_rows(d)
}

# A panel's title: the parameter over its policy, the policy's own prefix
# dropped ("adaptive_window (adaptive)" -> "window" over "(adaptive)"), so
# that nine panels across a page keep whole titles.
sensitivity_title <- function(x) {
  short <- sub("^([a-z]+)_(\\S+) \\((\\1)\\)$", "\\2\n(\\3)", x, perl = TRUE)
  ifelse(short == x, sub(" (", "\n(", x, fixed = TRUE), short)
}

plot_sensitivity <- function(rows) {
  values <- sort(unique(rows$value))
  rows <- rows %>%
    group_by(parameter) %>%
    mutate(position = match(value, sort(unique(value)))) %>%
    ungroup() %>%
    mutate(
      tick = factor(format_parameter(value),
        levels = format_parameter(values)),
      against = factor(against, levels = c("cow", "best fixed policy"))
    )
  # "default" over its line, centred on a white ground (beside it, on
  # either side, the label was cut by the narrow panels of eleven
  # parameters across the page)
  defaults <- rows %>%
    filter(is_default) %>%
    distinct(parameter, measure, position)
  ggplot(rows, aes(x = tick, y = ratio, colour = policy,
    linetype = against, shape = against)) +
    geom_hline(yintercept = 1, colour = "grey40", linewidth = 0.3) +
    geom_vline(data = defaults, aes(xintercept = position),
      colour = "grey55", linetype = "dotted", linewidth = 0.4) +
    geom_label(data = filter(defaults, measure == levels(rows$measure)[1]),
      aes(x = position, y = Inf, label = "default"),
      inherit.aes = FALSE, vjust = 1.2, size = 2, colour = "grey30",
      fill = "white", label.size = 0, label.padding = unit(0.05, "lines")) +
    geom_line(aes(group = interaction(policy, against)), linewidth = 0.45) +
    geom_point(size = 1.4, stroke = 0.6, fill = "white") +
    # the parameter over its policy, on two lines: on one, the panel
    # titles of seven panels across the page were cut
    facet_grid(measure ~ parameter, scales = "free",
      labeller = labeller(parameter = sensitivity_title)) +
    scale_x_discrete(expand = expansion(add = 0.4)) +
    scale_y_continuous(labels = label_number(accuracy = 0.01),
      expand = expansion(mult = c(0.08, 0.15))) +
    scale_colour_manual(values = policy_values(levels(rows$policy),
      "colour"), guide = "none") +
    scale_linetype_manual(values = c(cow = "solid",
      `best fixed policy` = "42"), name = "relative to") +
    scale_shape_manual(values = c(cow = 16, `best fixed policy` = 21),
      name = "relative to") +
    labs(x = "parameter value (evenly spaced, in order)",
      y = "geometric mean cost relative to the reference") +
    theme_paper() +
    theme(
      panel.grid.major.y = element_line(colour = "grey92"),
      legend.key.width = unit(1.8, "lines")
    )
}

fig_sensitivity <- figure(
  needs = "runs of a policy with one of its parameters swept in args",
  data = sensitivity_data,
  plot = plot_sensitivity,
  width = width_full,
  height = function(rows) 1.1 + 1.3 * max(1, n_distinct(rows$measure)),
  columns = "args",
  per_policy = FALSE
)
