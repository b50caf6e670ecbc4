tiny_numbers <- function() {
  numbers <- suppressMessages(compute_numbers(
    read_results(fixture("tiny.csv"), five_policies)
  ))
  setNames(numbers$value, numbers$name)
}

numbers_of <- function(raw) {
  numbers <- suppressMessages(compute_numbers(read_raw(raw)))
  setNames(numbers$value, numbers$name)
}

test_that("fault reduction against cow, per workload and overall", {
  n <- tiny_numbers()
  expect_equal(n[["FaultReductionFaultaroundSeqwrite"]], "74.5\\%")
  expect_equal(n[["FaultReductionFaultaroundForkserver"]], "43.3\\%")
  # (13 + 17) / (51 + 30) faults of cow's, over the cases both ran
  expect_equal(n[["FaultReductionFaultaround"]], "63.0\\%")
  expect_equal(n[["FaultReductionCopy"]], "100.0\\%")
})

test_that("waste and distance to the oracle", {
  n <- tiny_numbers()
  expect_equal(n[["OracleExtraFaultaroundSeqwrite"]], "2.0\\%")
  expect_equal(n[["OracleExtraFaultaround"]], "9.9\\%")
  expect_equal(n[["OracleExtraCopy"]], "237.7\\%")
  expect_equal(n[["WastePctCopy"]], "70.9\\%")
  expect_equal(n[["WastePctFaultaround"]], "4.5\\%")
  expect_equal(n[["WastePctCow"]], "0.0\\%")
  expect_equal(n[["WastedPagesCopy"]], "146")
})

test_that("instruction savings, fork speed-up and op costs", {
  n <- tiny_numbers()
  expect_equal(n[["InstrSavingFaultaroundSeqwrite"]], "25.9\\%")
  expect_equal(n[["InstrSavingFaultaround"]], "25.5\\%")
  expect_equal(n[["InstrSavingCopySeqwrite"]], "\\ensuremath{-}8.9\\%")
  expect_equal(n[["ForkSpeedupSmallest"]], "5.0\\ensuremath{\\times}")
  expect_equal(n[["ForkSpeedupLargest"]], "50.0\\ensuremath{\\times}")
  expect_equal(n[["ForkLargestMiB"]], "4.00")
  expect_equal(n[["ForkInstrCopyLargest"]], "500{,}000")
  expect_equal(n[["CowFaultInstrCow"]], "3{,}000")
  expect_equal(n[["PageCopyInstr"]], "1{,}100")
})

test_that("fork-server learning and provenance", {
  n <- tiny_numbers()
  expect_equal(n[["LearningFaultaroundFirstChild"]], "10")
  expect_equal(n[["LearningFaultaroundLastChild"]], "2")
  expect_equal(n[["NumChildren"]], "3")
  expect_equal(n[["NumRepsMin"]], "1")
  expect_equal(n[["NumRepsMax"]], "3")
  expect_equal(n[["DataPolicies"]], "copy, cow, faultaround")
  expect_equal(n[["DataDate"]], "2025-11-20--2025-11-21")
})

test_that("what the data cannot give is n/a, with a message", {
  results <- suppressMessages(read_results(fixture("tiny.csv"),
    five_policies))
  expect_message(compute_numbers(results), "cannot be computed.*n/a")
  n <- tiny_numbers()
  expect_equal(n[["FaultReductionHot"]], "n/a")
  expect_equal(n[["ForkInstrHotLargest"]], "n/a")
  expect_equal(n[["SeedReadtestCowCowFaults"]], "n/a")
  expect_equal(n[["SeedReadtestPages"]], "n/a")
})

test_that("the seed's experiments: the heap of each headline run", {
  results <- suppressMessages(read_results(fixture("realistic.csv"),
    five_policies, realistic_parameters))
  n <- suppressMessages(compute_numbers(results))
  n <- setNames(n$value, n$name)
  for (w in c("readtest", "writetest", "lazyfork")) {
    pages <- unique(results$pages[results$workload == w & results$headline])
    expect_length(pages, 1)
    expect_equal(n[[paste0("Seed", camel_letters(w), "Pages")]],
      format_count(pages))
  }
})

test_that("macros for every policy of the order and every workload", {
  n <- tiny_numbers()
  for (policy in c("Copy", "Hot", "Faultaround", "Adaptive")) {
    expect_true(paste0("FaultReduction", policy) %in% names(n))
    expect_true(paste0("InstrSaving", policy, "Snapshot") %in% names(n))
  }
  expect_true(all(paste0("WastePct", c("Copy", "Cow", "Hot", "Faultaround",
    "Adaptive")) %in% names(n)))
  # a workload of the data that workload_table does not know
  raw <- read_raw_fixture("tiny.csv")
  new <- raw[raw$workload == "seqwrite", ]
  new$workload <- "backwrite"
  n <- numbers_of(rbind(raw, new))
  expect_equal(n[["FaultReductionFaultaroundBackwrite"]], "74.5\\%")
  full <- suppressMessages(compute_numbers(
    read_results(fixture("realistic.csv"), five_policies,
      realistic_parameters)
  ))
  expect_false(any(full$value == "n/a" & grepl("^FaultReduction", full$name)))
})

