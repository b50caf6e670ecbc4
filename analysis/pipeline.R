# The whole analysis, one way: read the CSV -> tidy -> summarise -> plot
# and write the tables and numbers. Outputs go to PAPER_DIR/figures and
# PAPER_DIR/generated.

draw_everything <- function(data_csv, paper_dir = "paper") {
  fig_dir <- file.path(paper_dir, "figures")
  gen_dir <- file.path(paper_dir, "generated")
  dir.create(fig_dir, recursive = TRUE, showWarnings = FALSE)
  dir.create(gen_dir, recursive = TRUE, showWarnings = FALSE)
  source <- basename(data_csv)

  results <- read_results(data_csv)
  runs <- whole_runs(results)
  stats <- summarise_runs(runs)
  ops <- summarise_ops(results)
  children <- summarise_children(results)

  figures <- list(
    fig_faults = list(
      plot = plot_faults(stats), data = runs,
      width = width_full, height = 2.5
    ),
    fig_copies = list(
      plot = plot_copies(copies_vs_oracle(stats)), data = runs,
      width = width_full, height = 3.2
    ),
    fig_forkcost = list(
      plot = plot_forkcost(ops), data = filter(ops, op == "fork"),
      width = width_column, height = 2.5
    ),
    fig_instr = list(
      plot = plot_instr(stats), data = runs,
      width = width_column, height = 3.6
    ),
    fig_seed = list(
      plot = plot_seed(stats),
      data = filter(runs, workload %in% seed_workloads),
      width = width_column, height = 2.6
    ),
    fig_learning = list(
      plot = plot_learning(children), data = children,
      width = width_column, height = 2.4
    )
  )
  written <- character(0)
  for (name in names(figures)) {
    figure <- figures[[name]]
    if (nrow(figure$data) == 0) {
      message(name, ": no rows for it in ", source, "; skipped")
      next
    }
    written <- c(written, save_figure(
      figure$plot, name, fig_dir,
      width = figure$width, height = figure$height
    ))
  }

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
