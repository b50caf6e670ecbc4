# Validation of the results CSV, before anything is drawn: its shape (every
# line complete), its values (what the batch runner can write), and its
# completeness (what the figures and numbers need). Every check stops with
# one line naming the file, the line, the column and the value, or the
# configuration that is missing; the rules are listed in README.md.

# 2^63 - 1, the largest counter the kernel's 64-bit counters can hold (a
# counter that went below zero reads as 2^64 - k, beyond it).
counter_max <- "9223372036854775807"

# Stop with one line: the first problem, how many more there are, and
# what to do (hint).
refuse <- function(problems, hint = NULL) {
  more <- length(problems) - 1
  stop(
    problems[1],
    if (more > 0) paste0(" (and ", more, " more)"),
    if (!is.null(hint)) paste0("; ", hint),
    call. = FALSE
  )
}

# The shape of the file, from its raw text: it ends with a newline (the
# runner always writes one, so a missing one means the file was cut off),
# and every line has as many fields as the header.
check_shape <- function(path) {
  size <- file.size(path)
  if (is.na(size) || size == 0) {
    stop(path, " is empty", call. = FALSE)
  }
  con <- file(path, "rb")
  on.exit(close(con))
  seek(con, size - 1)
  if (!identical(readBin(con, "raw", 1), charToRaw("\n"))) {
    stop(
      path, " does not end with a newline: its last line is cut off ",
      "(a truncated file?)",
      call. = FALSE
    )
  }
  fields <- utils::count.fields(path,
    sep = ",", quote = "\"", comment.char = "", blank.lines.skip = FALSE
  )
  fields[is.na(fields)] <- 0
  bad <- which(fields != fields[1])
  if (length(bad) > 0) {
    refuse(paste0(
      path, " line ", bad, ": ", fields[bad], " fields where the header has ",
      fields[1], " (a truncated or malformed line)"
    ))
  }
  invisible(path)
}

# Digits only, and at most 2^63 - 1.
is_count <- function(text) {
  digits <- grepl("^[0-9]+$", text)
  bare <- sub("^0+(?=[0-9])", "", text, perl = TRUE)
  digits & (nchar(bare) < nchar(counter_max) |
    (nchar(bare) == nchar(counter_max) & bare <= counter_max))
}

# Why each value of a count column is refused ("" = accepted). Empty
# values are refused when the column is required.
count_problems <- function(text, required) {
  empty <- is.na(text) | text == ""
  digits <- grepl("^[0-9]+$", text)
  dplyr::case_when(
    empty & required ~ "is empty; it must be a non-negative integer",
    empty ~ "",
    !digits ~ "is not a non-negative integer (digits only)",
    !is_count(text) ~ "is beyond 2^63 - 1 (a counter that went below zero?)",
    TRUE ~ ""
  )
}

# Why each value of a name column (workload, policy, op) is refused.
name_problems <- function(text, required) {
  empty <- is.na(text) | text == ""
  dplyr::case_when(
    empty & required ~ "is empty",
    empty ~ "",
    !grepl("^[a-z0-9_]+$", text) ~ "is not a name (a-z, 0-9, _)",
    TRUE ~ ""
  )
}

# Why each value of the args column (the boot arguments beyond the
# policy) is refused: it must be empty or words key=value, one space
# apart, as the runner writes them.
args_problems <- function(text) {
  word <- "[A-Za-z_][A-Za-z0-9_]*=[^ ]+"
  ok <- is.na(text) | text == "" |
    grepl(paste0("^", word, "( ", word, ")*$"), text)
  ifelse(ok, "", "is not boot arguments (key=value, one space apart)")
}

