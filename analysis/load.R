# Read the results CSV, validate it (validate.R) and tidy it: typed
# columns, policies and workloads as ordered factors, the derived counters
# (pages copied, useful copies), the scope of each row and a label per
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

# Counters newer CSVs have and older ones lack (kernel/vmstat.h grew them
# for the cost model and the page-table sharing; instr_raw is instr with
# the interrupts' instructions, which instr leaves out). A CSV without
# them is read with these columns empty; the figures and numbers that
# need them say so (pipeline.R). Lock statistics are the columns
# lk_CLASS_acq, lk_CLASS_cont and lk_CLASS_spin (kernel/lockstat.h), in
# the rows of the workloads that report them.
optional_counter_columns <- c(
  "tables_shared", "tables_copied", "table_faults", "traps_syscall",
  "traps_fault", "traps_intr", "sfence_all", "sfence_page", "shootdowns",
  "pages_zeroed", "pages_copied", "intr_instr", "instr_raw"
)

lock_column_pattern <- "^lk_[a-z0-9_]+_(acq|cont|spin)$"

# The optional counter columns of a CSV with these column names.
optional_counters <- function(columns) {
  c(optional_counter_columns, grep(lock_column_pattern, columns,
    value = TRUE))
}

numeric_columns <- c(
  "cpus", "rep", "pages", "frac", "children", "iters", "seed", "child",
  counter_columns
)

# Parameters that tell two configurations of one workload apart (cpus and
# mem too, so that runs on different machines are never pooled), in the
# order case labels show them. Parameters of newer workloads are columns
# after the schema's (the runner writes every key a workload prints);
# read_results() adds those the workloads declare (repo.R). args, the
# boot arguments of the configuration beyond the policy ("ptshare=1",
# "adaptive_window=8"; empty in older CSVs), comes last: rows with
# arguments are variants of the configuration without (see base_rows()).
case_parameters <- c("cpus", "mem", "pages", "frac", "children", "iters",
  "seed", "args")

# Case parameters that are text, not numbers.
text_parameters <- c("mem", "args")

# The reference policy: every ratio, the oracle and fig_instr divide by it.
# The baseline: the fork speed-up numbers are its fork cost over the
# reference's. The studied policy: the one the paper proposes, compared
# with the best of the others ("the best fixed policy", bestfixed.R) and
# highlighted there.
reference_policy <- "cow"
baseline_policy <- "copy"
studied_policy <- "adaptive"

# Read, validate and tidy the results CSV at path.
# policies: the policy order (policies/registry.c); a policy of the data
#   not in it is refused. NULL: the order in which the data name them.
# parameters: the parameter keys the workloads declare; those that are
#   columns of the CSV beyond the schema's become case parameters. NULL:
#   columns beyond the schema's are ignored.
read_results <- function(path, policies = NULL, parameters = NULL) {
  if (!file.exists(path)) {
    stop(
      "results CSV not found: ", path, "; run `make experiments` to ",
      "produce it, or pass DATA=path/to/results.csv",
      call. = FALSE
    )
  }
  check_shape(path)
  raw <- readr::read_csv(
    path,
    col_types = readr::cols(.default = readr::col_character()),
    na = c("", "NA"),
    trim_ws = TRUE,
    skip_empty_rows = FALSE,
    progress = FALSE
  )
  check_columns(raw, path)
  csv_columns <- names(raw)
  optional <- optional_counters(csv_columns)
  for (column in setdiff(c(parameter_columns, "args", optional),
    names(raw))) {
    raw[[column]] <- NA_character_
  }
  extra <- setdiff(intersect(parameters, names(raw)),
    c(required_columns, parameter_columns, "args", optional))
  check_values(raw, path, policies, extra, optional)
  results <- tidy_results(raw, c(case_parameters, extra), policies,
    optional)
  attr(results, "csv_columns") <- csv_columns
  results
}

