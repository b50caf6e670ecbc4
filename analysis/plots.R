# Plot builders that several figures share.

# A dot plot over the workloads (rows, in the data's order from the top),
# one dodged point per policy with its min..max bar, value on a
# pseudo-log x axis titled xlab; one panel per level of rows$metric if
# there is such a column.
plot_dots_by_workload <- function(rows, xlab) {
  rows <- rows %>%
    mutate(label = factor(label, levels = rev(levels(droplevels(label)))))
  dodge <- position_dodge(width = 0.8)
  plot <- ggplot(rows, aes(x = median, y = label, colour = policy,
    shape = policy)) +
    geom_hline(
      yintercept = seq_len(n_distinct(rows$label) - 1) + 0.5,
      colour = "grey88", linewidth = 0.3
    ) +
    geom_linerange(aes(xmin = min, xmax = max), position = dodge,
      linewidth = 0.4, show.legend = FALSE
    ) +
    geom_point(position = dodge, size = 1.2, stroke = 0.6) +
    scale_pseudo_log("x") +
    scale_y_discrete() +
    scale_policy(rows$policy, c("colour", "shape")) +
    labs(x = xlab, y = NULL) +
    if ("metric" %in% names(rows)) {
      facet_wrap(~metric, nrow = 1, scales = "free_x")
    }
  plot +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      panel.grid.major.y = element_blank()
    ) +
    policy_guides(rows$policy, aesthetics = c("colour", "shape"))
}

# Height: the legend and axis, and a row per workload.
height_by_workload <- function(rows) {
  0.75 + 0.22 * n_distinct(rows$workload)
}

# The rows of the workloads that ran under every policy of rows, or, if
# none did (a sparse fixture), under as many policies as any workload
# did: the others, such as a locking study run under cow alone, would be
# a row of one point compared with nothing. Says which it leaves out, as
# "name: left out ...".
on_every_policy <- function(rows, name) {
  ran <- rows %>%
    distinct(workload, policy) %>%
    count(workload, name = "policies")
  if (nrow(ran) == 0) {
    return(rows)
  }
  partial <- as.character(ran$workload[ran$policies < max(ran$policies)])
  if (length(partial) > 0) {
    message(name, ": left out ", paste(partial, collapse = ", "),
      " (run under fewer policies than the others)")
  }
  rows %>%
    filter(!workload %in% partial) %>%
    mutate(label = droplevels(label))
}
