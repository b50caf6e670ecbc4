# Every rule of validate.R, each on a CSV that breaks it: the run stops
# with one line naming the file, the line, the column and the value (or
# what is missing), and nothing is written.

realistic_raw <- function() read_raw_fixture("realistic.csv")

# Refuse raw (a data frame) with a message matching pattern; the file's
# name starts the message.
expect_refused <- function(raw, pattern, policies = five_policies,
                           parameters = realistic_parameters) {
  path <- write_temp_csv(raw)
  error <- expect_error(
    suppressMessages(read_results(path, policies, parameters)),
    pattern
  )
  expect_match(conditionMessage(error), paste0("^", path, " "),
    fixed = FALSE)
  expect_false(grepl("\n", conditionMessage(error)))
  invisible(error)
}

test_that("the fixtures and the committed data pass every check", {
  expect_no_error(read_raw(realistic_raw()))
  results <- read_realistic()
  expect_length(completeness_problems(results, five_policies), 0)
  data <- file.path(analysis_root, "..", "experiments", "data", "full.csv")
  skip_if_not(file.exists(data))
  context <- repo_context(dirname(analysis_root))
  full <- suppressMessages(read_results(data, context$policies,
    context$parameters))
  expect_length(completeness_problems(full, context$policies), 0)
})

test_that("a negative counter is refused, naming line, column, value", {
  raw <- realistic_raw()
  raw$cow_faults[7] <- "-3"
  expect_refused(raw,
    "line 8: cow_faults \"-3\" is not a non-negative integer")
})

test_that("exponent notation and decimals are refused", {
  raw <- realistic_raw()
  raw$instr[3] <- "1e400"
  expect_refused(raw, "line 4: instr \"1e400\" is not a non-negative int")
  raw <- realistic_raw()
  raw$faults[10] <- "1e3"
  expect_refused(raw, "line 11: faults \"1e3\" is not")
  raw <- realistic_raw()
  raw$wasted[5] <- "1.5"
  expect_refused(raw, "line 6: wasted \"1.5\" is not")
})

test_that("a counter beyond 2^63 - 1 is refused, 2^63 - 1 is not", {
  raw <- realistic_raw()
  raw$instr[2] <- "9223372036854775808"
  expect_refused(raw, "line 3: instr \"9223372036854775808\" is beyond 2\\^63")
  raw$instr[2] <- "18446744073709551613"
  expect_refused(raw, "line 3: instr .* is beyond 2\\^63 - 1")
  raw$instr[2] <- "9223372036854775807"
  expect_no_error(read_raw(raw))
})

test_that("an empty or non-numeric counter is refused", {
  raw <- realistic_raw()
  raw$copies_fault[12] <- NA
  expect_refused(raw, "line 13: copies_fault \"\" is empty")
  raw <- realistic_raw()
  raw$cow_faults[3] <- "many"
  expect_refused(raw, "line 4: cow_faults \"many\" is not a non-negative")
})

test_that("parameters out of range are refused", {
  raw <- realistic_raw()
  row <- which(!is.na(raw$frac))[1]
  raw$frac[row] <- "150"
  expect_refused(raw, paste0("line ", row + 1, ": frac \"150\" is above 100"))
  raw <- realistic_raw()
  raw$cpus[4] <- "0"
  expect_refused(raw, "line 5: cpus \"0\" is not at least 1")
  raw <- realistic_raw()
  row <- which(!is.na(raw$child))[1]
  raw$child[row] <- raw$children[row]
  expect_refused(raw, paste0("line ", row + 1, ": child \"8\" is not below"))
})

test_that("provenance and names must be well formed", {
  raw <- realistic_raw()
  raw$date[9] <- "yesterday"
  expect_refused(raw, "line 10: date \"yesterday\" is not a date")
  raw <- realistic_raw()
  raw$mem[9] <- "lots"
  expect_refused(raw, "line 10: mem \"lots\" is not a memory size")
  raw <- realistic_raw()
  raw$workload[9] <- "Seq Write"
  expect_refused(raw, "line 10: workload \"Seq Write\" is not a name")
})

test_that("a policy not in the registry is refused", {
  raw <- realistic_raw()
  raw$policy[1] <- "magic"
  expect_refused(raw,
    "line 2: policy \"magic\" is not in policies/registry.c \\(copy, cow")
})

