# No policy is listed by hand: a sixth policy in the registry and in the
# data shows in every figure, table and set of numbers, with a style of
# its own, and the first five keep theirs.

six_policies <- c(five_policies, "everyother")

# The realistic fixture plus a sixth policy, everyother, that behaves
# exactly as cow (the hardest case to tell apart).
six_raw <- function() {
  raw <- read_raw_fixture("realistic.csv")
  extra <- raw[raw$policy == "cow", ]
  extra$policy <- "everyother"
  rbind(raw, extra)
}

six <- function() read_raw(six_raw(), six_policies)

test_that("the first five policies keep their colours and shapes", {
  style <- policy_style(six_policies)
  expect_equal(style$colour[1:5],
    c("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00"))
  expect_equal(style$shape[1:2], c(15, 16))
  # the sixth gets the next Okabe-Ito colour
  expect_equal(style$colour[6], "#56B4E9")
  # twelve policies: colours repeat after eight, (colour, shape, line)
  # never does
  many <- policy_style(paste0("p", 1:12))
  expect_equal(n_distinct(many$shape), 12)
  expect_equal(n_distinct(many$linetype), 12)
  expect_equal(nrow(distinct(many, colour, shape, linetype)), 12)
})

test_that("a sixth policy passes the checks and gets its own style", {
  results <- six()
  expect_equal(levels(results$policy), six_policies)
  expect_length(completeness_problems(results, six_policies), 0)
})

test_that("a sixth policy shows in every figure", {
  results <- six()
  colour <- policy_style(six_policies)$colour[6]
  for (name in figure_names) {
    if (!get(name)$per_policy) next
    plot <- figure_plot(name, results, partial = FALSE)
    plots <- if (inherits(plot, "patchwork")) list(plot[[1]]) else
      list(plot)
    drawn <- unlist(lapply(plots, function(one) {
      built <- ggplot_build(one)
      unlist(lapply(built$data, function(layer) {
        c(layer$colour, layer$fill)
      }))
    }))
    expect_true(colour %in% drawn, label = paste(name, "draws everyother"))
  }
})

test_that("a sixth policy shows in the tables and numbers", {
  results <- six()
  stats <- summarise_runs(whole_runs(results))
  summary <- format_summary_table(summary_table(stats))
  expect_true(any(grepl("& everyother &", summary)))
  seed <- format_seed_table(seed_table(stats))
  expect_true(any(grepl("^everyother &", seed)))
  numbers <- suppressMessages(compute_numbers(results))
  n <- setNames(numbers$value, numbers$name)
  # it behaves as cow: no fault saved, no copy beyond the oracle
  expect_equal(n[["FaultReductionEveryother"]], "0.0\\%")
  expect_equal(n[["OracleExtraEveryotherSeqwrite"]], "0.0\\%")
  expect_true(all(c("WastePctEveryother", "LearningEveryotherFirstChild",
    "LearningEveryotherWarmup", "SweepSeqwriteEveryotherFracTenCowFaults",
    "CowFaultInstrEveryother", "ForkOverheadEveryotherLargest",
    "InstrOverheadMaxEveryother", "SeedLazyforkEveryotherCowFaults")
    %in% numbers$name))
  expect_match(n[["DataPolicies"]], "adaptive, everyother$")
})

test_that("without a registry the policies come in the data's order", {
  results <- suppressMessages(read_results(write_temp_csv(six_raw()),
    parameters = realistic_parameters))
  expect_equal(levels(results$policy), six_policies)
  raw <- six_raw()
  raw <- rbind(raw[raw$policy == "everyother", ],
    raw[raw$policy != "everyother", ])
  results <- suppressMessages(read_results(write_temp_csv(raw),
    parameters = realistic_parameters))
  expect_equal(levels(results$policy)[1], "everyother")
})
