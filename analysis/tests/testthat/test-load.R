test_that("the tiny fixture loads with types, factors and scopes", {
  results <- read_results(fixture("tiny.csv"))
  expect_equal(nrow(results), 29)
  expect_type(results$cow_faults, "double")
  expect_s3_class(results$policy, "factor")
  expect_equal(levels(results$policy), policy_levels)
  expect_equal(
    as.vector(table(results$scope)[c("run", "child", "op")]),
    c(17, 6, 6)
  )
  # copies = copies_fork + copies_fault + copies_around
  fa <- filter(results, policy == "faultaround", workload == "seqwrite")
  expect_equal(fa$copies, c(52, 52, 56))
})

test_that("configurations of one workload get their own case", {
  results <- read_results(fixture("tiny.csv"))
  cases <- levels(droplevels(whole_runs(results)$case))
  expect_equal(
    cases,
    c("seqwrite frac=10%", "seqwrite frac=50%", "forkserver")
  )
})

test_that("extra columns are ignored and empty values are NA", {
  results <- read_results(fixture("realistic.csv"))
  expect_true(all(c("runner", "fixture") %in% names(results)))
  expect_true(all(is.na(results$child[results$workload == "readtest"])))
  expect_true(is_synthetic(results))
})

test_that("a CSV without some columns stops naming exactly those", {
  raw <- read_raw_fixture("tiny.csv") %>%
    select(-wasted, -instr, -commit)
  expect_error(
    read_results(write_temp_csv(raw)),
    "lacks required column\\(s\\): commit, wasted, instr \\("
  )
})

test_that("a missing file says to run make experiments or pass DATA=", {
  expect_error(
    read_results(file.path(tempdir(), "no-such.csv")),
    "not found.*make experiments.*DATA="
  )
})

test_that("a value that is not a number is reported with its column", {
  raw <- read_raw_fixture("tiny.csv")
  raw$cow_faults[3] <- "many"
  expect_error(
    read_results(write_temp_csv(raw)),
    "column cow_faults has 1 value\\(s\\) that are not numbers, e.g. \"many\""
  )
})

test_that("an unknown policy is refused", {
  raw <- read_raw_fixture("tiny.csv")
  raw$policy[1] <- "magic"
  expect_error(read_results(write_temp_csv(raw)), "unknown polic.*magic")
})

test_that("instruction counts of runs on several harts are dropped", {
  raw <- read_raw_fixture("tiny.csv")
  raw$cpus[1:3] <- "3"
  results <- suppressMessages(read_results(write_temp_csv(raw)))
  three <- filter(results, cpus == 3)
  expect_equal(nrow(three), 3)
  expect_true(all(is.na(three$instr) & is.na(three$fork_instr) &
    is.na(three$fault_instr)))
  expect_true(all(three$cow_faults == 0 & three$copies == 103))
  one <- filter(results, cpus == 1, workload == "seqwrite")
  expect_false(any(is.na(one$instr)))
})

test_that("the headline case of each workload is marked, else the first", {
  expect_message(
    results <- read_results(fixture("tiny.csv")),
    "no headline configuration of forkserver in the data; showing forkserver"
  )
  marked <- results %>%
    filter(headline) %>%
    distinct(case)
  expect_setequal(
    as.character(marked$case), c("seqwrite frac=10%", "forkserver")
  )
  expect_false(any(results$headline[results$scope == "op"]))
  # seqwrite's headline is frac=10: without those rows, frac=50 stands in
  raw <- read_raw_fixture("tiny.csv")
  raw <- raw[!(raw$workload == "seqwrite" & raw$frac == "10"), ]
  expect_message(
    results <- read_results(write_temp_csv(raw)),
    "no headline configuration of seqwrite, forkserver"
  )
  expect_true(all(results$headline[results$workload == "seqwrite"]))
})
