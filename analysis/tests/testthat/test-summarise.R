tiny_stats <- function() {
  summarise_runs(whole_runs(read_results(fixture("tiny.csv"))))
}

test_that("summaries over repetitions are median, min and max", {
  one <- tiny_stats() %>%
    filter(
      case == "seqwrite frac=50%", policy == "cow", counter == "cow_faults"
    )
  expect_equal(one$median, 51)
  expect_equal(one$min, 50)
  expect_equal(one$max, 52)
  expect_equal(one$n, 3)
})

test_that("per-child rows do not count as whole runs", {
  one <- tiny_stats() %>%
    filter(case == "forkserver", policy == "cow", counter == "cow_faults")
  expect_equal(one$median, 30)
})

test_that("the oracle is cow's copies_fault of the same configuration", {
  copies <- copies_vs_oracle(tiny_stats())
  oracle <- copies %>%
    distinct(case, oracle) %>%
    arrange(case)
  expect_equal(as.character(oracle$case), c(
    "seqwrite frac=10%", "seqwrite frac=50%", "forkserver"
  ))
  expect_equal(oracle$oracle, c(10, 51, 30))
})

test_that("copies, waste and distance to the oracle per policy", {
  fa <- copies_vs_oracle(tiny_stats()) %>%
    filter(case == "seqwrite frac=50%", policy == "faultaround")
  expect_equal(fa$copies, 52)
  expect_equal(fa$wasted, 1)
  expect_equal(fa$useful, 51)
  expect_equal(fa$extra, 1)
  expect_equal(fa$extra_pct, 100 / 51)
  copy <- copies_vs_oracle(tiny_stats()) %>%
    filter(case == "seqwrite frac=10%", policy == "copy")
  expect_equal(c(copy$copies, copy$wasted, copy$extra), c(103, 93, 93))
})

test_that("normalising to cow divides by cow's median", {
  rel <- tiny_stats() %>%
    filter(counter == "instr") %>%
    normalise_to_cow() %>%
    filter(case == "seqwrite frac=50%", policy == "faultaround")
  expect_equal(rel$median, 300000 / 405000)
  expect_equal(rel$max, 310000 / 405000)
})

test_that("forkbench ops and fork-server children are summarised", {
  results <- read_results(fixture("tiny.csv"))
  ops <- summarise_ops(results)
  fork <- filter(ops, op == "fork", policy == "copy", pages == 1024)
  expect_equal(fork$median, 500000)
  expect_equal(fork$mib, 4)
  kids <- summarise_children(results) %>%
    filter(policy == "faultaround")
  expect_equal(kids$child, 0:2)
  expect_equal(kids$median, c(10, 5, 2))
})
