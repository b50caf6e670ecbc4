# Figure fig_copies: pages copied per policy for the headline configuration
# of each workload (see headline_configs in common.R), the useful copies
# with the wasted ones (copied early, never written) stacked on top,
# against the oracle minimum (the copies plain cow makes, dashed line).
# One facet per workload, each with its own scale.

plot_copies <- function(copies) {
  copies <- copies %>%
    filter(!is.na(copies), headline) %>%
    mutate(label = factor(workload, levels = levels(droplevels(workload))))
  parts <- copies %>%
    select(label, policy, useful, wasted) %>%
    pivot_longer(
      c(useful, wasted),
      names_to = "part", values_to = "pages"
    ) %>%
    mutate(part = factor(part, levels = c("wasted", "useful")))
  oracle <- copies %>%
    distinct(label, oracle) %>%
    filter(!is.na(oracle))
  ggplot(parts, aes(x = policy, y = pages)) +
    geom_col(
      aes(fill = policy, alpha = part),
      width = 0.75, position = position_stack()
    ) +
    geom_errorbar(
      data = copies,
      aes(y = copies, ymin = copies_min, ymax = copies_max),
      width = 0.3, linewidth = 0.3
    ) +
    geom_hline(
      data = oracle,
      aes(yintercept = oracle, linetype = "oracle (cow)"),
      linewidth = 0.4
    ) +
    facet_wrap(~label, scales = "free_y", nrow = 2) +
    scale_y_continuous(
      labels = label_number(scale_cut = cut_short_scale()),
      expand = expansion(mult = c(0, 0.08))
    ) +
    scale_fill_policy() +
    scale_alpha_manual(
      values = c(useful = 1, wasted = 0.35),
      breaks = c("useful", "wasted"),
      name = NULL
    ) +
    scale_linetype_manual(values = "22", name = NULL) +
    labs(x = NULL, y = "copies (pages)") +
    theme_paper() +
    theme(
      axis.text.x = element_blank(),
      axis.ticks.x = element_blank()
    ) +
    guides(
      fill = guide_legend(nrow = 1, order = 1),
      alpha = guide_legend(
        order = 2,
        override.aes = list(fill = "grey30")
      ),
      linetype = guide_legend(order = 3)
    )
}
