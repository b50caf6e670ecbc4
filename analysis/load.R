# Read the results CSV, check its columns and tidy it: typed columns,
# policies and workloads as ordered factors, the derived counters (pages
# copied, useful copies), the scope of each row and a label per
# configuration ("case").

provenance_columns <- c("commit", "qemu", "cpus", "mem", "date")

config_columns <- c("workload", "policy", "rep", "pages")

# Workload parameters: the columns may be absent and the values empty.
parameter_columns <- c("frac", "children", "iters", "seed", "child", "op")

counter_columns <- c(
  "faults", "cow_faults", "reuses", "copies_fork", "copies_fault",
  "copies_around", "wasted", "shared", "fork_instr", "fault_instr", "instr"
)

required_columns <- c(provenance_columns, config_columns, counter_columns)

numeric_columns <- c(
  "cpus", "rep", "pages", "frac", "children", "iters", "seed", "child",
  counter_columns
)

# Parameters that tell two configurations of one workload apart (cpus too,
# so that runs on different machine sizes are never pooled).
case_parameters <- c("cpus", "pages", "frac", "children", "iters", "seed")

read_results <- function(path) {
  if (!file.exists(path)) {
    stop(
      "results CSV not found: ", path, "; run `make experiments` to ",
      "produce it, or pass DATA=path/to/results.csv",
      call. = FALSE
    )
  }
  raw <- withCallingHandlers(
    readr::read_csv(
      path,
      col_types = readr::cols(.default = readr::col_character()),
      na = c("", "NA"),
      trim_ws = TRUE,
      progress = FALSE
    ),
    warning = function(w) {
      stop("malformed results CSV ", path, ": ", conditionMessage(w),
        call. = FALSE
      )
    }
  )
  check_columns(raw, path)
  tidy_results(raw)
}

check_columns <- function(raw, path = "results CSV") {
  missing <- setdiff(required_columns, names(raw))
  if (length(missing) > 0) {
    stop(
      path, " lacks required column(s): ", paste(missing, collapse = ", "),
      " (the schema is in analysis/README.md)",
      call. = FALSE
    )
  }
  if (nrow(raw) == 0) {
    stop(path, " has no rows", call. = FALSE)
  }
  invisible(raw)
}

# Convert one character column to numbers, naming the column and the first
# value that is not a number.
parse_numeric_column <- function(text, name) {
  value <- suppressWarnings(as.numeric(text))
  bad <- !is.na(text) & is.na(value)
  if (any(bad)) {
    stop(
      "column ", name, " has ", sum(bad), " value(s) that are not numbers, ",
      "e.g. \"", text[bad][1], "\"",
      call. = FALSE
    )
  }
  value
}

tidy_results <- function(raw) {
  for (column in setdiff(parameter_columns, names(raw))) {
    raw[[column]] <- NA_character_
  }
  for (column in numeric_columns) {
    raw[[column]] <- parse_numeric_column(raw[[column]], column)
  }
  raw <- raw %>%
    mutate(
      workload = tolower(workload),
      policy = tolower(policy),
      op = tolower(op)
    )
  check_policies(raw$policy)
  known <- intersect(workload_levels, raw$workload)
  unknown <- sort(setdiff(unique(raw$workload), workload_levels))
  raw %>%
    mutate(
      workload = factor(workload, levels = c(known, unknown)),
      policy = factor(policy, levels = policy_levels),
      copies = copies_fork + copies_fault + copies_around,
      useful = pmax(copies - wasted, 0),
      scope = case_when(
        !is.na(op) ~ "op",
        !is.na(child) ~ "child",
        TRUE ~ "run"
      )
    ) %>%
    single_hart_instr() %>%
    add_case() %>%
    mark_headline()
}

instr_columns <- c("instr", "fork_instr", "fault_instr")

# Instruction counts only compare on one hart. Under QEMU -icount with
# several harts the counter is one for the whole machine and depends on how
# the harts interleave (the same forktree run counts from 30 to 117 million
# instructions depending on what ran before it in the boot), so the
# instruction columns of rows with cpus > 1 are set to NA here, once, and
# every instruction figure and number leaves them out.
single_hart_instr <- function(results) {
  results %>%
    mutate(across(
      all_of(instr_columns),
      ~ if_else(!is.na(cpus) & cpus > 1, NA_real_, .x)
    ))
}

check_policies <- function(policy) {
  unknown <- setdiff(unique(policy), policy_levels)
  if (length(unknown) > 0) {
    stop(
      "unknown polic(ies) in results: ", paste(unknown, collapse = ", "),
      " (known: ", paste(policy_levels, collapse = ", "), ")",
      call. = FALSE
    )
  }
  invisible(policy)
}

format_parameter <- function(value) {
  vapply(value, function(one) {
    format(one, scientific = FALSE, trim = TRUE, drop0trailing = TRUE)
  }, character(1))
}

# Label each configuration: the workload name, followed by the parameters
# that vary between the configurations of that workload ("seqwrite
# frac=0.5"). A workload run in one configuration is labelled by its name.
add_case <- function(results) {
  varies <- results %>%
    group_by(workload) %>%
    summarise(
      across(all_of(case_parameters), ~ n_distinct(.x) > 1),
      .groups = "drop"
    )
  label <- as.character(results$workload)
  row_varies <- varies[match(results$workload, varies$workload), ]
  for (column in case_parameters) {
    value <- results[[column]]
    shown <- row_varies[[column]] & !is.na(value)
    unit <- if (column == "frac") "%" else ""
    label[shown] <- paste0(
      label[shown], " ", column, "=", format_parameter(value[shown]), unit
    )
  }
  order <- results %>%
    mutate(case = label) %>%
    arrange(workload, cpus, pages, frac, children, iters, seed) %>%
    pull(case) %>%
    unique()
  results %>%
    mutate(case = factor(label, levels = order))
}

# Whether each configuration matches a row of headline_configs (NA there
# matches anything); the first matching case of a workload is its headline.
# A workload with no matching case (or absent from headline_configs, but
# not forkbench) falls back to its first case, with a message.
mark_headline <- function(results) {
  cases <- results %>%
    filter(scope != "op") %>%
    distinct(workload, case, cpus, pages, frac, seed) %>%
    arrange(case)
  config <- headline_configs[match(cases$workload, headline_configs$workload), ]
  matches <- !is.na(config$workload)
  for (column in c("cpus", "pages", "frac", "seed")) {
    wanted <- config[[column]]
    matches <- matches & (is.na(wanted) | (!is.na(cases[[column]]) &
      cases[[column]] == wanted))
  }
  chosen <- cases[matches, ] %>%
    distinct(workload, .keep_all = TRUE)
  fallback <- cases %>%
    filter(!workload %in% chosen$workload) %>%
    distinct(workload, .keep_all = TRUE)
  if (nrow(fallback) > 0) {
    message(
      "headline: no headline configuration of ",
      paste(fallback$workload, collapse = ", "),
      " in the data; showing ",
      paste(fallback$case, collapse = ", ")
    )
  }
  headline <- c(as.character(chosen$case), as.character(fallback$case))
  results %>%
    mutate(headline = scope != "op" & as.character(case) %in% headline)
}

# A fixture made up for testing carries a column "fixture" (extra columns
# are allowed by the schema); everything drawn from it is marked.
is_synthetic <- function(results) {
  "fixture" %in% names(results) && any(!is.na(results$fixture))
}

# Rows of whole runs (not per-child rows of forkserver, not the per-op rows
# of forkbench).
whole_runs <- function(results) {
  results %>%
    filter(scope == "run")
}
