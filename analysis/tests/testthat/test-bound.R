# bound.R: the lower bound on a random writer at 100% given the run at a
# lower fraction, by hand.

bound_stats <- function() {
  row <- function(frac, policy, median) {
    tibble::tibble(workload = "randwrite", cpus = 1, pages = 1000,
      seed = 1, frac = frac, policy = policy, counter = "instr",
      median = median)
  }
  dplyr::bind_rows(
    row(50, "cow", 2e6), row(10, "cow", 4e5),
    row(100, "copy", 3e6), row(100, "cow", 4e6),
    row(100, "adaptive", 3.6e6),
    # another workload and another hart count are not read
    row(100, "copy", 1) %>% dplyr::mutate(workload = "seqwrite"),
    row(50, "cow", 1) %>% dplyr::mutate(cpus = 3)
  )
}

test_that("the bound follows the argument: used early copies bounded by the short run, a trap for each of the rest", {
  # fault 4000 at trapcost 25: trap 800, copy 3200
  rows <- online_bounds(bound_stats(), 4000, 25, five_policies)
  expect_equal(nrow(rows), 2)
  at50 <- rows[rows$lo == 50, ]
  # k = 500; each used early copy brings 1000/500 - 1 = 1 wasted:
  # 3200 - 800 = 2400 a use; 5% of 2e6 allows 100000 / 2400 uses
  used <- 0.05 * 2e6 / 2400
  expect_equal(at50$used, used)
  expect_equal(at50$bound, (3e6 + 800 * (500 - used)) / 3e6)
  expect_equal(at50$studied, 3.6e6 / 3e6)
  at10 <- rows[rows$lo == 10, ]
  # k = 100: 9 wasted a use, 9 * 3200 - 800 = 28000 each
  expect_equal(at10$bound, (3e6 + 800 * (100 - 0.05 * 4e5 / 28000)) / 3e6)
})

test_that("the best fixed policy is the denominator, not copy's own run", {
  stats <- bound_stats()
  stats$median[stats$frac == 100 & stats$policy == "cow"] <- 2e6
  rows <- online_bounds(stats, 4000, 25, five_policies)
  at50 <- rows[rows$lo == 50, ]
  expect_equal(at50$bound, (3e6 + 800 * (500 - at50$used)) / 2e6)
})

test_that("no bound where an early copy's waste cannot outweigh its use", {
  # lo = 90: 1000/900 - 1 = 0.11 wasted a use, 356 < 800 a trap
  stats <- bound_stats()
  stats$frac[stats$frac == 10] <- 90
  rows <- online_bounds(stats, 4000, 25, five_policies)
  expect_equal(rows$lo, 50)
})

test_that("the numbers are n/a without the trap's share or a COW fault", {
  n <- suppressMessages(online_bound_numbers(
    analysis_data(read_results(fixture("tiny.csv"), five_policies))))
  expect_true(all(n$value == na_text))
  expect_equal(bound_trapcost(NULL), NA_real_)
  expect_equal(bound_trapcost(realistic_boot), 17)
})
