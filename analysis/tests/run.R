#!/usr/bin/env Rscript
# Run the testthat suite of the analysis and end with the line
#   analysis: N passed, N failed
# (N = tests, i.e. test_that blocks). Exit status 1 if any failed.

suppressPackageStartupMessages(library(testthat))
here <- dirname(normalizePath(sub(
  "^--file=", "",
  grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
)))
results <- as.data.frame(testthat::test_dir(
  file.path(here, "testthat"),
  reporter = "summary", stop_on_failure = FALSE, stop_on_warning = FALSE
))
bad <- results$failed > 0 | results$error | results$warning > 0
for (i in which(bad)) {
  cat("FAIL", results$file[i], ":", results$test[i], "\n")
}
cat(sprintf("analysis: %d passed, %d failed\n", sum(!bad), sum(bad)))
quit(status = if (any(bad)) 1 else 0)
