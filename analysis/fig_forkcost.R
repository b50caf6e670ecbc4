# Figure fig_forkcost: the cost of one fork (the op=fork rows of
# forkbench) against the heap size, per policy, with the page tables
# copied at fork (the default) and shared (ptshare=1, and any other boot
# arguments forkbench ran with): colour and marker = policy, line type =
# boot arguments. Median over repetitions with min..max bars; the points
# of one heap size are set a little apart, so that policies that cost the
# same (cow, hot, adaptive) all show. Top: instructions of the fork
# system call, log-log. Middle: instructions spent in fork per page of
# the heap (fork_instr / pages), log-log: copy's cost per page, cow's
# falling to its per-page PTE work, ptshare's to nearly nothing. Bottom:
# relative to cow with the same arguments, on a linear axis, where the
# few percent the sharing policies differ by show; a policy far off that
# scale (copy) is named in a note instead.

# Heap sizes (MiB) whose per-page cost and copy/cow ratios the paper
# quotes (ForkPageInstr...At..., ForkCopyVsCow...At...).
fork_quote_mib <- c(64, 1024)

# The op=fork rows of the summaries: base = TRUE keeps those without boot
# arguments only (the fork numbers of numbers.R).
fork_rows <- function(ops, base = TRUE) {
  ops %>%
    filter(op == "fork", !is.na(median), median > 0, !base | args == "")
}

# Ratios above this are left out of the relative panel (and noted).
forkcost_zoom <- 2

# The label of boot arguments in the legend.
args_label <- function(args) {
  ifelse(args == "", "default", args)
}

forkcost_data <- function(d) {
  forks <- fork_rows(d$ops, base = FALSE)
  if (nrow(forks) == 0) {
    return(forks)
  }
  missing <- character(0)
  if (!"args" %in% d$columns) {
    message("fig_forkcost: the CSV predates the args column: ",
      "no fork with shared page tables (ptshare=1)")
  } else if (!any(forks$args != "")) {
    missing <- "forkbench op=fork rows with ptshare=1 (args)"
  }
  with_missing(forks, missing)
}

plot_forkcost <- function(forks) {
  arg_levels <- unique(c("", sort(unique(forks$args))))
  policies <- levels(droplevels(forks$policy))
  forks <- forks %>%
    mutate(
      setting = factor(args_label(args), levels = args_label(arg_levels)),
      # set the points of one size apart, evenly in log scale
      shift = 1.07^(match(as.character(policy), policies) -
        (length(policies) + 1) / 2),
      x = mib * shift,
      per_page = fork_median / pages,
      series = interaction(policy, setting)
    )
  # a line type per boot arguments, as many as the data hold (a fixed
  # short list left the last ones, ptshare=1 among them, with none)
  linetypes <- stats::setNames(policy_linetype_set[
    (seq_along(arg_levels) - 1) %% length(policy_linetype_set) + 1],
    args_label(arg_levels))
  breaks <- sort(unique(forks$mib))
  x_scale <- scale_x_log10(
    breaks = breaks,
    labels = label_number(drop0trailing = TRUE, big.mark = ","),
    expand = expansion(mult = 0.05)
  )
  common <- list(
    x_scale,
    scale_policy(forks$policy, c("colour", "shape")),
    scale_linetype_manual(values = linetypes, name = "boot arguments"),
    theme_paper(),
    theme(
      panel.grid.major.x = element_line(colour = "grey92"),
      panel.grid.major.y = element_line(colour = "grey92"),
      legend.key.width = unit(1.6, "lines")
    )
  )
  top <- ggplot(forks, aes(x = x, y = median, colour = policy,
    shape = policy, linetype = setting, group = series)) +
    geom_line(linewidth = 0.4) +
    geom_linerange(aes(ymin = min, ymax = max), linewidth = 0.3,
      linetype = "solid", show.legend = FALSE) +
    geom_point(size = 1.2, stroke = 0.55) +
    scale_y_log10(labels = label_count) +
    common +
    labs(x = NULL, y = "one fork\n(instr., log)") +
    theme(axis.text.x = element_blank()) +
    policy_guides(forks$policy, per_row = 3,
      aesthetics = c("colour", "shape")) +
    # two a row under the title: three overran the column in the PDF
    guides(linetype = guide_legend(order = 2, byrow = TRUE,
      nrow = ceiling(length(arg_levels) / 2), title.position = "top"))
  pages <- filter(forks, !is.na(per_page), per_page > 0)
  middle <- ggplot(pages, aes(x = x, y = per_page, colour = policy,
    shape = policy, linetype = setting, group = series)) +
    geom_line(linewidth = 0.4) +
    geom_point(size = 1.2, stroke = 0.55) +
    scale_y_log10(labels = label_count) +
    common +
    labs(x = NULL, y = "in fork per\npage (instr., log)") +
    theme(axis.text.x = element_blank()) +
    guides(colour = "none", shape = "none", linetype = "none")
  relative <- forks %>%
    left_join(
      forks %>%
        filter(policy == reference_policy) %>%
        select(pages, args, cow = median),
      by = c("pages", "args")
    ) %>%
    mutate(ratio = safe_ratio(median, cow))
  far <- relative %>%
    filter(!is.na(ratio)) %>%
    group_by(policy, setting) %>%
    filter(max(ratio) > forkcost_zoom) %>%
    summarise(low = min(ratio), high = max(ratio), .groups = "drop")
  near <- relative %>%
    filter(!is.na(ratio)) %>%
    anti_join(far, by = c("policy", "setting"))
  bottom <- ggplot(near, aes(x = x, y = ratio, colour = policy,
    shape = policy, linetype = setting, group = series)) +
    geom_hline(yintercept = 1, colour = "grey40", linewidth = 0.3) +
    geom_line(linewidth = 0.4) +
    geom_point(size = 1.2, stroke = 0.55) +
    scale_y_continuous(
      labels = label_number(accuracy = 0.01),
      # room for the note of the policies off the scale, a line each
      expand = expansion(mult = c(0.2, 0.25 + 0.3 * (nrow(far) + 1)))
    ) +
    common +
    labs(x = "heap size (MiB, log)",
      y = "relative to cow\n(same arguments)") +
    guides(colour = "none", shape = "none", linetype = "none")
  if (nrow(far) > 0) {
    shown <- if (n_distinct(forks$setting) > 1) paste0(" (", far$setting,
      ")") else ""
    note <- paste0(paste0(far$policy, shown, ": ",
      label_count(signif(far$low, 3)), "\u2013",
      label_count(signif(far$high, 3)), "\u00d7 cow's",
      collapse = "\n"), "\n(off this scale)")
    # at the right, where the sharing policies' ratios have settled near 1
    bottom <- bottom + annotate("text", x = max(forks$x), y = Inf,
      label = note, hjust = 1, vjust = 1.4, size = 2.1, colour = "grey25")
  }
  patchwork::wrap_plots(top, middle, bottom, ncol = 1,
    heights = c(1.3, 1.1, 1.3), guides = "collect") &
    theme(legend.position = "bottom", legend.box = "vertical",
      legend.box.spacing = unit(2, "pt"),
      legend.spacing.y = unit(0, "pt"))
}

