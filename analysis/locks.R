# The locking study (issue 13): how often COW faults and forks on several
# harts wait for a lock, per mode of the mechanism. Each study is one
# workload, the boot option whose modes it compares and the lock classes
# (kernel/lockstat.h) that option is about:
# - mtcow, threads of one process taking COW faults at once: the
#   page-table locking (ptlock: one lock per address space, per leaf
#   table, or compare-and-swap), classes pagetable and mm (mm mode's lock
#   is of class pagetable; split and cas also take the address space's
#   rw lock, class mm);
# - pforkserver, servers forking and faulting at once: the page
#   allocator (kalloc: one free list, or a cache per hart), class kalloc.
# Per run, the contended acquisitions and the spins (turns of the waiting
# loop) of those classes per COW fault. The lock statistics are
# system-wide counts over the measurement (experiments/exp.h), so they
# include a few acquisitions of the harness and the idle harts.
lock_studies <- tibble::tribble(
  ~workload, ~option, ~classes, ~title,
  "mtcow", "ptlock", "pagetable mm", "mtcow: page tables",
  "pforkserver", "kalloc", "kalloc", "pforkserver: allocator"
)

lock_metrics <- c(
  cont = "contended per COW fault",
  spin = "spins per COW fault"
)

# The mode of each row for a boot option: the value the workload printed
# (a column named after the option), else the one its args set, else the
# default from kernel/options.c (boot), else "default".
option_mode <- function(rows, option, boot = NULL) {
  printed <- if (option %in% names(rows)) as.character(rows[[option]]) else
    rep(NA_character_, nrow(rows))
  default <- if (is.null(boot)) character(0) else
    boot$default[boot$owner == "" & boot$key == option]
  default <- if (length(default) == 0) "default" else default[1]
  dplyr::coalesce(printed, arg_value(rows$args, option), default)
}

# The rows of the studies: whole runs of each study's workload with its
# classes' lock columns, under the reference policy (cow) if it ran the
# study, else the first policy that did. Per study, mode, configuration
# (config without cpus and the parameter that equals it: threads,
# servers) and harts, the medians per COW fault of the contended
# acquisitions and the spins.
lock_rows <- function(results, boot = NULL) {
  out <- list()
  for (i in seq_len(nrow(lock_studies))) {
    study <- lock_studies[i, ]
    classes <- strsplit(study$classes, " ")[[1]]
    columns <- c(paste0("lk_", classes, "_cont"),
      paste0("lk_", classes, "_spin"))
    rows <- results %>%
      filter(scope == "run", workload == study$workload)
    if (nrow(rows) == 0 || !all(columns %in% names(rows))) next
    rows <- filter(rows, if_all(all_of(columns), ~ !is.na(.x)))
    if (nrow(rows) == 0) next
    policy <- if (reference_policy %in% rows$policy) reference_policy else
      as.character(sort(unique(rows$policy))[1])
    rows <- rows %>%
      filter(policy == !!policy) %>%
      mutate(
        mode = option_mode(., study$option, boot),
        cont = rowSums(across(all_of(paste0("lk_", classes, "_cont")))),
        spin = rowSums(across(all_of(paste0("lk_", classes, "_spin")))),
        setting = lock_setting(.)
      )
    out[[length(out) + 1]] <- rows %>%
      group_by(setting, mode, cpus) %>%
      summarise(
        faults = safe_median(cow_faults),
        reps = n_distinct(rep),
        cont = safe_median(cont),
        spin = safe_median(spin),
        with_args = any(args != ""),
        plain = any(!grepl(paste0("(^| )", study$option, "="), args)),
        .groups = "drop"
      ) %>%
      filter(faults > 0) %>%
      mutate(
        cont = cont / faults, spin = spin / faults,
        option = !!study$option, workload = !!study$workload,
        policy = !!policy, study = !!study$title
      )
  }
  if (length(out) == 0) {
    return(tibble())
  }
  rows <- bind_rows(out)
  rows %>%
    group_by(option) %>%
    mutate(reference = reference_mode(mode, plain)) %>%
    ungroup() %>%
    mutate(study = factor(study, levels = unique(study)))
}

# The configuration of a row of a study apart from the harts: the
# parameters of its case label but cpus and those equal to cpus in every
# row of the workload (the thread or server count), e.g. "layout=1"; ""
# if none is left.
lock_setting <- function(rows) {
  label <- as.character(rows$config)
  words <- strsplit(label, " ")
  keys <- unique(sub("=.*", "", unlist(lapply(words, `[`, -1))))
  hart_keys <- character(0)
  for (column in intersect(setdiff(keys, "cpus"), names(rows))) {
    value <- rows[[column]]
    if (is.numeric(value) && !anyNA(value) && all(value == rows$cpus) &&
      n_distinct(value) > 1) {
      hart_keys <- c(hart_keys, column)
    }
  }
  vapply(words, function(w) {
    w <- w[-1]
    keys <- sub("=.*", "", w)
    paste(w[!keys %in% c("cpus", hart_keys)], collapse = " ")
  }, character(1))
}

