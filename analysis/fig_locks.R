# Figure fig_locks: the locking study (locks.R). One column per study
# (and per setting of it, e.g. mtcow's layout), with the legend of its
# modes below it: contended acquisitions (top) and spins (bottom) of the
# study's lock classes per COW fault,
# against the harts the run had, one line per mode of the study's boot
# option (the default mode black and solid). Median over repetitions,
# runs of the reference policy (cow). Both on a pseudo-log axis, so that
# the 0 of one hart stays on it.

# Styles of the modes of a study, the reference mode first. Not the
# policies' colours: this figure compares mechanisms, not policies.
mode_colours <- c("#000000", "#56B4E9", "#7F7F7F", "#E69F00")
mode_shapes <- c(16, 17, 15, 4)
mode_linetypes <- c("solid", "42", "13", "22")

locks_data <- function(d) {
  rows <- lock_rows(d$results, d$context$boot)
  if (nrow(rows) == 0) {
    return(rows)
  }
  missing <- rows %>%
    group_by(study, setting) %>%
    summarise(modes = n_distinct(mode), harts = n_distinct(cpus),
      .groups = "drop") %>%
    filter(modes < 2 | harts < 2) %>%
    transmute(text = paste0("runs of ", study, if_else(setting == "", "",
      paste0(" ", setting)), " in at least two modes and two hart counts"))
  absent <- lock_studies %>%
    filter(!title %in% rows$study) %>%
    transmute(text = paste0(workload, " runs with lock statistics (",
      option, "= modes)"))
  with_missing(rows, c(missing$text, absent$text))
}

# Breaks of a pseudo-log axis (sigma 0.001): 0 and 1, 3, 10 ... times
# the power of ten below the largest value's, from a thirtieth of it up
# to it (contention under
# QEMU's interleaving is rare: per fault it may be a few thousandths);
# only the powers of ten, or every other one, if that makes more than
# five.
lock_breaks <- function(limits) {
  top <- max(limits[2], 0.001, na.rm = TRUE)
  powers <- 10^seq(floor(log10(top)) - 1, ceiling(log10(top)))
  ticks <- sort(c(powers, 3 * powers))
  ticks <- ticks[ticks <= top & ticks >= top / 30]
  if (length(ticks) > 5) ticks <- powers[powers <= top]
  if (length(ticks) > 5) ticks <- ticks[seq(length(ticks), 1, by = -2)]
  sort(c(0, ticks))
}

plot_lock_study <- function(rows) {
  modes <- unique(c(rows$reference[1], sort(unique(rows$mode))))
  long <- rows %>%
    pivot_longer(c(cont, spin), names_to = "metric", values_to = "value") %>%
    mutate(
      metric = factor(lock_metrics[metric], levels = lock_metrics),
      mode = factor(mode, levels = modes)
    )
  title <- paste0(rows$study[1], if (rows$setting[1] != "")
    paste0(", ", rows$setting[1]))
  harts <- sort(unique(rows$cpus))
  pick <- function(set) stats::setNames(set[seq_along(modes)], modes)
  ggplot(long, aes(x = cpus, y = value, colour = mode, shape = mode,
    linetype = mode)) +
    geom_line(linewidth = 0.45) +
    geom_point(size = 1.3, stroke = 0.6) +
    facet_wrap(~metric, ncol = 1, scales = "free_y") +
    scale_x_continuous(trans = "log2", breaks = harts) +
    scale_y_continuous(
      trans = pseudo_log_trans(sigma = 0.001, base = 10),
      breaks = lock_breaks, labels = label_number(drop0trailing = TRUE),
      expand = expansion(mult = c(0.05, 0.1))
    ) +
    scale_colour_manual(values = pick(mode_colours),
      name = rows$option[1]) +
    scale_shape_manual(values = pick(mode_shapes), name = rows$option[1]) +
    scale_linetype_manual(values = pick(mode_linetypes),
      name = rows$option[1]) +
    labs(x = "harts", y = NULL, title = title) +
    theme_paper() +
    theme(
      plot.title = element_text(size = 7.5, face = "bold"),
      panel.grid.major.x = element_line(colour = "grey92"),
      panel.grid.major.y = element_line(colour = "grey92"),
      legend.key.width = unit(1.6, "lines")
    )
}

plot_locks <- function(rows) {
  studies <- split(rows, list(rows$study, rows$setting), drop = TRUE)
  studies <- studies[order(match(vapply(studies, function(s)
    as.character(s$study[1]), ""), levels(rows$study)))]
  patchwork::wrap_plots(lapply(studies, plot_lock_study), nrow = 1)
}

fig_locks <- figure(
  needs = "mtcow or pforkserver runs with lock statistics",
  data = locks_data,
  plot = plot_locks,
  width = width_full,
  height = 3,
  columns = c("args", "lk_pagetable_cont", "lk_kalloc_cont"),
  per_policy = FALSE
)
