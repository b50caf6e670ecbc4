# The whole analysis, one way: read and validate the CSV -> tidy ->
# summarise -> plot, and write the tables and numbers. Outputs go to
# OUT_DIR/figures and OUT_DIR/generated (OUT_DIR is paper/ for the paper),
# all at once at the end: a run that stops leaves the old ones untouched.

# Every figure, in the order of the paper. Figure NAME is defined in
# analysis/NAME.R as NAME <- figure(...): a new figure is one new file and
# its name here.
figure_names <- c(
  "fig_forkcost", "fig_seed", "fig_faults", "fig_sweep", "fig_copies",
  "fig_learning", "fig_instr", "fig_costmodel", "fig_vsbest",
  "fig_sensitivity", "fig_ablation", "fig_locks"
)

# Everything the figures, tables and numbers draw from, computed once.
# context: what the repository says (repo.R), for the parameters'
# defaults; columns: those the CSV had (a figure needing others is a
# placeholder, see build_figure()).
analysis_data <- function(results, context = repo_context(NULL)) {
  runs <- whole_runs(results)
  list(
    results = results,
    runs = runs,
    stats = summarise_runs(runs),
    ops = summarise_ops(results),
    children = summarise_children(results),
    columns = csv_columns(results),
    context = context
  )
}

# The height of a placeholder, in inches.
placeholder_height <- 1.6

# The plot of one figure, or the placeholder that says what it lacks.
# - A figure that needs columns the CSV does not have (it predates them)
#   is a placeholder that says so, with a message, with or without
#   partial: such a CSV cannot have these rows.
# - A figure whose data lack rows it needs (its data() returns no rows, or
#   rows with an attribute "missing" naming what else it lacks) stops the
#   run without partial; with partial it is drawn from what there is (a
#   placeholder if there is nothing), with a message.
build_figure <- function(name, d, source, partial = FALSE) {
  spec <- get(name, mode = "list")
  lacking <- setdiff(spec$columns, d$columns)
  if (length(lacking) > 0) {
    message(name, ": ", source, " has no column ", paste(lacking,
      collapse = ", "), " (it predates them); drew a placeholder")
    text <- paste0("no ", spec$needs, ":\n", source, " predates column",
      if (length(lacking) > 1) "s", "\n", paste(strwrap(paste(lacking,
        collapse = ", "), 40), collapse = "\n"))
    return(list(plot = plot_placeholder(text), width = spec$width,
      height = placeholder_height))
  }
  rows <- spec$data(d)
  missing <- attr(rows, "missing")
  if (length(missing) > 0 && nrow(rows) > 0) {
    if (!partial) {
      refuse(paste0("incomplete data in ", source, ": ", name, " needs ",
        missing), hint = "make figures PARTIAL=1 draws what there is")
    }
    message(name, ": ", missing[1], if (length(missing) > 1) paste0(
      " (and ", length(missing) - 1, " more)"), " in ", source,
      "; drew what there is")
  }
  height <- if (nrow(rows) == 0) {
    placeholder_height
  } else if (is.function(spec$height)) {
    spec$height(rows)
  } else {
    spec$height
  }
  if (nrow(rows) > 0) {
    plot <- spec$plot(rows)
  } else if (partial) {
    message(name, ": no ", spec$needs, " in ", source, "; drew a placeholder")
    plot <- plot_placeholder(paste0("no ", spec$needs, "\nin ", source))
  } else {
    stop(
      "incomplete data in ", source, ": ", name, " needs ", spec$needs,
      " and there are none; make figures PARTIAL=1 draws a placeholder",
      call. = FALSE
    )
  }
  list(plot = plot, width = spec$width, height = height)
}