# The mode the others are compared with: that of the runs that did not
# set the option (the boot default), else the first in order.
reference_mode <- function(mode, plain) {
  picked <- unique(mode[plain])
  if (length(picked) == 0) sort(unique(mode))[1] else picked[1]
}

# The macro stem of one study setting's rows (one, a part of rows):
# Lock<Option>, and <Setting> when the option's study has several.
lock_stem <- function(rows, one) {
  several <- n_distinct(rows$setting[rows$option == one$option[1]]) > 1
  paste0("Lock", camel_letters(one$option[1]),
    if (several) camel_letters(one$setting[1]) else "")
}

# Numbers of the locking study, at the largest hart count of each study
# and setting: per mode the contended acquisitions and spins per COW
# fault, Lock<Option>[<Setting>]<Mode>{Cont,Spin}PerFault (two
# significant digits: they are small), and each mode against the
# reference mode, Lock<Option>[<Setting>]<Mode>Vs<Ref>{Cont,Spin};
# Lock<Option>[<Setting>]Harts, the hart count, and ...Reps, the fewest
# repetitions of a mode there.
lock_numbers <- function(d) {
  rows <- lock_rows(d$results, d$context$boot)
  if (nrow(rows) == 0) {
    return(tibble(name = character(0), value = character(0)))
  }
  out <- list()
  for (one in split(rows, list(rows$option, rows$setting), drop = TRUE)) {
    top <- filter(one, cpus == max(cpus))
    stem <- lock_stem(rows, one)
    ref <- top[top$mode == top$reference[1], ]
    others <- top[top$mode != top$reference[1], ]
    ratio <- function(what) {
      if (nrow(ref) == 0) rep(NA_real_, nrow(others)) else
        safe_ratio(others[[what]], rep(ref[[what]][1], nrow(others)))
    }
    vs <- paste0(stem, camel_letters(others$mode), "Vs",
      camel_letters(top$reference[1]))
    out[[length(out) + 1]] <- bind_rows(
      numbers_row(paste0(stem, "Harts"), number_count(max(one$cpus))),
      numbers_row(paste0(stem, "Reps"), number_count(min(top$reps))),
      numbers_row(paste0(stem, camel_letters(top$mode), "ContPerFault"),
        number_per_fault(top$cont)),
      numbers_row(paste0(stem, camel_letters(top$mode), "SpinPerFault"),
        number_per_fault(top$spin)),
      numbers_row(paste0(vs, "Cont"), number_signif(ratio("cont"))),
      numbers_row(paste0(vs, "Spin"), number_signif(ratio("spin")))
    )
  }
  bind_rows(out)
}

# Lock contention with the harts at once ---------------------------------
#
# Under -icount the harts take turns in one host thread, and a lock is
# found taken only when its holder's turn ended inside the critical
# section. experiments/wallclock --locks --csv F boots without -icount
# (one host thread per hart) and writes one row per boot: workload,
# option, mode, rep, harts, host_cores, and the contended acquisitions,
# COW faults and spins of the classes the option is about
# (experiments/README.md, "Wall clock"). Host-dependent: with fewer host
# cores than harts a lock holder may be descheduled by the host.

wallclock_columns <- c("workload", "option", "mode", "rep", "harts",
  "host_cores", "contended", "cow_faults", "spins")
wallclock_counts <- c("rep", "harts", "host_cores", "contended",
  "cow_faults", "spins")

# Read and check the wallclock CSV at path: a tibble of its rows (counts
# as numbers), or an error naming the file, line, column and value of
# the first problem: a missing column, an empty or non-name workload,
# option or mode, a count that is not digits only, no COW fault, a
# repeated (workload, option, mode, rep), or harts and host_cores that
# differ within one option (its numbers would mix two set-ups). Columns
# beyond these (a fixture's "fixture") are ignored.
read_wallclock_locks <- function(path) {
  check_shape(path)
  raw <- readr::read_csv(path,
    col_types = readr::cols(.default = readr::col_character()),
    na = character(0), trim_ws = TRUE, progress = FALSE)
  missing <- setdiff(wallclock_columns, names(raw))
  if (length(missing) > 0) {
    refuse(paste0(path, " lacks column(s) ", paste(missing, collapse = ", "),
      " (experiments/wallclock --locks --csv writes ",
      paste(wallclock_columns, collapse = ","), ")"))
  }
  if (nrow(raw) == 0) {
    refuse(paste0(path, " has a header only"))
  }
  problems <- character(0)
  for (column in wallclock_columns) {
    why <- if (column %in% wallclock_counts) {
      count_problems(raw[[column]], TRUE)
    } else {
      name_problems(raw[[column]], TRUE)
    }
    bad <- which(why != "")
    problems <- c(problems, paste0(path, " line ", bad + 1, ", column ",
      column, ": '", raw[[column]][bad], "' ", why[bad], recycle0 = TRUE))
  }
  if (length(problems) > 0) {
    refuse(problems)
  }
  rows <- dplyr::mutate(raw[, wallclock_columns],
    dplyr::across(dplyr::all_of(wallclock_counts), as.numeric))
  faultless <- which(rows$cow_faults == 0)
  if (length(faultless) > 0) {
    refuse(paste0(path, " line ", faultless + 1, ": cow_faults is 0 ",
      "(nothing to count the contention per)"))
  }
  key <- paste(rows$workload, rows$option, rows$mode, rows$rep)
  twice <- which(duplicated(key))
  if (length(twice) > 0) {
    refuse(paste0(path, " line ", twice + 1, " repeats line ",
      match(key[twice], key) + 1, " (same workload, option, mode and rep)"))
  }
  for (one in split(rows, rows$option)) {
    if (n_distinct(one$harts) > 1 || n_distinct(one$host_cores) > 1) {
      refuse(paste0(path, ": option ", one$option[1], " was run with ",
        paste(sort(unique(one$harts)), collapse = " and "), " harts on ",
        paste(sort(unique(one$host_cores)), collapse = " and "),
        " host cores; its numbers need one set-up"))
    }
  }
  rows
}

