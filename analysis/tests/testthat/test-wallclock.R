# The lock contention measured with the harts at once
# (experiments/wallclock --locks --csv; locks.R's wallclock_numbers()).

wallclock_of <- function(path = fixture("wallclock_locks.csv"),
                         boot = realistic_boot) {
  n <- wallclock_numbers(path, boot)
  setNames(n$value, n$name)
}

# The fixture's rows as character columns, to break one.
raw_wallclock <- function() {
  read_raw_fixture("wallclock_locks.csv")
}

test_that("the wallclock numbers are the medians per COW fault", {
  n <- wallclock_of()
  # mm: 100, 300, 200 of 1000 faults; split: 10, 20, 30; cas: 0, 0, 1
  expect_equal(n[["LockWallPtlockMmContPerFault"]], "0.2")
  expect_equal(n[["LockWallPtlockMmContPerFaultMin"]], "0.1")
  expect_equal(n[["LockWallPtlockMmContPerFaultMax"]], "0.3")
  expect_equal(n[["LockWallPtlockMmSpinPerFault"]], "2")
  expect_equal(n[["LockWallPtlockMmSpinPerFaultMax"]], "9")
  expect_equal(n[["LockWallPtlockSplitContPerFault"]], "0.02")
  expect_equal(n[["LockWallPtlockCasContPerFault"]], "0")
  expect_equal(n[["LockWallPtlockCasContPerFaultMax"]], "0.001")
  expect_equal(n[["LockWallPtlockSplitVsMmCont"]], "0.1\\ensuremath{\\times}")
  expect_equal(n[["LockWallPtlockCasVsMmCont"]], "0\\ensuremath{\\times}")
  # global: 50, 40, 60 of 500; percpu: 5, 5, 10
  expect_equal(n[["LockWallKallocGlobalContPerFault"]], "0.1")
  expect_equal(n[["LockWallKallocPercpuContPerFault"]], "0.01")
  expect_equal(n[["LockWallKallocPercpuVsGlobalCont"]],
    "0.1\\ensuremath{\\times}")
  expect_equal(n[["LockWallKallocHarts"]], "8")
  expect_equal(n[["LockWallKallocHostCores"]], "2")
  expect_equal(n[["LockWallPtlockReps"]], "3")
  # no ratio of the reference mode to itself
  expect_false(any(c("LockWallPtlockMmVsMmCont",
    "LockWallKallocGlobalVsGlobalCont") %in% names(n)))
  expect_true(all(is_macro_name(names(n))))
})

test_that("the reference mode is the boot default, else the first mode", {
  raw <- raw_wallclock()
  raw <- raw[c(which(raw$mode != "global"), which(raw$mode == "global")), ]
  path <- write_temp_csv(raw)
  expect_true("LockWallKallocPercpuVsGlobalCont" %in%
    names(wallclock_of(path)))
  expect_true("LockWallKallocGlobalVsPercpuCont" %in%
    names(wallclock_of(path, boot = NULL)))
})

test_that("a missing wallclock file gives no numbers, and says so", {
  expect_message(n <- wallclock_numbers(tempfile(fileext = ".csv")),
    "no LockWall")
  expect_equal(nrow(n), 0)
  expect_equal(nrow(wallclock_numbers(NULL)), 0)
  # the paper's use of them then stops make figures, or reads n/a with
  # PARTIAL (check_paper_numbers())
  used <- "LockWallPtlockMmContPerFault"
  expect_error(check_paper_numbers(n, used, "x.csv"), "do not define")
  filled <- suppressMessages(check_paper_numbers(n, used, "x.csv",
    partial = TRUE))
  expect_equal(filled$value[filled$name == used], "n/a")
})

test_that("bad wallclock rows are refused with their line and column", {
  raw <- raw_wallclock()
  bad <- raw
  bad$contended[4] <- "-3"
  expect_error(wallclock_numbers(write_temp_csv(bad)),
    "line 5, column contended: '-3'")
  bad <- raw
  bad$mode[2] <- "Mm!"
  expect_error(wallclock_numbers(write_temp_csv(bad)),
    "line 3, column mode")
  bad <- raw
  bad$cow_faults[1] <- "0"
  expect_error(wallclock_numbers(write_temp_csv(bad)), "line 2: cow_faults")
  bad <- raw
  bad$rep[2] <- "1"
  expect_error(wallclock_numbers(write_temp_csv(bad)),
    "line 3 repeats line 2")
  bad <- raw
  bad$harts[5] <- "4"
  expect_error(wallclock_numbers(write_temp_csv(bad)),
    "option ptlock was run with 4 and 8 harts")
  expect_error(wallclock_numbers(write_temp_csv(raw[, -8])),
    "lacks column\\(s\\) cow_faults")
  path <- tempfile(fileext = ".csv")
  writeLines(readLines(fixture("wallclock_locks.csv"))[1], path)
  expect_error(wallclock_numbers(path), "header only")
})
