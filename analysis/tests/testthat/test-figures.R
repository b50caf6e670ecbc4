realistic <- function() read_realistic()

tiny <- function() {
  suppressMessages(read_results(fixture("tiny.csv"), five_policies))
}

test_that("every figure has a file and a definition, and builds", {
  results <- realistic()
  for (name in figure_names) {
    expect_true(file.exists(file.path(analysis_root, paste0(name, ".R"))),
      label = name)
    spec <- get(name)
    expect_named(spec, c("needs", "data", "plot", "width", "height",
      "columns", "per_policy"))
    plot <- figure_plot(name, results, partial = FALSE)
    expect_no_warning(ggplot2::ggplotGrob(plot))
  }
})

test_that("fig_faults and fig_copies show one headline case per workload", {
  built <- ggplot_build(figure_plot("fig_faults", tiny()))
  # seqwrite (frac=10%, its headline) and forkserver: 2 rows, data order
  expect_equal(
    built$layout$panel_params[[1]]$y$get_labels(),
    c("forkserver", "seqwrite")
  )
  copies <- ggplot_build(figure_plot("fig_copies", tiny()))
  # pages copied and wasted copies, side by side
  expect_equal(nrow(copies$layout$layout), 2)
  expect_equal(copies$layout$panel_params[[1]]$y$get_labels(),
    c("forkserver", "seqwrite"))
})

test_that("fig_copies shows waste on a pseudo-log axis and cow's oracle", {
  built <- ggplot_build(figure_plot("fig_copies", tiny()))
  expect_equal(built$layout$panel_scales_x[[2]]$trans$name, "pseudo_log")
  ticks <- built$data[[2]]
  # the oracle of seqwrite frac=10% is cow's 10 copies
  expect_equal(sort(round(2 * sinh(ticks$x * log(10)))), c(10, 30))
})

test_that("fig_learning has a row of panels per policy", {
  built <- ggplot_build(figure_plot("fig_learning", realistic()))
  layout <- built$layout$layout
  expect_equal(nrow(layout), 5 * 3)
  expect_equal(levels(droplevels(layout$panel)), five_policies)
  expect_equal(max(layout$ROW), 5)
  expect_equal(
    hot_set_label(c("a", "b", "c"), c(10, 50, NA), c(0, 1, 1)),
    c("hot set 10%\ncontiguous", "hot set 50%\nscattered", "c")
  )
})

test_that("fig_sweep: coinciding policies stay apart", {
  built <- ggplot_build(figure_plot("fig_sweep", realistic()))
  expect_equal(nrow(built$layout$layout), 6)
  points <- built$data[[3]]
  cow <- points[points$colour == policy_values(five_policies,
    "colour")[["cow"]], ]
  hot <- points[points$colour == policy_values(five_policies,
    "colour")[["hot"]], ]
  # in the realistic model hot takes exactly cow's faults in one fork ...
  same <- merge(cow, hot, by = c("PANEL", "y"))
  expect_gt(nrow(same), 0)
  # ... and is drawn beside it, with another marker and line type
  expect_true(all(same$x.x != same$x.y))
  expect_true(all(same$shape.x != same$shape.y))
  lines <- built$data[[1]]
  expect_equal(n_distinct(lines$linetype), 5)
})

test_that("fig_instr: one panel per policy on a readable ratio axis", {
  built <- ggplot_build(figure_plot("fig_instr", realistic()))
  panels <- as.character(built$layout$layout$panel)
  expect_equal(panels, setdiff(five_policies, "cow"))
  # every panel has at least three ticks, 1 among them
  for (params in built$layout$panel_params) {
    breaks <- params$x$breaks
    breaks <- 10^breaks[!is.na(breaks)]
    expect_gte(length(breaks), 3)
    expect_true(any(abs(breaks - 1) < 1e-9))
  }
  expect_equal(ratio_breaks(c(0.86, 1.04)), c(0.9, 0.95, 1, 1.05))
  expect_equal(ratio_breaks(c(0.8, 7.5)), c(1, 1.5, 2.5, 4, 7.5))
  expect_true(1 %in% ratio_breaks(c(0.5, 3.4)))
})

test_that("fig_forkcost notes a policy off the relative scale", {
  plot <- figure_plot("fig_forkcost", realistic())
  expect_s3_class(plot, "patchwork")
  notes <- unlist(lapply(plot[[3]]$layers, function(layer) {
    layer$aes_params$label
  }))
  expect_match(notes, paste0("^copy \\(default\\): .*cow's\n",
    "copy \\(ptshare=1\\): .*\n\\(off this scale\\)$"))
})

