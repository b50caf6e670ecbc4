#!/usr/bin/env Rscript
# Draw every figure and table of the paper from the results CSV.
#
#   Rscript analysis/figures.R [--partial] [DATA_CSV [OUT_DIR]]
#
# The CSV is validated first (validate.R): a bad value or missing data
# stops it with one line on stderr and exit status 1, and nothing is
# written. --partial draws what incomplete data allow (placeholders, n/a).
#
# The repository root is found from this script's path, so the command works
# from any directory. DATA_CSV defaults to experiments/data/full.csv and
# OUT_DIR to paper/, both under the repository root; paths given on the
# command line are taken relative to the current directory.

# The directory of this script, whether run by Rscript or sourced.
analysis_dir <- function() {
  args <- commandArgs(trailingOnly = FALSE)
  file <- sub("^--file=", "", grep("^--file=", args, value = TRUE))
  if (length(file) == 1 && basename(file) == "figures.R") {
    return(dirname(normalizePath(file)))
  }
  for (frame in rev(sys.frames())) {
    if (!is.null(frame$ofile)) {
      return(dirname(normalizePath(frame$ofile)))
    }
  }
  normalizePath("analysis")
}

# Source every script of the analysis (they only define functions and
# constants): common.R first, then the other helpers, then the figures
# (fig_*.R, whose definitions use the helpers).
load_analysis <- function(dir = analysis_dir()) {
  scripts <- setdiff(list.files(dir, pattern = "\\.R$"), "figures.R")
  figures <- grep("^fig_", scripts, value = TRUE)
  helpers <- setdiff(scripts, c("common.R", figures))
  for (script in c("common.R", helpers, figures)) {
    source(file.path(dir, script), local = globalenv())
  }
  invisible(dir)
}

usage <- "usage: Rscript analysis/figures.R [--partial] [DATA_CSV [OUT_DIR]]"

main <- function(args = commandArgs(trailingOnly = TRUE)) {
  dir <- load_analysis()
  root <- dirname(dir)
  if (any(args %in% c("-h", "--help"))) {
    cat(usage, "\n")
    quit(status = 0)
  }
  partial <- "--partial" %in% args
  args <- setdiff(args, "--partial")
  if (length(args) > 2 || any(startsWith(args, "-"))) {
    message(usage)
    quit(status = 2)
  }
  data_csv <- if (length(args) >= 1) {
    args[1]
  } else {
    file.path(root, "experiments", "data", "full.csv")
  }
  out_dir <- if (length(args) >= 2) args[2] else file.path(root, "paper")
  written <- tryCatch(
    draw_everything(data_csv, out_dir, repo_context(root), partial),
    error = function(e) {
      message("figures: ", conditionMessage(e))
      quit(status = 1)
    }
  )
  message("figures: wrote ", length(written), " files under ", out_dir)
}

if (sys.nframe() == 0L) {
  main()
}