test_that("numbers.tex holds one well-formed newcommand per number", {
  dir <- drawn_dir("tiny.csv")
  lines <- readLines(file.path(dir, "generated", "numbers.tex"))
  expect_match(lines[1], "^% Generated .*SYNTHETIC")
  body <- lines[-1]
  expect_true(all(grepl("^\\\\newcommand\\{\\\\[A-Za-z]+\\}\\{.*\\}$", body)))
  # braces balance in every value
  depth <- vapply(strsplit(body, ""), function(chars) {
    steps <- cumsum((chars == "{") - (chars == "}"))
    if (any(steps < 0)) -1 else steps[length(steps)]
  }, numeric(1))
  expect_true(all(depth == 0))
  names <- sub("^\\\\newcommand\\{\\\\([A-Za-z]+)\\}.*", "\\1", body)
  expect_false(any(duplicated(names)))
  expect_true("\\newcommand{\\FaultReductionFaultaround}{63.0\\%}" %in% body)
})

test_that("macro names are spelled in letters", {
  expect_equal(make_macro_name("Pages", 1024), "PagesOneThousandTwentyFour")
  expect_equal(
    make_macro_name("Case", "seqwrite frac=50%"), "CaseSeqwriteFracFifty"
  )
  expect_error(check_macro_names(c("A1")), "invalid macro name")
  expect_error(check_macro_names(c("Ab", "Ab")), "defined twice")
})

test_that("no reduction or distance to cow where cow takes no COW fault", {
  raw <- read_raw_fixture("tiny.csv")
  cow <- raw$workload == "forkserver" & raw$policy == "cow" &
    is.na(raw$child)
  raw[cow, c("cow_faults", "copies_fault")] <- "0"
  n <- numbers_of(raw)
  expect_false(any(grepl(
    "^(FaultReduction|OracleExtra)[A-Za-z]+Forkserver$", names(n)
  )))
  expect_true("FaultReductionFaultaroundSeqwrite" %in% names(n))
  expect_true("InstrSavingFaultaroundForkserver" %in% names(n))
})

test_that("sweep numbers: faults, copies, waste and the cut against cow", {
  n <- tiny_numbers()
  expect_equal(n[["SweepSeqwriteFaultaroundFracFiftyCowFaults"]], "13")
  expect_equal(n[["SweepSeqwriteFaultaroundFracFiftyCopies"]], "52")
  expect_equal(n[["SweepSeqwriteFaultaroundFracFiftyWasted"]], "1")
  # cow 51 faults, faultaround 13
  expect_equal(
    n[["SweepSeqwriteFaultaroundFracFiftyFaultCut"]], "3.9\\ensuremath{\\times}"
  )
  expect_equal(n[["SweepSeqwriteFaultaroundFracTenCowFaults"]], "n/a")
  expect_equal(n[["SweepSeqwriteCowFracTenCopies"]], "10")
  expect_false("SweepSeqwriteCowFracTenFaultCut" %in% names(n))
})

test_that("a scan with holes is not a point of the write-fraction sweep", {
  stats <- tibble::tibble(
    workload = factor(c("seqwrite", "seqwrite", "randwrite", "randwrite",
      "walk")),
    case = factor(c("seqwrite frac=100%", "seqwrite frac=100% skip=5",
      "randwrite frac=25%", "randwrite frac=25% then=1024", "walk")),
    frac = c(100, 100, 25, 25, 25)
  )
  rows <- sweep_rows(stats)
  expect_equal(as.character(rows$case),
    c("seqwrite frac=100%", "randwrite frac=25%"))
})

test_that("learning warm-up: children before faults stay at zero", {
  expect_equal(warmup_children(c(409, 409, 0, 0, 0)), 2)
  expect_equal(warmup_children(c(0, 5, 0, 0)), 2)
  expect_equal(warmup_children(c(0, 0)), 0)
  expect_true(is.na(warmup_children(c(5, 0, 3))))
  expect_true(is.na(warmup_children(numeric(0))))
  raw <- read_raw_fixture("tiny.csv")
  raw$policy[raw$policy == "faultaround"] <- "hot"
  last <- raw$policy == "hot" & raw$child %in% "2"
  raw[last, c("cow_faults", "copies_fault")] <- "0"
  n <- numbers_of(raw)
  expect_equal(n[["LearningHotWarmup"]], "2")
  expect_equal(n[["LearningAdaptiveWarmup"]], "n/a")
})

test_that("one-fork instruction overheads and the headline list", {
  n <- tiny_numbers()
  # seqwrite faultaround/cow: 300000/405000 (frac 50), frac 10 not run
  expect_equal(n[["InstrOverheadMaxFaultaround"]], "\\ensuremath{-}25.9\\%")
  expect_equal(n[["InstrOverheadMaxCopy"]], "150.0\\%")
  expect_equal(n[["InstrOverheadMinCopy"]], "\\ensuremath{-}25.9\\%")
  expect_equal(n[["HeadlineConfigs"]], "seqwrite frac=10\\%; forkserver")
})

test_that("fork overhead against cow at the largest heap, per policy", {
  raw <- read_raw_fixture("tiny.csv")
  hot <- raw[raw$op %in% "fork" & raw$policy == "cow" & raw$pages == "1024", ]
  hot$policy <- "hot"
  hot$instr <- "12000"
  n <- numbers_of(rbind(raw, hot))
  expect_equal(n[["ForkOverheadHotLargest"]], "20.0\\%")
  expect_equal(n[["ForkOverheadCopyLargest"]], "4{,}900.0\\%")
  expect_equal(n[["ForkOverheadAdaptiveLargest"]], "n/a")
})