test_that("counters that contradict their definitions are refused", {
  raw <- realistic_raw()
  raw$reuses[2] <- as.character(as.numeric(raw$cow_faults[2]) + 1)
  expect_refused(raw, "line 3: reuses .* is more than cow_faults")
  raw <- realistic_raw()
  run <- which(is.na(raw$op))[1]
  raw$wasted[run] <- as.character(as.numeric(raw$copies_fork[run]) +
    as.numeric(raw$copies_around[run]) + 1)
  expect_refused(raw, paste0("line ", run + 1,
    ": wasted .* is more than copies_fork \\+ copies_around"))
  # forkbench's cowfault op counts the child only: not checked there
  raw <- realistic_raw()
  op <- which(raw$op %in% "cowfault")[1]
  raw$wasted[op] <- "99"
  expect_no_error(read_raw(raw))
})

test_that("a repeated line is refused, with the column that differs", {
  raw <- realistic_raw()
  raw <- rbind(raw, raw[5, ])
  expect_refused(raw,
    paste0("line ", nrow(raw) + 1, " repeats line 6 \\(same workload"))
  raw <- realistic_raw()
  twin <- raw[5, ]
  twin$runner <- "other"
  expect_refused(rbind(raw, twin), "differ only in runner, which no workload")
})

test_that("a truncated file is refused: a cut line or no final newline", {
  path <- tempfile(fileext = ".csv")
  text <- readLines(fixture("realistic.csv"))
  writeLines(c(text[1:40], substr(text[41], 1, 60), text[42:50]), path)
  header <- length(strsplit(text[1], ",")[[1]])
  expect_error(read_results(path, five_policies),
    paste0("line 41: [0-9]+ fields where the header has ", header,
      " \\(a truncated"))
  writeLines(c(text[1:40], "", text[41:50]), path)
  expect_error(read_results(path, five_policies),
    paste0("line 41: 0 fields where the header has ", header))
  cut <- paste(text[1:50], collapse = "\n")
  writeBin(charToRaw(substr(cut, 1, nchar(cut) - 3)), path)
  expect_error(read_results(path, five_policies),
    "does not end with a newline: its last line is cut off")
  writeBin(raw(0), path)
  expect_error(read_results(path), "is empty")
  writeLines(text[1], path)
  expect_error(read_results(path), "has no rows")
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

# Completeness ----------------------------------------------------------

problems_of <- function(raw, policies = five_policies) {
  completeness_problems(read_raw(raw, policies), policies)
}

test_that("a configuration without some policy is incomplete", {
  raw <- realistic_raw()
  gone <- raw$workload == "seqwrite" & raw$frac == "10" &
    raw$policy %in% c("hot", "adaptive")
  expect_equal(problems_of(raw[!gone, ]),
    "configuration 'seqwrite frac=10%' has no rows of hot, adaptive")
  gone <- raw$workload == "snapshot" & raw$frac == "50" & raw$policy == "cow"
  expect_equal(problems_of(raw[!gone, ]),
    "configuration 'snapshot frac=50%' has no rows of cow")
})

test_that("no cow at all, or a registry policy without rows, is incomplete", {
  raw <- realistic_raw()
  problems <- problems_of(raw[raw$policy != "cow", ])
  expect_match(problems[1], "no rows of policy cow, which every comparison")
  expect_match(problems[2], "registry.c lists cow but the data have no rows")
  problems <- problems_of(raw, c(five_policies, "everyother"))
  expect_equal(problems, paste0("policies/registry.c lists everyother but ",
    "the data have no rows of it (run make experiments)"))
})

test_that("missing per-child and per-op rows are incomplete", {
  raw <- realistic_raw()
  gone <- raw$child %in% "7" & raw$policy == "hot" & raw$seed %in% "0"
  expect_equal(problems_of(raw[!gone, ]),
    "per-child row 'forkserver frac=10% seed=0 child=7' has no rows of hot")
  gone <- raw$op %in% "fork" & raw$pages == "16384" & raw$policy == "copy"
  expect_equal(problems_of(raw[!gone, ]), c(
    "per-op row 'forkbench op=fork pages=16384' has no rows of copy",
    "per-op row 'forkbench op=fork pages=16384 [ptshare=1]' has no rows of copy"
  ))
})

test_that("incomplete data stop the run in one line, writing nothing", {
  raw <- realistic_raw()
  raw <- raw[!(raw$workload == "shell" & raw$policy == "adaptive"), ]
  dir <- tempfile()
  dir.create(file.path(dir, "figures"), recursive = TRUE)
  writeLines("old", file.path(dir, "figures", "fig_faults.png"))
  expect_error(
    suppressMessages(draw_everything(write_temp_csv(raw), dir, context_of())),
    paste0("^incomplete data in .*: configuration 'shell' has no ",
      "rows of adaptive; make figures PARTIAL=1 draws what there is$")
  )
  expect_equal(list.files(dir, recursive = TRUE, all.files = TRUE),
    "figures/fig_faults.png")
  expect_equal(readLines(file.path(dir, "figures", "fig_faults.png")), "old")
})

test_that("a figure whose rows are all missing stops the run", {
  raw <- realistic_raw()
  raw <- raw[raw$workload != "forkbench", ]
  dir <- tempfile()
  expect_error(
    suppressMessages(draw_everything(write_temp_csv(raw), dir, context_of())),
    "fig_forkcost needs forkbench op=fork rows and there are none"
  )
  expect_false(dir.exists(dir) && length(list.files(dir)) > 0)
})

test_that("a number the paper uses must be defined and known", {
  numbers <- bind_rows(numbers_row("Known", "1"), numbers_row("Lost", "n/a"))
  expect_error(check_paper_numbers(numbers, c("Known", "Lost"), "x.csv"),
    "incomplete data in x.csv: paper/paper.tex uses \\\\Lost, which these")
  expect_error(check_paper_numbers(numbers, c("Known", "Never"), "x.csv"),
    "uses \\\\Never, which these data do not define")
  expect_equal(check_paper_numbers(numbers, "Known", "x.csv"), numbers)
  partial <- suppressMessages(check_paper_numbers(numbers, c("Never"),
    "x.csv", partial = TRUE))
  expect_equal(partial$value[partial$name == "Never"], "n/a")
  macros <- read_paper_macros(paper_path())
  expect_true(all(c("ForkCopyVsCowAtOneGiB", "WastePctCopy") %in% macros))
  expect_false(any(c("policy", "workload", "Large") %in% macros))
})

test_that("an error while drawing leaves the output directory as it was", {
  dir <- tempfile()
  dir.create(dir)
  # fig_faults (the third figure) fails when it is saved, after the first
  # two were written to the staging directory
  saved <- fig_faults
  on.exit(assign("fig_faults", saved, envir = globalenv()))
  broken <- saved
  broken$plot <- function(rows) {
    ggplot(rows, aes(x = no_such_column, y = median)) + geom_point()
  }
  assign("fig_faults", broken, envir = globalenv())
  expect_error(
    suppressMessages(draw_everything(fixture("tiny.csv"), dir, context_of(),
      partial = TRUE)),
    "no_such_column"
  )
  expect_equal(list.files(dir, recursive = TRUE, all.files = TRUE,
    include.dirs = TRUE), character(0))
})

test_that("PARTIAL draws placeholders and n/a, with messages", {
  dir <- drawn_dir("tiny.csv")
  expect_true(file.exists(file.path(dir, "figures", "fig_seed.pdf")))
  results <- suppressMessages(read_results(fixture("tiny.csv"),
    five_policies))
  expect_message(
    check_complete(results, "tiny.csv", five_policies, partial = TRUE),
    paste0("incomplete data \\(PARTIAL\\): policies/registry.c lists hot, ",
      "adaptive but the data have no rows of them .* \\(and 9 more\\)")
  )
  expect_message(
    build_figure("fig_seed", analysis_data(results), "tiny.csv", TRUE),
    "fig_seed: no rows of a seed workload .* in tiny.csv; drew a placeholder"
  )
  numbers <- readLines(file.path(dir, "generated", "numbers.tex"))
  expect_true("\\newcommand{\\FaultReductionHot}{n/a}" %in% numbers)
})

test_that("an R warning while drawing stops the run", {
  expect_error(stop_on_warning(warning("boom")), "^R warning: boom$")
  expect_equal(stop_on_warning(1 + 1), 2)
})

test_that("the command line prints one line and exits 1 on bad input", {
  raw <- realistic_raw()
  raw$cow_faults[7] <- "-3"
  path <- write_temp_csv(raw)
  out <- tempfile()
  status <- suppressWarnings(system2(file.path(R.home("bin"), "Rscript"),
    c(file.path(analysis_root, "figures.R"), path, out),
    stdout = TRUE, stderr = TRUE))
  expect_equal(attr(status, "status"), 1)
  expect_equal(length(status), 1)
  expect_match(status, paste0("^figures: ", path,
    " line 8: cow_faults \"-3\" is not a non-negative integer"))
  expect_false(file.exists(out))
})
