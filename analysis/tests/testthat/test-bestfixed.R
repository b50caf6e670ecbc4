# The best fixed policy (bestfixed.R): per configuration the cheapest of
# every policy but adaptive, and every policy's ratio to it.

values_of <- function(...) {
  tibble::tribble(~case, ~policy, ~value, ...) %>%
    mutate(
      workload = factor("w"), measure = "instr",
      case = factor(case, levels = unique(case)),
      policy = factor(policy, levels = five_policies)
    )
}

test_that("the best fixed policy is the cheapest but adaptive, per case", {
  values <- values_of(
    "a", "copy", 100, "a", "cow", 80, "a", "hot", 90,
    "a", "faultaround", 120, "a", "adaptive", 70,
    "b", "copy", 300, "b", "cow", 200, "b", "hot", 210,
    "b", "faultaround", 100, "b", "adaptive", 104,
    # c lacks faultaround: no best fixed policy is known there
    "c", "copy", 1, "c", "cow", 1, "c", "hot", 1, "c", "adaptive", 1
  )
  rows <- versus_best(values)
  expect_setequal(as.character(unique(rows$case)), c("a", "b"))
  best <- distinct(rows, case, best_policy, best)
  expect_equal(best$best_policy, c("cow", "faultaround"))
  expect_equal(best$best, c(80, 100))
  ratio <- function(c, p) rows$ratio[rows$case == c & rows$policy == p]
  expect_equal(ratio("a", "adaptive"), 70 / 80)
  expect_equal(ratio("b", "adaptive"), 1.04)
  expect_equal(ratio("a", "copy"), 1.25)
  expect_equal(ratio("b", "faultaround"), 1)
  summary <- vsbest_summary(rows)
  adaptive <- summary[summary$policy == "adaptive", ]
  expect_equal(adaptive$geomean, sqrt(70 / 80 * 1.04))
  expect_equal(adaptive$worst, 1.04)
  expect_equal(adaptive$worst_case, "b")
  expect_equal(adaptive$within2, 1)
  expect_equal(adaptive$within5, 2)
  expect_equal(adaptive$better, 1)
  cow <- summary[summary$policy == "cow", ]
  expect_equal(cow$within2, 1) # 1.0 in a, 2.0 in b
  expect_equal(cow$worst, 2)
})

test_that("where adaptive loses to a fixed policy: counts and workloads", {
  values <- values_of(
    "a", "copy", 100, "a", "cow", 80, "a", "hot", 90,
    "a", "faultaround", 120, "a", "adaptive", 95,
    "b", "copy", 300, "b", "cow", 200, "b", "hot", 210,
    "b", "faultaround", 100, "b", "adaptive", 104
  )
  values$workload <- factor(ifelse(values$case == "a", "wa", "wb"))
  n <- losses_numbers(versus_best(values), five_policies,
    c(instr = "Instr", cost = "Cost"))
  n <- setNames(n$value, n$name)
  expect_equal(n[["VsBestAdaptiveLosesToCowInstr"]], "1")
  expect_equal(n[["VsBestAdaptiveLosesToCowInstrWorkloads"]], "wa")
  expect_equal(n[["VsBestAdaptiveLosesToHotInstr"]], "1")
  expect_equal(n[["VsBestAdaptiveLosesToFaultaroundInstr"]], "1")
  expect_equal(n[["VsBestAdaptiveLosesToFaultaroundInstrWorkloads"]], "wb")
  expect_equal(n[["VsBestAdaptiveLosesToCopyInstr"]], "0")
  expect_equal(n[["VsBestAdaptiveLosesToCopyInstrWorkloads"]], "none")
  # no cost rows: n/a
  expect_equal(n[["VsBestAdaptiveLosesToCopyCost"]], "n/a")
})

test_that("every fixed policy's ratio is at least 1; numbers agree", {
  results <- read_realistic()
  d <- analysis_data(results, context_of())
  rows <- versus_best(policy_measures(d$runs))
  fixed <- rows[rows$policy != "adaptive", ]
  expect_true(all(fixed$ratio >= 1 - 1e-12))
  expect_setequal(unique(rows$measure), c("instr", "cost"))
  n <- vsbest_numbers(d)
  n <- setNames(n$value, n$name)
  configs <- as.numeric(n[["VsBestConfigsInstr"]])
  wins <- sum(as.numeric(n[paste0("BestFixed", c("Copy", "Cow", "Hot",
    "Faultaround"), "Instr")]))
  expect_equal(wins, configs)
  adaptive <- rows[rows$policy == "adaptive" & rows$measure == "instr", ]
  expect_equal(n[["VsBestAdaptiveInstrGeomean"]],
    number_ratio(exp(mean(log(adaptive$ratio)))))
  expect_equal(n[["VsBestAdaptiveInstrWithinFive"]],
    as.character(sum(adaptive$ratio <= 1.05)))
  expect_equal(n[["VsBestAdaptiveInstrWorstCase"]],
    latex_escape(as.character(adaptive$case[which.max(adaptive$ratio)])))
})

test_that("fig_vsbest: a profile per policy and measure", {
  plot <- figure_plot("fig_vsbest", read_realistic(), partial = FALSE)
  built <- ggplot_build(plot)
  expect_equal(as.character(built$layout$layout$measure),
    c("instructions", "modelled cost"))
  steps <- built$data[[3]]
  # every policy's line ends at 100% of the configurations
  ends <- tapply(steps$y, steps$colour, max)
  expect_true(all(abs(ends - 100) < 1e-9))
  expect_equal(length(ends), 5)
})