# The columns the CSV of results had (read_results() adds the optional
# ones it lacked, empty): a figure or number that needs a column the CSV
# did not have says that the CSV predates it.
csv_columns <- function(results) {
  columns <- attr(results, "csv_columns")
  if (is.null(columns)) names(results) else columns
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

# Sizes like 128M or 1G in MiB, to order configurations by memory.
mem_mib <- function(mem) {
  size <- suppressWarnings(as.numeric(sub("[MG]$", "", mem)))
  ifelse(grepl("G$", mem), size * 1024, size)
}

# Typed columns and factors, from validated character columns. args is
# "" where empty; base marks the rows without boot arguments.
tidy_results <- function(raw, parameters = case_parameters,
                         policies = NULL,
                         optional = optional_counter_columns) {
  numbers <- setdiff(c(numeric_columns, parameters, optional),
    text_parameters)
  for (column in numbers) {
    raw[[column]] <- as.numeric(raw[[column]])
  }
  if (!"args" %in% names(raw)) {
    raw$args <- NA_character_
  }
  raw$args <- dplyr::coalesce(raw$args, "")
  order <- if (is.null(policies)) unique(raw$policy) else policies
  raw %>%
    mutate(
      workload = factor(workload, levels = unique(workload)),
      policy = factor(policy, levels = order),
      copies = copies_fork + copies_fault + copies_around,
      useful = pmax(copies - wasted, 0),
      base = args == "",
      scope = case_when(
        !is.na(op) ~ "op",
        !is.na(child) ~ "child",
        TRUE ~ "run"
      )
    ) %>%
    single_hart_instr() %>%
    add_case(parameters) %>%
    mark_headline(parameters)
}

instr_columns <- c("instr", "fork_instr", "fault_instr", "intr_instr",
  "instr_raw")

# Instruction counts only compare on one hart. Under QEMU -icount with
# several harts the counter is one for the whole machine and depends on how
# the harts interleave (the same forktree run counts from 30 to 117 million
# instructions depending on what ran before it in the boot), so the
# instruction columns of rows with cpus > 1 are set to NA here, once, and
# every instruction figure and number leaves them out.
single_hart_instr <- function(results) {
  results %>%
    mutate(across(
      any_of(instr_columns),
      ~ if_else(!is.na(cpus) & cpus > 1, NA_real_, .x)
    ))
}

format_parameter <- function(value) {
  vapply(value, function(one) {
    format(one, scientific = FALSE, trim = TRUE, drop0trailing = TRUE)
  }, character(1))
}

# Label each configuration: the workload name, followed by the parameters
# that vary between the configurations of that workload ("seqwrite
# frac=50%"), and the boot arguments if there are any, in brackets
# ("seqwrite frac=50% [adaptive_window=8]"). A workload run in one
# configuration is labelled by its name. Cases are ordered by workload,
# then by their parameters. config is the label without the arguments:
# what a variant is a variant of.
add_case <- function(results, parameters = case_parameters) {
  varies <- results %>%
    group_by(workload) %>%
    summarise(
      across(all_of(parameters), ~ n_distinct(.x) > 1),
      .groups = "drop"
    )
  label <- as.character(results$workload)
  row_varies <- varies[match(results$workload, varies$workload), ]
  for (column in setdiff(parameters, "args")) {
    value <- results[[column]]
    shown <- row_varies[[column]] & !is.na(value)
    unit <- if (column == "frac") "%" else ""
    text <- if (is.numeric(value)) format_parameter(value[shown]) else
      value[shown]
    label[shown] <- paste0(label[shown], " ", column, "=", text, unit)
  }
  config <- label
  with_args <- results$args != ""
  label[with_args] <- paste0(label[with_args], " [", results$args[with_args],
    "]")
  sort_keys <- results %>%
    mutate(case = label, mem = mem_mib(mem)) %>%
    select(workload, all_of(parameters), case)
  order <- sort_keys %>%
    arrange(across(everything())) %>%
    pull(case) %>%
    unique()
  results %>%
    mutate(
      case = factor(label, levels = order),
      config = factor(config, levels = unique(config[order(match(label,
        order))]))
    )
}

# A fixture made up for testing carries a column "fixture" (extra columns
# are allowed by the schema); everything drawn from it is marked.
is_synthetic <- function(results) {
  "fixture" %in% names(results) && any(!is.na(results$fixture))
}

# Rows of whole runs (not per-child rows of forkserver, not the per-op rows
# of forkbench) without boot arguments: every figure and number but those
# about the variants (fork at scale, sensitivity, ablation, locks) is
# drawn from these.
whole_runs <- function(results) {
  results %>%
    filter(scope == "run", base)
}

# The rows of a configuration with boot arguments (variants) or without
# (base).
base_rows <- function(results) filter(results, base)
variant_rows <- function(results) filter(results, !base)