test_that("counts on axes read 0, 10, 1K, 2.5K, 1M", {
  expect_equal(label_count(c(0, 10, 999.99998, 2500, 51200, 1.2e6, NA)),
    c("0", "10", "1K", "2.5K", "51.2K", "1.2M", NA))
  expect_equal(pseudo_log_breaks(c(0, 50)), c(0, 1, 10, 100))
  expect_equal(pseudo_log_breaks(c(0, 5000)), c(0, 10, 100, 1000, 10000))
})

figure_names_drawn <- function(dir) {
  sub("\\.pdf$", "", list.files(file.path(dir, "figures"),
    pattern = "\\.pdf$"))
}

test_that("every figure is a PDF with embedded fonts and a PNG", {
  dir <- drawn_dir("realistic.csv")
  expect_setequal(figure_names_drawn(dir), figure_names)
  for (name in figure_names) {
    pdf <- file.path(dir, "figures", paste0(name, ".pdf"))
    png <- file.path(dir, "figures", paste0(name, ".png"))
    expect_equal(readBin(pdf, "raw", 4), charToRaw("%PDF"))
    expect_equal(readBin(png, "raw", 4)[2:4], charToRaw("PNG"))
    # cairo embeds the fonts it draws with as font files
    text <- rawToChar(readBin(pdf, "raw", file.size(pdf)), multiple = TRUE)
    expect_true(
      any(grepl("FontFile", paste(text, collapse = ""), useBytes = TRUE)),
      label = paste(pdf, "embeds its fonts")
    )
  }
  for (name in c("numbers", "tab_seed", "tab_summary")) {
    expect_true(file.exists(file.path(dir, "generated",
      paste0(name, ".tex"))))
  }
  expect_equal(list.files(dir, all.files = TRUE, no.. = TRUE),
    c("figures", "generated"))
})

test_that("every figure is a column or the full page wide", {
  results <- realistic()
  d <- analysis_data(results)
  for (name in figure_names) {
    figure <- suppressMessages(build_figure(name, d, "test"))
    expect_true(figure$width %in% c(width_column, width_full), label = name)
    expect_true(figure$height > 1 && figure$height < 9, label = name)
  }
})

test_that("with copy and cow only and no fork server, PARTIAL still draws", {
  raw <- read_raw_fixture("realistic.csv") %>%
    filter(policy %in% c("copy", "cow"), workload != "forkserver")
  results <- read_raw(raw, c("copy", "cow"))
  expect_message(
    plot <- build_figure("fig_learning", analysis_data(results), "x.csv",
      partial = TRUE)$plot,
    "fig_learning: no per-child rows \\(forkserver\\) in x.csv"
  )
  built <- ggplot_build(figure_plot("fig_faults", results))
  colours <- unique(built$data[[length(built$data)]]$colour)
  expect_setequal(colours, unname(policy_values(five_policies,
    "colour")[c("copy", "cow")]))
})

test_that("booktabs tables have rules and a row per present policy", {
  dir <- drawn_dir("tiny.csv")
  summary <- readLines(file.path(dir, "generated", "tab_summary.tex"))
  expect_true(all(c("\\toprule", "\\midrule", "\\bottomrule") %in% summary))
  expect_true(any(grepl("^seqwrite frac=50\\\\% & copy &", summary)))
  expect_false(any(grepl("& hot &", summary)))
  seed <- readLines(file.path(dir, "generated", "tab_seed.tex"))
  expect_true(any(grepl("no readtest, writetest or lazyfork rows", seed)))
})

test_that("on_every_policy drops a workload run under fewer policies", {
  rows <- tibble::tibble(
    workload = c("seqwrite", "seqwrite", "mtcow"),
    policy = c("cow", "adaptive", "cow"),
    label = factor(c("seqwrite", "seqwrite", "mtcow"))
  )
  expect_message(kept <- on_every_policy(rows, "fig_test"), "left out mtcow")
  expect_equal(unique(kept$workload), "seqwrite")
  expect_equal(levels(kept$label), "seqwrite")
})

test_that("fig_learning keeps one heap size per hot set", {
  d <- list(children = tibble::tibble(
    workload = "forkserver",
    case = factor(c("a", "a", "b", "b")),
    pages = c(4096, 4096, 65536, 65536),
    frac = 10, seed = 1, policy = factor("cow"), child = c(0, 1, 0, 1),
    median = c(400, 400, 6500, 400), min = 0, max = 0, n = 1
  ))
  rows <- learning_data(d)
  expect_equal(unique(rows$pages), 4096)
})
