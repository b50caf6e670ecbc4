# Figure fig_instr: instructions of each whole run relative to cow's in the
# same configuration (cow = 1), one panel per policy, one row per
# configuration; median over repetitions with min..max bars. Each panel has
# its own ratio axis (log scale, ticks at round ratios such as 0.9, 1, 1.1,
# 1.25), so that a 5% difference reads as well as copy's several-fold one.
# Only one-hart runs: load.R drops the instruction counts of cpus > 1
# (machine-wide under QEMU -icount, see single_hart_instr()).

instr_data <- function(d) {
  d$stats %>%
    filter(counter == "instr") %>%
    normalise_to_cow() %>%
    filter(!is.na(median), policy != reference_policy) %>%
    mutate(case = droplevels(case))
}

plot_instr <- function(relative) {
  relative <- relative %>%
    mutate(
      case = factor(case, levels = rev(levels(case))),
      panel = droplevels(policy)
    )
  # a line between the rows of two workloads
  workloads <- as.character(relative$workload[match(levels(relative$case),
    relative$case)])
  between <- which(workloads[-1] != workloads[-length(workloads)]) + 0.5
  ggplot(relative, aes(x = median, y = case, colour = policy,
    shape = policy)) +
    geom_hline(yintercept = between, colour = "grey85", linewidth = 0.3) +
    geom_vline(xintercept = 1, colour = "grey40", linewidth = 0.3) +
    geom_linerange(aes(xmin = min, xmax = max), linewidth = 0.4,
      show.legend = FALSE) +
    geom_point(size = 1.3, stroke = 0.6) +
    facet_wrap(~panel, nrow = 1, scales = "free_x") +
    scale_x_log10(
      breaks = ratio_breaks,
      labels = label_number(drop0trailing = TRUE),
      expand = expansion(mult = 0.08)
    ) +
    scale_y_discrete() +
    scale_policy(relative$policy, c("colour", "shape")) +
    labs(
      x = "instructions relative to cow (ratio; log scale, each panel its own)",
      y = NULL
    ) +
    theme_paper() +
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      panel.grid.major.y = element_blank(),
      legend.position = "none",
      panel.spacing.x = unit(12, "pt")
    )
}

fig_instr <- figure(
  needs = "one-hart whole runs under cow and another policy",
  data = instr_data,
  plot = plot_instr,
  width = width_full,
  height = function(rows) 0.7 + 0.115 * n_distinct(rows$case)
)
