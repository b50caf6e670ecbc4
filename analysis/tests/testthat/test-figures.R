realistic <- function() read_results(fixture("realistic.csv"))

test_that("every figure function returns a ggplot", {
  results <- realistic()
  stats <- summarise_runs(whole_runs(results))
  expect_s3_class(plot_faults(stats), "ggplot")
  expect_s3_class(plot_copies(copies_vs_oracle(stats)), "ggplot")
  expect_s3_class(plot_forkcost(summarise_ops(results)), "ggplot")
  expect_s3_class(plot_instr(stats), "ggplot")
  expect_s3_class(plot_seed(stats), "ggplot")
  expect_s3_class(plot_learning(summarise_children(results)), "ggplot")
})

figure_names <- c(
  "fig_faults", "fig_copies", "fig_forkcost", "fig_instr", "fig_seed",
  "fig_learning"
)

expect_pdf_and_png <- function(dir) {
  for (name in figure_names) {
    pdf <- file.path(dir, "figures", paste0(name, ".pdf"))
    png <- file.path(dir, "figures", paste0(name, ".png"))
    expect_true(file.exists(pdf), label = pdf)
    expect_true(file.exists(png), label = png)
    expect_equal(readBin(pdf, "raw", 4), charToRaw("%PDF"))
    expect_equal(readBin(png, "raw", 4)[2:4], charToRaw("PNG"))
    # cairo embeds the fonts it draws with as font files
    text <- rawToChar(readBin(pdf, "raw", file.size(pdf)), multiple = TRUE)
    expect_true(
      any(grepl("FontFile", paste(text, collapse = ""), useBytes = TRUE)),
      label = paste(pdf, "embeds its fonts")
    )
  }
}

test_that("all figures, tables and numbers are written, without warnings", {
  dir <- tempfile()
  expect_no_warning(suppressMessages(
    draw_everything(fixture("realistic.csv"), dir)
  ))
  expect_pdf_and_png(dir)
  for (name in c("numbers", "tab_seed", "tab_summary")) {
    expect_true(file.exists(file.path(dir, "generated",
      paste0(name, ".tex"))))
  }
})

test_that("with copy and cow only and no fork server, figures still draw", {
  raw <- read_raw_fixture("realistic.csv") %>%
    filter(policy %in% c("copy", "cow"), workload != "forkserver")
  dir <- tempfile()
  expect_message(
    expect_no_warning(draw_everything(write_temp_csv(raw), dir)),
    "fig_learning: no forkserver per-child rows"
  )
  expect_pdf_and_png(dir)
  plot <- plot_faults(summarise_runs(whole_runs(read_results(
    write_temp_csv(raw)
  ))))
  built <- ggplot_build(plot)
  colours <- unique(built$data[[length(built$data)]]$colour)
  expect_setequal(colours, unname(policy_colours[c("copy", "cow")]))
})

test_that("booktabs tables have rules and a row per present policy", {
  dir <- tempfile()
  suppressMessages(draw_everything(fixture("tiny.csv"), dir))
  summary <- readLines(file.path(dir, "generated", "tab_summary.tex"))
  expect_true(all(c("\\toprule", "\\midrule", "\\bottomrule") %in% summary))
  expect_true(any(grepl("^seqwrite frac=50\\\\% & copy &", summary)))
  expect_false(any(grepl("& hot &", summary)))
  seed <- readLines(file.path(dir, "generated", "tab_seed.tex"))
  expect_true(any(grepl("no readtest, writetest or lazyfork rows", seed)))
})