# Every cell problem of the raw table (all columns character): a tibble
# line, column, value, why, in file order. optional: the counters that
# may be empty (optional_counters()).
value_problems <- function(raw, policies, parameters,
                           optional = character(0)) {
  counted <- setdiff(c(numeric_columns, parameters, optional), "frac")
  required <- c("cpus", "rep", "pages", counter_columns)
  checks <- list()
  for (column in intersect(c(counted, "frac"), names(raw))) {
    checks[[column]] <- count_problems(raw[[column]], column %in% required)
  }
  if ("args" %in% names(raw)) {
    checks$args <- args_problems(raw$args)
  }
  for (column in c("workload", "policy", "op")) {
    checks[[column]] <- name_problems(raw[[column]], column != "op")
  }
  for (column in c("commit", "qemu", "date", "mem")) {
    checks[[column]] <- ifelse(is.na(raw[[column]]), "is empty", "")
  }
  checks$date[checks$date == "" &
    !grepl("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", raw$date)] <- "is not a date"
  checks$mem[checks$mem == "" & !grepl("^[0-9]+[MG]$", raw$mem)] <-
    "is not a memory size (like 128M)"
  number <- function(column) suppressWarnings(as.numeric(raw[[column]]))
  checks$cpus[checks$cpus == "" & number("cpus") < 1] <- "is not at least 1"
  checks$frac[checks$frac == "" & !is.na(number("frac")) &
    number("frac") > 100] <- "is above 100 (a percentage)"
  checks$child[checks$child == "" & !is.na(number("child")) &
    !is.na(number("children")) & number("child") >= number("children")] <-
    "is not below children"
  if (!is.null(policies)) {
    checks$policy[checks$policy == "" & !raw$policy %in% policies] <- paste0(
      "is not in policies/registry.c (", paste(policies, collapse = ", "), ")"
    )
  }
  checks <- c(checks, counter_relation_problems(raw, checks))
  problems <- lapply(names(checks), function(key) {
    bad <- which(checks[[key]] != "")
    name <- sub("#.*", "", key)
    tibble::tibble(
      line = bad + 1, column = rep(name, length(bad)),
      value = dplyr::coalesce(raw[[name]][bad], ""), why = checks[[key]][bad]
    )
  })
  dplyr::arrange(dplyr::bind_rows(problems), line)
}

# Relations between counters that hold by their definitions: reuses and
# copies_fault are both kinds of COW fault, and a wasted page was copied
# early (at fork or around a fault). The last holds for whole runs only:
# not per op (forkbench counts the child of a cowfault op only, whose
# pages its parent copied), nor per child or iteration (a copy made in
# one's window may settle, unused, in a later one's: bothwrite). Checked
# where both counters
# are valid; keyed "column#n" so that they add to a column's own checks.
counter_relation_problems <- function(raw, checks) {
  valid <- function(column) checks[[column]] == ""
  value <- function(column) suppressWarnings(as.numeric(raw[[column]]))
  over <- function(part, whole, why, rows = TRUE) {
    ok <- valid(part) & Reduce(`&`, lapply(whole, valid)) & rows
    total <- Reduce(`+`, lapply(whole, value))
    ifelse(ok & value(part) > total, why, "")
  }
  list(
    "reuses#1" = over("reuses", "cow_faults", "is more than cow_faults"),
    "copies_fault#1" = over("copies_fault", "cow_faults",
      "is more than cow_faults"),
    "wasted#1" = over("wasted", c("copies_fork", "copies_around"),
      "is more than copies_fork + copies_around",
      rows = (is.na(raw$op) | raw$op == "") &
        (is.na(raw$child) | raw$child == "")
    )
  )
}

# Stop on the first problem of the values, naming file, line, column and
# value.
check_values <- function(raw, path, policies, parameters,
                         optional = character(0)) {
  problems <- value_problems(raw, policies, parameters, optional)
  if (nrow(problems) > 0) {
    refuse(paste0(
      path, " line ", problems$line, ": ", problems$column, " \"",
      problems$value, "\" ", problems$why
    ))
  }
  check_duplicates(raw, path, parameters)
}

# Two rows of the same repetition of the same configuration (a CSV merged
# twice?) would count twice in every median. Rows that differ only in
# columns the analysis does not know as parameters are named so: their
# workload should declare them in its USAGE line (repo.R).
check_duplicates <- function(raw, path, parameters) {
  key <- intersect(
    c("workload", "policy", "rep", case_parameters, parameters, "child",
      "op"),
    names(raw)
  )
  twice <- which(duplicated(raw[key]))
  if (length(twice) == 0) {
    return(invisible(raw))
  }
  i <- twice[1]
  same <- Reduce(`&`, lapply(key, function(k) {
    raw[[k]] %in% raw[[k]][i] & is.na(raw[[k]]) == is.na(raw[[k]][i])
  }))
  first <- which(same)[1]
  others <- setdiff(names(raw), c(key, required_columns, parameter_columns,
    optional_counters(names(raw))))
  differ <- others[!mapply(identical, raw[i, others], raw[first, others])]
  refuse(c(
    paste0(
      path, " line ", i + 1, " repeats line ", first + 1,
      " (same workload, policy, configuration and rep",
      if (length(differ) > 0) paste0(
        "; they differ only in ", paste(differ, collapse = ", "),
        ", which no workload declares as a parameter"
      ), ")"
    ),
    rep("", length(twice) - 1)
  ))
}

