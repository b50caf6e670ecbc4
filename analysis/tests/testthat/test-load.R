test_that("the tiny fixture loads with types, factors and scopes", {
  results <- read_results(fixture("tiny.csv"))
  expect_equal(nrow(results), 29)
  expect_type(results$cow_faults, "double")
  expect_s3_class(results$policy, "factor")
  # no registry given: the policies in the order the data name them
  expect_equal(levels(results$policy), c("copy", "cow", "faultaround"))
  expect_equal(
    levels(read_results(fixture("tiny.csv"), five_policies)$policy),
    five_policies
  )
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
  results <- read_realistic()
  expect_true(all(c("runner", "fixture") %in% names(results)))
  expect_true(all(is.na(results$child[results$workload == "readtest"])))
  expect_true(is_synthetic(results))
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
    paste0("forkserver has no headline configuration in the data, ",
      "showing 'forkserver'")
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
    "seqwrite has no headline configuration in the data, showing 'seqwrite'"
  )
  expect_true(all(results$headline[results$workload == "seqwrite"]))
})

test_that("parameters the workloads declare tell configurations apart", {
  raw <- read_raw_fixture("tiny.csv")
  # the same seqwrite runs, once with stride=1 and once with stride=8
  strided <- raw[raw$workload == "seqwrite" & raw$frac == "10", ]
  strided$workload <- "strided"
  strided$frac <- NA
  raw$stride <- NA
  raw <- rbind(raw, transform(strided, stride = "1"),
    transform(strided, stride = "8"))
  results <- read_raw(raw, parameters = c("pages", "stride"))
  cases <- levels(droplevels(whole_runs(results)$case))
  expect_true(all(c("strided stride=1", "strided stride=8") %in% cases))
  expect_type(results$stride, "double")
  # undeclared, the two would be pooled: refused as repeated lines
  expect_error(suppressMessages(read_results(write_temp_csv(raw))),
    "repeats line .*differ only in stride, which no workload declares")
})

test_that("runs with another memory size are another configuration", {
  raw <- read_raw_fixture("tiny.csv")
  big <- raw[raw$workload == "seqwrite" & raw$frac == "10", ]
  big$mem <- "1G"
  results <- read_raw(rbind(raw, big))
  expect_true(all(c("seqwrite mem=128M frac=10%", "seqwrite mem=1G frac=10%")
    %in% levels(results$case)))
})

test_that("a workload not in workload_table is kept, with a message", {
  raw <- read_raw_fixture("tiny.csv")
  new <- raw[raw$workload == "seqwrite" & raw$frac == "50", ]
  new$workload <- "mirrorwrite"
  raw <- rbind(raw, new)
  expect_message(
    results <- read_results(write_temp_csv(raw)),
    "mirrorwrite is not in workload_table \\(analysis/workloads.R\\), show"
  )
  expect_true(all(results$headline[results$workload == "mirrorwrite"]))
  expect_equal(levels(results$workload),
    c("seqwrite", "forkserver", "forkbench", "mirrorwrite"))
})

test_that("the repository's registry and USAGE lines are read", {
  root <- dirname(analysis_root)
  policies <- read_registry(file.path(root, "policies", "registry.c"))
  expect_equal(policies[1:2], c("copy", "cow"))
  registry <- tempfile()
  writeLines(c("#define POLICIES(POLICY) \\", "  POLICY(copy) \\",
    "  POLICY(cow) \\", "  POLICY(every_other)", ""), registry)
  expect_equal(read_registry(registry), c("copy", "cow", "every_other"))
  writeLines("nothing here", registry)
  expect_error(read_registry(registry), "lists no policy")
  expect_null(read_registry(file.path(tempdir(), "none.c")))
  dir <- tempfile()
  dir.create(dir)
  writeLines('#define USAGE "stride [pages=4096] [stride=16] [passes=1]"',
    file.path(dir, "stride.c"))
  expect_equal(read_workload_parameters(dir), c("pages", "stride", "passes"))
  expect_true("frac" %in% read_workload_parameters(file.path(root,
    "experiments")))
})