# A small ratio per fault with two significant digits, in plain decimals
# ("0.11", "0.024", "0.00049", "0").
number_per_fault <- function(x) {
  text <- vapply(x, function(one) {
    if (is.na(one)) return(na_text)
    format(signif(one, 2), scientific = FALSE, drop0trailing = TRUE,
      trim = TRUE)
  }, character(1), USE.NAMES = FALSE)
  with_na(text, x)
}

# The reference mode of an option: its boot default (kernel/options.c,
# boot), else the first mode of the option's rows.
wallclock_reference <- function(option, modes, boot = NULL) {
  default <- if (is.null(boot)) character(0) else
    boot$default[boot$owner == "" & boot$key == option]
  if (length(default) > 0 && default[1] %in% modes) default[1] else modes[1]
}

# The numbers of the wallclock CSV (path; NULL or "" = none asked for).
# Per option: LockWall<Option>{Harts,HostCores,Reps} (Reps: the fewest
# boots of a mode); per option and mode, over its boots, the median
# contended acquisitions per COW fault (LockWall<Option><Mode>ContPerFault),
# its smallest and largest (...Min, ...Max), the median and largest spins
# per COW fault (...SpinPerFault, ...SpinPerFaultMax); per mode but the reference, its median against
# the reference's (LockWall<Option><Mode>Vs<Ref>Cont). A path that does
# not exist gives no numbers and a message: a paper that uses them then
# stops make figures (check_paper_numbers()), or reads n/a with PARTIAL.
wallclock_numbers <- function(path, boot = NULL) {
  none <- tibble(name = character(0), value = character(0))
  if (is.null(path) || identical(path, "")) {
    return(none)
  }
  if (!file.exists(path)) {
    message("numbers: no ", path, " (experiments/wallclock --locks --csv ",
      "writes it): no LockWall... numbers")
    return(none)
  }
  rows <- read_wallclock_locks(path) %>%
    mutate(cont = contended / cow_faults, spin = spins / cow_faults)
  out <- list()
  for (one in split(rows, rows$option)) {
    option <- one$option[1]
    stem <- paste0("LockWall", camel_letters(option))
    modes <- unique(one$mode)
    per_mode <- one %>%
      group_by(mode) %>%
      summarise(reps = n(), median = safe_median(cont), low = safe_min(cont),
        high = safe_max(cont), spin_high = safe_max(spin),
        spin = safe_median(spin), .groups = "drop") %>%
      mutate(mode = factor(mode, levels = modes)) %>%
      arrange(mode) %>%
      mutate(mode = as.character(mode))
    ref <- wallclock_reference(option, modes, boot)
    others <- per_mode[per_mode$mode != ref, ]
    ref_median <- per_mode$median[per_mode$mode == ref]
    mode_stem <- paste0(stem, camel_letters(per_mode$mode))
    out[[length(out) + 1]] <- bind_rows(
      numbers_row(paste0(stem, "Harts"), number_count(one$harts[1])),
      numbers_row(paste0(stem, "HostCores"), number_count(one$host_cores[1])),
      numbers_row(paste0(stem, "Reps"), number_count(min(per_mode$reps))),
      numbers_row(paste0(mode_stem, "ContPerFault"),
        number_per_fault(per_mode$median)),
      numbers_row(paste0(mode_stem, "ContPerFaultMin"),
        number_per_fault(per_mode$low)),
      numbers_row(paste0(mode_stem, "ContPerFaultMax"),
        number_per_fault(per_mode$high)),
      numbers_row(paste0(mode_stem, "SpinPerFault"),
        number_per_fault(per_mode$spin)),
      numbers_row(paste0(mode_stem, "SpinPerFaultMax"),
        number_per_fault(per_mode$spin_high)),
      numbers_row(paste0(stem, camel_letters(others$mode), "Vs",
        camel_letters(ref), "Cont"),
        number_signif(safe_ratio(others$median,
          rep(ref_median, nrow(others)))))
    )
  }
  bind_rows(out)
}