format_ratio <- function(x) {
  format(round(x, 1), nsmall = 1, trim = TRUE)
}

fig_forkcost <- figure(
  needs = "forkbench op=fork rows",
  data = forkcost_data,
  plot = plot_forkcost,
  width = width_column,
  height = 4.8
)

# A heap size as words for a macro: 64 -> "SixtyFourMiB", 1024 ->
# "OneGiB".
size_words <- function(mib) {
  ifelse(mib >= 1024 & mib %% 1024 == 0,
    paste0(camel_letters(format_parameter(mib / 1024)), "GiB"),
    paste0(camel_letters(format_parameter(mib)), "MiB"))
}

# Fork at scale (issue 12): at each heap size of fork_quote_mib, the
# instructions spent in fork, in all and per page, for every policy and
# boot arguments of the forkbench rows, ForkInstr<Policy>[<Args>]At<Size>
# and ForkPageInstr<Policy>[<Args>]At<Size>, and copy's
# fork over cow's with each arguments, ForkCopyVsCow[<Args>]At<Size>
# (instructions in fork, fork_instr).
forkscale_numbers <- function(d) {
  policies <- levels(d$results$policy)
  forks <- fork_rows(d$ops, base = FALSE) %>%
    filter(!is.na(fork_median)) %>%
    mutate(policy = as.character(policy))
  settings <- unique(c("", forks$args))
  grid <- expand_grid(policy = policies, args = settings,
    mib = fork_quote_mib)
  values <- on_grid(grid, select(forks, policy, args, mib, fork_median,
    pages), c("policy", "args", "mib"))
  per_page <- safe_ratio(values$fork_median, values$pages)
  copy <- forks %>%
    filter(policy == baseline_policy, args == "") %>%
    select(mib, copy = fork_median)
  cow <- forks %>%
    filter(policy == reference_policy) %>%
    select(args, mib, cow = fork_median)
  ratio <- on_grid(expand_grid(args = settings, mib = fork_quote_mib), cow,
    c("args", "mib")) %>%
    left_join(copy, by = "mib") %>%
    mutate(x = safe_ratio(copy, cow))
  bind_rows(
    numbers_row(
      paste0("ForkInstr", camel_letters(values$policy),
        camel_letters(values$args), "At", size_words(values$mib)),
      number_count(values$fork_median)
    ),
    numbers_row(
      paste0("ForkPageInstr", camel_letters(values$policy),
        camel_letters(values$args), "At", size_words(values$mib)),
      with_na(format_decimal(per_page, 1), per_page)
    ),
    numbers_row(
      paste0("ForkCopyVsCow", camel_letters(ratio$args), "At",
        size_words(ratio$mib)),
      with_na(paste0(ifelse(!is.na(ratio$x) & ratio$x >= 100,
        format_count(ratio$x), format_decimal(ratio$x, 1)),
        "\\ensuremath{\\times}"), ratio$x)
    )
  )
}