# The numbers the paper uses (used: read_paper_macros(); NULL = no paper)
# must all be there and known. Without partial, a number the paper uses
# that these data cannot give (n/a) or that numbers.R does not define
# stops the run; with partial, the undefined ones are defined as n/a, so
# that the paper still compiles. Returns the numbers.
check_paper_numbers <- function(numbers, used, source, partial = FALSE) {
  unknown <- numbers$name[numbers$value == na_text & numbers$name %in% used]
  undefined <- setdiff(used, numbers$name)
  if (partial) {
    if (length(undefined) > 0) {
      message("numbers: the paper uses ", length(undefined),
        " numbers these data do not define, written as n/a: ",
        paste(head(undefined, 6), collapse = ", "))
    }
    return(bind_rows(numbers, numbers_row(undefined, rep(na_text,
      length(undefined)))))
  }
  problems <- c(
    if (length(undefined) > 0) paste0(
      "paper/paper.tex uses \\", undefined, ", which these data do not define"
    ),
    if (length(unknown) > 0) paste0(
      "paper/paper.tex uses \\", unknown, ", which these data cannot give"
    )
  )
  if (length(problems) > 0) {
    refuse(paste0("incomplete data in ", source, ": ", problems),
      hint = "make figures PARTIAL=1 writes them as n/a"
    )
  }
  numbers
}

# Stop on an R warning (a dropped point, a failed conversion): a figure
# drawn past one may be wrong.
stop_on_warning <- function(expr) {
  withCallingHandlers(expr, warning = function(w) {
    stop("R warning: ", conditionMessage(w), call. = FALSE)
  })
}

# Read, validate, compute and draw everything, then move it all into
# out_dir. context: what the repository says (repo.R; repo_context(NULL)
# for the data alone). partial: draw placeholders and write n/a where the
# data are incomplete, instead of stopping. Returns the paths written.
draw_everything <- function(data_csv, out_dir = "paper",
                            context = repo_context(NULL), partial = FALSE) {
  source <- basename(data_csv)
  stop_on_warning({
    results <- read_results(data_csv, context$policies, context$parameters)
    check_complete(results, data_csv, context$policies, partial)
    synthetic <- is_synthetic(results)
    if (synthetic) {
      message(source, " is a synthetic fixture: every output is marked so")
    }
    d <- analysis_data(results, context)
    figures <- lapply(figure_names, build_figure, d = d,
      source = source, partial = partial)
    names(figures) <- figure_names
    numbers <- compute_numbers(results, d = d)
    numbers <- check_paper_numbers(numbers, context$paper_macros, source,
      partial)
    label <- if (synthetic) {
      paste(source, "(SYNTHETIC FIXTURE, not a measurement)")
    } else {
      source
    }
    tables <- list(
      tab_seed = format_seed_table(seed_table(d$stats), label),
      tab_summary = format_summary_table(summary_table(d$stats), label),
      numbers = format_numbers(numbers, label)
    )
    write_outputs(figures, tables, out_dir, synthetic)
  })
}

# Write every figure and table into a temporary directory beside out_dir,
# then move each file into place; on any error the temporary directory is
# removed and out_dir is left as it was.
write_outputs <- function(figures, tables, out_dir, synthetic = FALSE) {
  dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)
  staging <- tempfile(".figures-", tmpdir = out_dir)
  on.exit(unlink(staging, recursive = TRUE))
  for (name in names(figures)) {
    fig <- figures[[name]]
    plot <- if (synthetic) mark_synthetic(fig$plot) else fig$plot
    save_figure(plot, name, file.path(staging, "figures"),
      width = fig$width, height = fig$height
    )
  }
  for (name in names(tables)) {
    write_lines_to(tables[[name]],
      file.path(staging, "generated", paste0(name, ".tex")))
  }
  staged <- list.files(staging, recursive = TRUE)
  for (dir in unique(dirname(staged))) {
    dir.create(file.path(out_dir, dir), recursive = TRUE, showWarnings = FALSE)
  }
  moved <- file.rename(file.path(staging, staged), file.path(out_dir, staged))
  if (!all(moved)) {
    stop("could not move ", staged[!moved][1], " into ", out_dir,
      call. = FALSE)
  }
  invisible(file.path(out_dir, staged))
}
