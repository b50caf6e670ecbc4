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

# Numbers of the locking study, at the largest hart count of each study
# and setting: per mode the contended acquisitions and spins per COW
# fault, Lock<Option>[<Setting>]<Mode>{Cont,Spin}PerFault, and each mode
# against the reference mode, Lock<Option>[<Setting>]<Mode>Vs<Ref>
# {Cont,Spin}; Lock<Option>[<Setting>]Harts, the hart count.
lock_numbers <- function(d) {
  rows <- lock_rows(d$results, d$context$boot)
  if (nrow(rows) == 0) {
    return(tibble(name = character(0), value = character(0)))
  }
  out <- list()
  for (one in split(rows, list(rows$option, rows$setting), drop = TRUE)) {
    top <- filter(one, cpus == max(cpus))
    several <- n_distinct(rows$setting[rows$option == one$option[1]]) > 1
    stem <- paste0("Lock", camel_letters(one$option[1]),
      if (several) camel_letters(one$setting[1]) else "")
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
      numbers_row(paste0(stem, camel_letters(top$mode), "ContPerFault"),
        number_decimal(top$cont, 2)),
      numbers_row(paste0(stem, camel_letters(top$mode), "SpinPerFault"),
        number_decimal(top$spin, 1)),
      numbers_row(paste0(vs, "Cont"), number_signif(ratio("cont"))),
      numbers_row(paste0(vs, "Spin"), number_signif(ratio("spin")))
    )
  }
  bind_rows(out)
}
