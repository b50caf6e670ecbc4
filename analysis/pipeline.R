# The whole analysis, one way: read the CSV -> tidy -> summarise -> plot
# and write the tables and numbers. Outputs go to OUT_DIR/figures and
# OUT_DIR/generated (OUT_DIR is paper/ for the paper).

# Every figure of the paper: its plot, whether the data hold anything for
# it, and its size in inches. A figure without data is drawn as a
# placeholder that says what is missing, so the paper still builds.
figure_specs <- function(results) {
  runs <- whole_runs(results)
  stats <- summarise_runs(runs)
  ops <- summarise_ops(results)
  children <- summarise_children(results)
  list(
    fig_faults = list(
      plot = function() plot_faults(stats),
      rows = nrow(filter(stats, counter == "cow_faults", !is.na(median))),
      what = "whole-run rows",
      width = width_column, height = 3.0
    ),
    fig_copies = list(
      plot = function() plot_copies(copies_vs_oracle(stats)),
      rows = nrow(filter(stats, counter == "copies", !is.na(median))),
      what = "whole-run rows",
      width = width_full, height = 2.8
    ),
    fig_forkcost = list(
      plot = function() plot_forkcost(ops),
      rows = nrow(fork_rows(ops)),
      what = "forkbench op=fork rows",
      width = width_column, height = 2.5
    ),
    fig_instr = list(
      plot = function() plot_instr(stats),
      rows = nrow(filter(
        normalise_to_cow(filter(stats, counter == "instr")), !is.na(median)
      )),
      what = "instr of one-hart whole runs under cow and another policy",
      width = width_column, height = 3.6
    ),
    fig_seed = list(
      plot = function() plot_seed(stats),
      rows = nrow(seed_stats(stats)),
      what = "readtest, writetest or lazyfork rows",
      width = width_column, height = 2.6
    ),
    fig_learning = list(
      plot = function() plot_learning(children),
      rows = nrow(filter(children, !is.na(median))),
      what = "forkserver per-child rows",
      width = width_column, height = 2.4
    ),
    fig_sweep = list(
      plot = function() plot_sweep(stats),
      rows = nrow(sweep_stats(stats)),
      what = "seqwrite or randwrite rows with a write fraction",
      width = width_column, height = 3.6
    )
  )
}

# Draw one figure (or its placeholder) and write it as PDF and PNG.
draw_figure <- function(spec, name, fig_dir, source, synthetic = FALSE) {
  if (spec$rows > 0) {
    plot <- spec$plot()
  } else {
    message(name, ": no ", spec$what, " in ", source, "; drew a placeholder")
    plot <- plot_placeholder(paste0("no ", spec$what, "\nin ", source))
  }
  if (synthetic) {
    plot <- mark_synthetic(plot)
  }
  save_figure(plot, name, fig_dir, width = spec$width, height = spec$height)
}

draw_everything <- function(data_csv, out_dir = "paper") {
  fig_dir <- file.path(out_dir, "figures")
  gen_dir <- file.path(out_dir, "generated")
  source <- basename(data_csv)

  results <- read_results(data_csv)
  synthetic <- is_synthetic(results)
  if (synthetic) {
    message(source, " is a synthetic fixture: every output is marked so")
    source <- paste(source, "(SYNTHETIC FIXTURE, not a measurement)")
  }
  specs <- figure_specs(results)
  written <- unlist(lapply(names(specs), function(name) {
    draw_figure(specs[[name]], name, fig_dir, basename(data_csv), synthetic)
  }))

  runs <- whole_runs(results)
  stats <- summarise_runs(runs)
  tables <- list(
    tab_seed = format_seed_table(seed_table(stats), source),
    tab_summary = format_summary_table(summary_table(stats), source),
    numbers = format_numbers(compute_numbers(results), source)
  )
  for (name in names(tables)) {
    path <- file.path(gen_dir, paste0(name, ".tex"))
    write_lines_to(tables[[name]], path)
    written <- c(written, path)
  }
  invisible(written)
}
