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
  expect_s3_class(plot_sweep(stats), "ggplot")
})

test_that("fig_faults and fig_copies show one headline case per workload", {
  stats <- summarise_runs(whole_runs(suppressMessages(
    read_results(fixture("tiny.csv"))
  )))
  built <- ggplot_build(plot_faults(stats))
  # seqwrite (frac=10%, its headline) and forkserver: 2 rows on the y axis
  expect_equal(
    built$layout$panel_params[[1]]$y$get_labels(),
    c("forkserver", "seqwrite")
  )
  copies <- ggplot_build(plot_copies(copies_vs_oracle(stats)))
  expect_equal(nrow(copies$layout$layout), 2)
  expect_setequal(
    as.character(copies$layout$layout$label), c("seqwrite", "forkserver")
  )
})

test_that("fig_learning labels its facets by the hot set", {
  expect_equal(
    hot_set_label(c("a", "b", "c"), c(10, 50, NA), c(0, 1, 1)),
    c("hot set 10%\ncontiguous", "hot set 50%\nscattered", "c")
  )
})

test_that("fig_sweep draws faults, copies and waste of both sweeps", {
  raw <- read_raw_fixture("tiny.csv")
  sweep <- raw[raw$workload == "seqwrite", ]
  sweep$workload <- "randwrite"
  stats <- summarise_runs(whole_runs(suppressMessages(read_results(
    write_temp_csv(rbind(raw, sweep))
  ))))
  built <- ggplot_build(plot_sweep(stats))
  expect_equal(nrow(built$layout$layout), 6)
  points <- built$data[[3]]
  # cow's COW faults at frac 10 and 50 in the seqwrite panel (pseudo-log)
  cow <- points[points$PANEL == 1 & points$colour == policy_colours[["cow"]], ]
  expect_equal(sort(round(2 * sinh(cow$y * log(10)))), c(10, 51))
})

figure_names <- c(
  "fig_faults", "fig_copies", "fig_forkcost", "fig_instr", "fig_seed",
  "fig_learning", "fig_sweep"
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