# Completeness -----------------------------------------------------------

# What the figures and numbers need of the data, as one line per thing
# missing (character(0) if nothing is):
# - the reference policy (cow), which every ratio divides by;
# - every policy of the registry (each must be in every figure);
# - every policy in every whole-run configuration (fig_instr, fig_copies'
#   oracle and the numbers compare each configuration with cow; the
#   figures over all workloads show each headline configuration for every
#   policy; tab_summary shows them all);
# - per-child rows for every child under every policy (fig_learning);
# - per-op rows for every op and heap size under every policy
#   (fig_forkcost).
# "Every policy" is every policy of the data for rows without boot
# arguments of a workload that compares the policies (workload_table's
# compare); for rows with boot arguments (a variant: ptshare=1,
# adaptive_window=8), and for a study of the mechanism (mtcow), it is
# every policy that ran the workload with these arguments: a variant or
# a study may be run under some policies only, but then in all its
# configurations.
completeness_problems <- function(results, registry = NULL) {
  policies <- levels(results$policy)
  present <- policies[policies %in% results$policy]
  problems <- character(0)
  if (!reference_policy %in% present) {
    problems <- c(problems, paste0(
      "no rows of policy ", reference_policy, ", which every comparison ",
      "divides by"
    ))
  }
  absent <- setdiff(registry, present)
  if (length(absent) > 0) {
    problems <- c(problems, paste0(
      "policies/registry.c lists ", paste(absent, collapse = ", "),
      " but the data have no rows of ", if (length(absent) > 1) "them" else
        "it", " (run make experiments)"
    ))
  }
  studies <- workload_table$workload[!workload_table$compare]
  missing_policies <- function(rows, what) {
    rows <- rows %>%
      mutate(
        policy = as.character(policy),
        group = paste(args, workload, sep = "\r"),
        everyone = base & !as.character(workload) %in% studies
      )
    have <- dplyr::distinct(rows, unit, policy)
    groups <- dplyr::distinct(rows, group, everyone)
    expected <- dplyr::bind_rows(
      tidyr::expand_grid(
        group = groups$group[groups$everyone], policy = present
      ),
      dplyr::distinct(rows[!rows$everyone, ], group, policy)
    )
    grid <- dplyr::distinct(rows, group, unit) %>%
      dplyr::inner_join(expected, by = "group") %>%
      dplyr::select(unit, policy)
    dplyr::anti_join(grid, have, by = c("unit", "policy")) %>%
      dplyr::mutate(unit = factor(unit, levels = unique(rows$unit))) %>%
      dplyr::group_by(unit) %>%
      dplyr::summarise(
        text = paste0(what, " '", unit[1], "' has no rows of ",
          paste(policy, collapse = ", ")),
        .groups = "drop"
      ) %>%
      dplyr::pull(text)
  }
  runs <- results %>%
    filter(scope == "run") %>%
    mutate(unit = as.character(case))
  children <- results %>%
    filter(scope == "child") %>%
    mutate(unit = paste0(case, " child=", child))
  ops <- results %>%
    filter(scope == "op") %>%
    mutate(unit = paste0(workload, " op=", op, " pages=", pages,
      ifelse(args == "", "", paste0(" [", args, "]"))))
  c(
    problems,
    missing_policies(runs, "configuration"),
    missing_policies(children, "per-child row"),
    missing_policies(ops, "per-op row")
  )
}

# Stop on the first thing missing; with partial = TRUE only say it.
check_complete <- function(results, path, registry = NULL, partial = FALSE) {
  problems <- completeness_problems(results, registry)
  if (length(problems) == 0) {
    return(invisible(results))
  }
  if (partial) {
    message("incomplete data (PARTIAL): ", problems[1],
      if (length(problems) > 1) {
        paste0(" (and ", length(problems) - 1, " more)")
      }
    )
    return(invisible(results))
  }
  refuse(
    paste0("incomplete data in ", path, ": ", problems),
    hint = "make figures PARTIAL=1 draws what there is"
  )
}
