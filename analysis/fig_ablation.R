# Figure fig_ablation: a policy with parts of it switched off (variants.R:
# runs whose args set the policy's parameters other than as a sweep of
# one). One row per variant, labelled by its args, and the policy's
# default (every part on) on top; the geometric mean over the
# configurations every variant ran of the cost relative to cow (filled
# circle), to the best fixed policy (open circle) and to the policy's
# default (cross), by instructions (left) and by modelled cost (right,
# where the CSV has the cost model's counters). Log ratio axis.

ablation_data <- function(d) {
  ablation_rows(d)
}

plot_ablation <- function(rows) {
  variants <- unique(rows$variant)
  defaults <- variants[grepl(" default$", variants)]
  order <- c(defaults, setdiff(variants, defaults))
  references <- c("cow", "best fixed policy", "the policy's default")
  rows <- rows %>%
    mutate(
      against = ifelse(grepl(" default$", against), references[3], against),
      against = factor(against, levels = references),
      # one row per variant from the top, its references a little apart
      y = length(order) + 1 - match(variant, order) +
        0.22 * (2 - as.numeric(against))
    )
  ggplot(rows, aes(x = ratio, y = y, colour = policy, shape = against)) +
    geom_vline(xintercept = 1, colour = "grey40", linewidth = 0.3) +
    geom_hline(yintercept = seq_len(length(order) - 1) + 0.5,
      colour = "grey88", linewidth = 0.3) +
    geom_point(size = 1.6, stroke = 0.6) +
    facet_wrap(~measure, nrow = 1, scales = "free_x") +
    scale_x_log10(breaks = ratio_breaks,
      labels = label_number(drop0trailing = TRUE),
      expand = expansion(mult = 0.1)) +
    scale_y_continuous(breaks = rev(seq_along(order)), labels = order,
      minor_breaks = NULL, expand = expansion(add = 0.5)) +
    scale_colour_manual(values = policy_values(levels(rows$policy),
      "colour"), guide = "none") +
    scale_shape_manual(values = c(cow = 16, `best fixed policy` = 1,
      `the policy's default` = 4), name = "relative to") +
    labs(x = "geometric mean cost relative to the reference (log)",
      y = NULL) +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      panel.grid.major.y = element_blank()
    )
}

fig_ablation <- figure(
  needs = "runs of a policy with its parts switched off in args",
  data = ablation_data,
  plot = plot_ablation,
  width = width_full,
  height = function(rows) 0.9 + 0.3 * n_distinct(rows$variant),
  columns = "args",
  per_policy = FALSE
)
