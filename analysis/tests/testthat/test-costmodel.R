# The cost model (costmodel.R): its formula on hand-made counts, the
# crossovers on a hand-made set of configurations whose crossing is known
# in closed form, and what a CSV without its counters gives.

# Parts of hand-made configurations: per case and policy the cost
# without traps (other) and the traps.
parts_of <- function(...) {
  rows <- tibble::tribble(~case, ~policy, ~other, ~traps, ...)
  rows %>%
    mutate(
      workload = factor("w"),
      case = factor(case),
      policy = factor(policy, levels = unique(policy))
    )
}

test_that("modelled cycles: instructions plus each counter at its cost", {
  runs <- tibble(
    workload = factor("w"), case = factor("w"), policy = factor("cow"),
    instr = 1000, traps_syscall = 2, traps_fault = 3, sfence_all = 1,
    sfence_page = 4, pages_copied = 1, pages_zeroed = 2
  )
  parts <- cost_parts(runs)
  expect_equal(parts$traps, 5)
  expect_equal(parts$other, 1000 + 2000 * 1 + 30 * 4)
  expect_equal(modelled_cycles(parts), 1000 + 5 * 1842 + 2000 + 120)
  bytes <- cost_parts(runs, list(trap = 0, flush = 0, page_flush = 0,
    byte = 0.5))
  expect_equal(modelled_cycles(bytes, 0), 1000 + 0.5 * 4096 * 3)
  # a repetition's median per input, then the model
  two <- bind_rows(runs, mutate(runs, instr = 3000, traps_fault = 5))
  expect_equal(cost_parts(two)$other, 2000 + 2000 + 120)
  expect_equal(cost_parts(two)$traps, 2 + 4)
})

test_that("with every coefficient 0 the model gives the instruction ratios", {
  results <- read_realistic()
  runs <- whole_runs(results)
  zero <- list(trap = 0, flush = 0, page_flush = 0, byte = 0)
  pairs <- cost_pairs(cost_parts(runs, zero))
  instr <- runs %>%
    filter(!is.na(instr)) %>%
    group_by(case, policy) %>%
    summarise(instr = median(instr), .groups = "drop")
  cow <- filter(instr, policy == "cow") %>% select(case, cow = instr)
  expected <- instr %>%
    filter(case %in% pairs$case) %>%
    inner_join(cow, by = "case") %>%
    group_by(policy) %>%
    summarise(x = exp(mean(log(instr / cow))), .groups = "drop")
  for (p in c("copy", "hot", "faultaround", "adaptive")) {
    expect_equal(geomean_cost_ratio(pairs[pairs$policy == p, ], 0),
      expected$x[expected$policy == p])
  }
  # at C_trap = 0 only the other coefficients add to the instructions
  curves <- cost_curves(pairs, grid = c(0, 5000))
  expect_equal(curves$ratio[curves$policy == "cow"],
    rep(1, sum(curves$policy == "cow")))
})

test_that("a crossover is where two policies' mean costs meet", {
  # a: half cow's work, twice its traps: (500 + 20c) / (1000 + 10c) = 1
  # at c = 50; b: 10% above cow at every c, so it never crosses cow, but
  # a at 1100 + 11c = 500 + 20c, c = 66.7; same: cow's exactly (no
  # crossing with cow, but with a where cow does). y is x doubled.
  parts <- parts_of(
    "x", "cow", 1000, 10,
    "x", "a", 500, 20,
    "x", "b", 1100, 11,
    "x", "same", 1000, 10,
    "y", "cow", 2000, 20,
    "y", "a", 1000, 40,
    "y", "b", 2200, 22,
    "y", "same", 2000, 20
  )
  pairs <- cost_pairs(parts)
  found <- cost_crossovers(pairs, range = c(0, 200), step = 10)
  expect_equal(nrow(found), 3)
  expect_setequal(paste(found$a, found$b), c("cow a", "a same", "a b"))
  expect_equal(found$at, c(50, 50, 600 / 9), tolerance = 1e-4)
  expect_equal(found$cheaper, c("a", "a", "a"))
  expect_equal(cost_ranking(pairs, 0), "a $<$ cow $=$ same $<$ b")
  expect_equal(cost_ranking(pairs, 100), "cow $=$ same $<$ b $<$ a")
  # a crossing between two grid points is found exactly all the same
  coarse <- cost_crossovers(pairs, range = c(0, 200), step = 25)
  expect_equal(coarse$at[coarse$a == "a" & coarse$b == "b"], 600 / 9,
    tolerance = 1e-4)
  expect_equal(nrow(cost_crossovers(pairs, range = c(60, 200))), 1)
})

test_that("the cost numbers: coefficients, rankings, crossovers", {
  results <- read_realistic()
  d <- analysis_data(results, context_of())
  n <- cost_numbers(d)
  n <- setNames(n$value, n$name)
  expect_equal(n[["CostTrapDefault"]], "1{,}842")
  expect_equal(n[["CostMarkXEightySixMedian"]], "3{,}241")
  expect_false(any(n == "n/a"))
  pairs <- cost_pairs(cost_parts(d$runs))
  crossings <- cost_crossovers(pairs)
  expect_equal(n[["CostCrossoverCount"]], as.character(nrow(crossings)))
  copy_cow <- crossings$at[crossings$a == "copy" & crossings$b == "cow"]
  expect_equal(n[["CostCrossoverCopyCow"]], if (length(copy_cow) == 0)
    "none" else paste(format_count(copy_cow), collapse = ", "))
  expect_equal(n[["CostRankDefault"]], cost_ranking(pairs, 1842))
  # the rankings with the assumed flush coefficients at 0 and at 10x
  nought <- cost_coefficients
  nought$flush <- 0
  nought$page_flush <- 0
  expect_equal(n[["CostRankFlushZero"]],
    cost_ranking(cost_pairs(cost_parts(d$runs, nought)), 1842))
  tenfold <- cost_coefficients
  tenfold$flush <- 20000
  tenfold$page_flush <- 300
  expect_equal(n[["CostRankFlushTenfold"]],
    cost_ranking(cost_pairs(cost_parts(d$runs, tenfold)), 1842))
  expect_match(n[["CostVsCowAdaptiveDefault"]], "^[0-9]\\.[0-9]{2}\\\\ensure")
  # between two crossovers the ranking holds; across one it changes
  if (nrow(crossings) > 0) {
    at <- crossings$at[1]
    expect_false(cost_ranking(pairs, at - 5) == cost_ranking(pairs, at + 5))
  }
})

test_that("a CSV without the cost counters: placeholder and n/a, no stop", {
  results <- read_tiny()
  d <- analysis_data(results, context_of())
  expect_message(
    figure <- build_figure("fig_costmodel", d, "tiny.csv", partial = FALSE),
    "fig_costmodel: tiny.csv has no column traps_syscall, .* predates"
  )
  expect_s3_class(figure$plot, "ggplot")
  expect_message(numbers <- compute_numbers(results, d = d),
    "predates the cost model's counters")
  n <- setNames(numbers$value, numbers$name)
  expect_equal(n[["CostVsCowAdaptiveDefault"]], "n/a")
  expect_equal(n[["CostCrossoverCopyCow"]], "n/a")
  expect_equal(n[["VsBestAdaptiveCostGeomean"]], "n/a")
  # the instruction measure is there: copy and faultaround against cow
  expect_false(n[["VsBestFaultaroundInstrGeomean"]] == "n/a")
})
