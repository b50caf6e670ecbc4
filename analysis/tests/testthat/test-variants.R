# Variants (args): the boot arguments as a case parameter, the sweeps and
# ablations of a policy (variants.R), fork at scale with ptshare=1
# (fig_forkcost.R) and the locking study (locks.R); and what their figures
# and numbers do when the rows are missing.

test_that("boot arguments are read as words", {
  expect_equal(args_words("ptlock=split kalloc=percpu"),
    c(ptlock = "split", kalloc = "percpu"))
  expect_equal(args_words(""), stats::setNames(character(0), character(0)))
  expect_equal(arg_value(c("a=1 b=2", "", "b=3"), "b"), c("2", NA, "3"))
  expect_true(is_policy_parameter("adaptive_window", "adaptive"))
  expect_true(is_policy_parameter("window", "faultaround", realistic_boot))
  expect_false(is_policy_parameter("ptshare", "adaptive", realistic_boot))
})

test_that("args tell configurations apart and rows with args are variants", {
  results <- read_realistic()
  expect_true(all(c("seqwrite frac=10%",
    "seqwrite frac=10% [adaptive_window=8]") %in% levels(results$case)))
  variant <- filter(results, case == "seqwrite frac=10% [adaptive_window=8]")
  expect_equal(as.character(unique(variant$config)), "seqwrite frac=10%")
  expect_false(any(variant$base | variant$headline))
  # the figures and numbers of the policies see the runs without args only
  expect_true(all(whole_runs(results)$args == ""))
  # an args value that is not key=value words is refused
  raw <- read_raw_fixture("realistic.csv")
  raw$args[3] <- "window 8"
  expect_error(read_raw(raw), "line 4: args \"window 8\" is not boot")
})

test_that("sweeps and ablations are told apart without naming them", {
  results <- read_realistic()
  variants <- policy_variants(results, realistic_boot)
  sweeps <- distinct(filter(variants, kind == "sweep"), key, value)
  expect_setequal(unique(sweeps$key), c("adaptive_window",
    "adaptive_trapcost", "adaptive_decay"))
  expect_equal(sort(sweeps$value[sweeps$key == "adaptive_window"]),
    c(4, 8, 32, 64))
  ablations <- unique(variants$args[variants$kind == "ablation"])
  expect_setequal(ablations, c("adaptive_hot=0", "adaptive_around=0",
    "adaptive_hot=0 adaptive_around=0"))
  # mechanism options (mtcow's ptlock=split) are no variant of a policy
  expect_false(any(grepl("ptlock|kalloc|ptshare", variants$args)))
})

test_that("sensitivity: geometric means per value, the default marked", {
  results <- read_realistic()
  d <- analysis_data(results, context_of())
  rows <- sensitivity_rows(d)
  window <- filter(rows, key == "adaptive_window",
    measure == "instructions", against == "cow")
  # the default (16, from the source) comes from the runs without args
  expect_equal(sort(window$value), c(4, 8, 16, 32, 64))
  expect_equal(window$value[window$is_default], 16)
  # by hand: adaptive_window=8 against cow over the swept configurations
  configs <- unique(as.character(results$config[
    results$args == "adaptive_window=8" & results$scope == "run"]))
  median_instr <- function(rows) {
    rows %>%
      filter(scope == "run", as.character(config) %in% configs) %>%
      group_by(config) %>%
      summarise(instr = median(instr), .groups = "drop") %>%
      arrange(config)
  }
  eight <- median_instr(filter(results, policy == "adaptive",
    args == "adaptive_window=8"))
  cow <- median_instr(filter(results, policy == "cow", args == ""))
  expect_equal(window$ratio[window$value == 8],
    exp(mean(log(eight$instr / cow$instr))))
  expect_equal(max(window$configs), length(configs))
  n <- setNames(sensitivity_numbers(d)$value, sensitivity_numbers(d)$name)
  expect_equal(n[["SensitivityAdaptiveWindowDefault"]],
    number_ratio(window$ratio[window$is_default]))
  expect_equal(n[["SensitivityAdaptiveWindowBestValue"]],
    format_parameter(window$value[which.min(window$ratio)]))
  # the summary names no parameter: the widest spread of any sweep, and
  # how far the default is from a parameter's best value
  cow <- filter(rows, measure == "instructions", against == "cow")
  spread <- tapply(cow$ratio, cow$key, function(r) max(r) / min(r))
  expect_equal(n[["SensitivityAdaptiveParams"]], "3")
  expect_equal(n[["SensitivityAdaptiveWidest"]], number_ratio(max(spread)))
  expect_equal(n[["SensitivityAdaptiveWidestParam"]],
    latex_escape(names(spread)[which.max(spread)]))
  off <- sapply(split(cow, cow$key), function(k) {
    if (any(k$is_default)) k$ratio[k$is_default][1] / min(k$ratio) else NA
  })
  expect_equal(n[["SensitivityAdaptiveDefaultOffBest"]],
    number_ratio(max(off, na.rm = TRUE)))
  # no default in the source: no mark, the swept values only
  no_source <- analysis_data(results, context_of(boot = NULL))
  trap <- filter(sensitivity_rows(no_source), key == "adaptive_trapcost")
  expect_false(any(trap$is_default))
  expect_equal(sort(unique(trap$value)), c(5, 50, 200))
})

