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

numeric_columns <- c(
  "cpus", "rep", "pages", "frac", "children", "iters", "seed", "child",
  counter_columns
)

# Parameters that tell two configurations of one workload apart (cpus and
# mem too, so that runs on different machines are never pooled), in the
# order case labels show them. Parameters of newer workloads are columns
# after the schema's (the runner writes every key a workload prints);
# read_results() adds those the workloads declare (repo.R).
case_parameters <- c("cpus", "mem", "pages", "frac", "children", "iters",
  "seed")

# The reference policy: every ratio, the oracle and fig_instr divide by it.
# The baseline: the fork speed-up numbers are its fork cost over the
# reference's.
reference_policy <- "cow"
baseline_policy <- "copy"

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
  for (column in setdiff(parameter_columns, names(raw))) {
    raw[[column]] <- NA_character_
  }
  extra <- setdiff(intersect(parameters, names(raw)),
    c(required_columns, parameter_columns))
  check_values(raw, path, policies, extra)
  tidy_results(raw, c(case_parameters, extra), policies)
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

# Typed columns and factors, from validated character columns.
tidy_results <- function(raw, parameters = case_parameters,
                         policies = NULL) {
  numbers <- setdiff(c(numeric_columns, parameters), "mem")
  for (column in numbers) {
    raw[[column]] <- as.numeric(raw[[column]])
  }
  order <- if (is.null(policies)) unique(raw$policy) else policies
  raw %>%
    mutate(
      workload = factor(workload, levels = unique(workload)),
      policy = factor(policy, levels = order),
      copies = copies_fork + copies_fault + copies_around,
      useful = pmax(copies - wasted, 0),
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

format_parameter <- function(value) {
  vapply(value, function(one) {
    format(one, scientific = FALSE, trim = TRUE, drop0trailing = TRUE)
  }, character(1))
}

# Label each configuration: the workload name, followed by the parameters
# that vary between the configurations of that workload ("seqwrite
# frac=50%"). A workload run in one configuration is labelled by its name.
# Cases are ordered by workload, then by their parameters.
add_case <- function(results, parameters = case_parameters) {
  varies <- results %>%
    group_by(workload) %>%
    summarise(
      across(all_of(parameters), ~ n_distinct(.x) > 1),
      .groups = "drop"
    )
  label <- as.character(results$workload)
  row_varies <- varies[match(results$workload, varies$workload), ]
  for (column in parameters) {
    value <- results[[column]]
    shown <- row_varies[[column]] & !is.na(value)
    unit <- if (column == "frac") "%" else ""
    text <- if (is.numeric(value)) format_parameter(value[shown]) else
      value[shown]
    label[shown] <- paste0(label[shown], " ", column, "=", text, unit)
  }
  sort_keys <- results %>%
    mutate(case = label, mem = mem_mib(mem)) %>%
    select(workload, all_of(parameters), case)
  order <- sort_keys %>%
    arrange(across(everything())) %>%
    pull(case) %>%
    unique()
  results %>%
    mutate(case = factor(label, levels = order))
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