test_that("ablation: each variant against cow, best fixed and the default", {
  d <- analysis_data(read_realistic(), context_of())
  rows <- ablation_rows(d)
  expect_setequal(unique(rows$variant), c("adaptive default",
    "adaptive_hot=0", "adaptive_around=0",
    "adaptive_hot=0 adaptive_around=0"))
  against <- rows$against[rows$variant == "adaptive_hot=0" &
    rows$measure == "instructions"]
  expect_setequal(against, c("cow", "best fixed policy", "adaptive default"))
  n <- setNames(ablation_numbers(d)$value, ablation_numbers(d)$name)
  expect_true(all(c("AblationAdaptiveHotZeroVsDefault",
    "AblationAdaptiveHotZeroAroundZeroVsCow",
    "AblationAdaptiveAroundZeroVsBest") %in% names(n)))
  expect_false(any(n == "n/a"))
  # the summary names no variant: the dearest and the cheapest against
  # the default
  vs <- filter(rows, measure == "instructions",
    against == "adaptive default")
  expect_equal(n[["AblationAdaptiveVariants"]], "3")
  expect_equal(n[["AblationAdaptiveWorstVsDefault"]],
    number_ratio(max(vs$ratio)))
  expect_equal(n[["AblationAdaptiveWorstVariant"]],
    latex_escape(vs$variant[which.max(vs$ratio)]))
  expect_equal(n[["AblationAdaptiveBestVsDefault"]],
    number_ratio(min(vs$ratio)))
  expect_equal(n[["AblationAdaptiveBestVariant"]],
    latex_escape(vs$variant[which.min(vs$ratio)]))
})

test_that("a sweep value missing in some configuration stops the figure", {
  raw <- read_raw_fixture("realistic.csv")
  gone <- raw$args %in% "adaptive_window=8" & raw$workload == "seqwrite" &
    raw$frac %in% "10"
  results <- read_raw(raw[!gone, ])
  d <- analysis_data(results, context_of())
  expect_error(build_figure("fig_sensitivity", d, "x.csv"),
    paste0("incomplete data in x.csv: fig_sensitivity needs adaptive runs ",
      "with every value of adaptive_window and the references .* in ",
      "'seqwrite frac=10%'"))
  expect_message(build_figure("fig_sensitivity", d, "x.csv", partial = TRUE),
    "fig_sensitivity: adaptive runs with every value of adaptive_window")
  # the other configurations still give the sweep
  window <- filter(sensitivity_rows(d), key == "adaptive_window")
  expect_equal(max(window$configs), 6)
  expect_equal(attr(sensitivity_rows(d), "missing"), paste0("adaptive ",
    "runs with every value of adaptive_window and the references (cow ",
    "and every fixed policy without arguments) in 'seqwrite frac=10%'"))
})

test_that("without variant rows: placeholders, or a stop for a new CSV", {
  # a CSV without the args column predates them: placeholders, no stop
  d <- analysis_data(read_tiny(), context_of())
  for (name in c("fig_sensitivity", "fig_ablation", "fig_locks")) {
    expect_message(figure <- build_figure(name, d, "tiny.csv"),
      paste0(name, ": tiny.csv has no column args.* predates"))
    expect_equal(figure$height, 1.6)
  }
  # one with args but without the rows is incomplete
  raw <- read_raw_fixture("realistic.csv")
  plain <- raw[!grepl("^adaptive_", raw$args), ]
  d <- analysis_data(read_raw(plain), context_of())
  expect_error(build_figure("fig_ablation", d, "x.csv"),
    "fig_ablation needs runs of a policy with its parts switched off")
  expect_message(build_figure("fig_ablation", d, "x.csv", partial = TRUE),
    "fig_ablation: no runs of a policy .* drew a placeholder")
  n <- suppressMessages(compute_numbers(read_raw(plain)))
  expect_false(any(grepl("^(Sensitivity|Ablation)", n$name)))
})

test_that("fork at scale: per-page cost and copy against cow", {
  results <- read_realistic()
  d <- analysis_data(results, context_of())
  n <- setNames(forkscale_numbers(d)$value, forkscale_numbers(d)$name)
  fork <- function(p, a, pages) {
    median(results$fork_instr[results$op %in% "fork" &
      results$policy == p & results$args == a & results$pages == pages])
  }
  expect_equal(n[["ForkPageInstrCowAtSixtyFourMiB"]],
    format_decimal(fork("cow", "", 16384) / 16384, 1))
  expect_equal(n[["ForkPageInstrCowPtshareOneAtOneGiB"]],
    format_decimal(fork("cow", "ptshare=1", 262144) / 262144, 1))
  ratio <- fork("copy", "", 262144) / fork("cow", "ptshare=1", 262144)
  expect_equal(n[["ForkCopyVsCowPtshareOneAtOneGiB"]],
    paste0(format_count(ratio), "\\ensuremath{\\times}"))
  expect_match(n[["ForkCopyVsCowAtOneGiB"]], "^[0-9.]+\\\\ensure")
  expect_equal(n[["ForkInstrCowPtshareOneAtOneGiB"]],
    format_count(fork("cow", "ptshare=1", 262144)))
  expect_equal(n[["ForkInstrCopyAtOneGiB"]],
    format_count(fork("copy", "", 262144)))
  # the committed data's kind of CSV: no args, at most 64 MiB
  old <- setNames(forkscale_numbers(analysis_data(read_tiny()))$value,
    forkscale_numbers(analysis_data(read_tiny()))$name)
  expect_equal(old[["ForkCopyVsCowAtOneGiB"]], "n/a")
  # a new CSV without the ptshare=1 rows is incomplete for fig_forkcost
  raw <- read_raw_fixture("realistic.csv")
  d <- analysis_data(read_raw(raw[raw$args %in% c(NA, "") |
    raw$workload != "forkbench", ]), context_of())
  expect_error(build_figure("fig_forkcost", d, "x.csv"),
    "fig_forkcost needs forkbench op=fork rows with ptshare=1")
})

test_that("locks: per COW fault, per mode, against the default mode", {
  results <- read_realistic()
  rows <- lock_rows(results, realistic_boot)
  ptlock <- filter(rows, option == "ptlock")
  expect_setequal(unique(ptlock$mode), c("mm", "split", "cas"))
  expect_equal(unique(ptlock$reference), "mm")
  expect_equal(unique(rows$reference[rows$option == "kalloc"]), "global")
  # mtcow's layouts are two settings of the study, named in the numbers
  expect_setequal(unique(ptlock$setting), c("layout=0", "layout=1"))
  one <- results %>%
    filter(workload == "mtcow", cpus == 8, args == "ptlock=split",
      layout == 1)
  expect_equal(ptlock$cont[ptlock$mode == "split" & ptlock$cpus == 8 &
    ptlock$setting == "layout=1"],
    median(one$lk_pagetable_cont + one$lk_mm_cont) / median(one$cow_faults))
  n <- setNames(lock_numbers(analysis_data(results, context_of()))$value,
    lock_numbers(analysis_data(results, context_of()))$name)
  expect_equal(n[["LockPtlockLayoutOneHarts"]], "8")
  top <- filter(ptlock, cpus == 8, setting == "layout=1")
  expect_equal(n[["LockPtlockLayoutOneSplitVsMmCont"]], number_signif(
    top$cont[top$mode == "split"] / top$cont[top$mode == "mm"]))
  expect_equal(n[["LockPtlockLayoutOneCasVsMmSpin"]], number_signif(
    top$spin[top$mode == "cas"] / top$spin[top$mode == "mm"]))
  expect_equal(number_signif(c(0.00886, 4.54, 1234, NA)), c(
    "0.0089\\ensuremath{\\times}", "4.5\\ensuremath{\\times}",
    "1{,}200\\ensuremath{\\times}", "n/a"))
  expect_true(all(c("LockPtlockLayoutZeroCasVsMmSpin", "LockKallocPercpuVsGlobalCont",
    "LockKallocGlobalSpinPerFault") %in% names(n)))
  # the mode: what the workload printed, else args, else the default
  modes <- tibble(args = c("ptlock=cas", "", ""),
    ptlock = c(NA, "split", NA))
  expect_equal(option_mode(modes, "ptlock", realistic_boot),
    c("cas", "split", "mm"))
})

test_that("a locking study in one mode only is incomplete", {
  raw <- read_raw_fixture("realistic.csv")
  raw <- raw[!raw$args %in% "kalloc=percpu", ]
  d <- analysis_data(read_raw(raw), context_of())
  expect_error(build_figure("fig_locks", d, "x.csv"),
    "fig_locks needs runs of pforkserver: allocator.* in at least two modes")
})
