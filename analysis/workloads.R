# What the analysis knows about each workload: its headline configuration
# and its roles in the figures and numbers. Which workloads there are, and
# in which order they are shown, comes from the data (the order of the
# matrix); a workload missing from this table is still drawn in every
# figure over all workloads, with its first configuration as headline and
# no role, and read_results() says so.
#
# headline: the one configuration the figures over all workloads
# (fig_faults, fig_copies, fig_seed) and the learning numbers show, as
# "key=value ..." over the case parameters (load.R); a key not given
# matches any value, but cpus is 1 unless given. The choices, from
# experiments/matrix/full:
# - readtest, writetest, forkexec: the larger heap (8192 pages, 32 MiB),
#   where the cost of sharing against copying shows most;
# - seqwrite, randwrite, snapshot: 10% of the heap written, the middle of
#   their sweeps (fig_sweep shows every fraction of the sweep workloads);
# - forkserver: a hot set of 10% at scattered addresses (seed 1), which
#   only history can predict (a contiguous one also suits fault-around);
# - forktree: one hart, the only setting whose instruction counts compare;
# - shell: a launcher with a heap of 4096 pages, so fork has pages to share.
#
# - the patterns adaptive was not built for (backwrite, streams, stride,
#   clusters, walk): their defaults, or the middle of their sweep;
# - forkrand, forkdrift: a tenth of the heap per child, no common set, a
#   drift of half the hot set every five children;
# - bothwrite: a tenth written by each side, disjoint, contiguous;
# - mtcow, pforkserver: their one-hart configuration.
#
# seed: one of the seed prototype's three experiments (fig_seed, tab_seed,
# the Seed... numbers). sweep: run at several write fractions, drawn in
# fig_sweep and quoted in the Sweep... numbers. one_fork: forks once, from
# a parent with no write history, so the learning policies have nothing to
# learn from (the InstrOverhead... numbers). learning: a fork server whose
# per-child rows fig_learning and the Learning... numbers show. compare:
# a comparison of the policies, which every policy of the registry must
# run in every configuration (validate.R); FALSE for a study of the
# mechanism (threads' page-table locks, the allocator under parallel
# forks), which needs only the policies that ran it.
workload_table <- tibble::tribble(
  ~workload, ~headline, ~seed, ~sweep, ~one_fork, ~learning, ~compare,
  "readtest", "pages=8192", TRUE, FALSE, TRUE, FALSE, TRUE,
  "writetest", "pages=8192", TRUE, FALSE, TRUE, FALSE, TRUE,
  "lazyfork", "", TRUE, FALSE, FALSE, FALSE, TRUE,
  "forkexec", "pages=8192", FALSE, FALSE, FALSE, FALSE, TRUE,
  "seqwrite", "frac=10", FALSE, TRUE, TRUE, FALSE, TRUE,
  "randwrite", "frac=10", FALSE, TRUE, TRUE, FALSE, TRUE,
  "forkserver", "frac=10 seed=1", FALSE, FALSE, FALSE, TRUE, TRUE,
  "snapshot", "frac=10", FALSE, FALSE, TRUE, FALSE, TRUE,
  "forktree", "cpus=1", FALSE, FALSE, FALSE, FALSE, TRUE,
  "shell", "pages=4096", FALSE, FALSE, FALSE, FALSE, TRUE,
  "backwrite", "frac=10", FALSE, FALSE, TRUE, FALSE, TRUE,
  "streams", "k=8 frac=50 back=0 seed=0", FALSE, FALSE, TRUE, FALSE, TRUE,
  "stride", "stride=16 passes=1", FALSE, FALSE, TRUE, FALSE, TRUE,
  "clusters", "frac=25 lo=4 hi=16 seed=1", FALSE, FALSE, TRUE, FALSE, TRUE,
  "walk", "frac=25 step=3 seed=1", FALSE, FALSE, TRUE, FALSE, TRUE,
  "forkrand", "frac=10 common=0", FALSE, FALSE, FALSE, FALSE, TRUE,
  "forkdrift", "period=5 drift=50 seed=1", FALSE, FALSE, FALSE, FALSE,
  TRUE,
  "bothwrite", "pfrac=10 cfrac=10 overlap=0 seed=0", FALSE, FALSE, FALSE,
  FALSE, TRUE,
  "mtcow", "", FALSE, FALSE, FALSE, FALSE, FALSE,
  "pforkserver", "", FALSE, FALSE, FALSE, FALSE, FALSE
)

# The workloads of the table with a role ("seed", "sweep", "one_fork",
# "learning", "compare").
workloads_with <- function(role) {
  workload_table$workload[workload_table[[role]]]
}

# The rows of the write-fraction sweeps: the sweep workloads in their
# plain shape, the fraction alone varying. A scan with holes (seqwrite's
# skip=) or a phase change after the writes (randwrite's then=) is a
# configuration of its own, not a point of the sweep (its frac=100 row
# would make the sweep's frac=100 point twice).
# Told apart by the case label, which shows the parameters a row sets
# (summarised statistics keep no column for these two).
sweep_rows <- function(stats) {
  plain <- !grepl("(^| )(skip|then)=", as.character(stats$case))
  stats[plain & stats$workload %in% workloads_with("sweep"), ]
}

# "frac=10 seed=1" -> c(frac = "10", seed = "1"); cpus is "1" unless given.
parse_headline <- function(text) {
  pairs <- strsplit(trimws(text), "[[:space:]]+")[[1]]
  pairs <- pairs[nzchar(pairs)]
  spec <- c(cpus = "1")
  for (pair in pairs) {
    parts <- strsplit(pair, "=", fixed = TRUE)[[1]]
    spec[[parts[1]]] <- parts[2]
  }
  spec
}

# Whether each case (a tibble with one column per case parameter) matches
# a headline spec: every key of the spec equals the case's value.
matches_headline <- function(cases, spec) {
  ok <- rep(TRUE, nrow(cases))
  for (key in names(spec)) {
    if (!key %in% names(cases)) {
      return(rep(FALSE, nrow(cases)))
    }
    value <- cases[[key]]
    shown <- if (is.numeric(value)) format_parameter(value) else value
    ok <- ok & !is.na(value) & shown == spec[[key]]
  }
  ok
}

# The row (in cases, the cases of one workload) of the workload's headline
# configuration; NA if none matches or the workload is not in the table.
headline_row <- function(cases) {
  row <- match(as.character(cases$workload[1]), workload_table$workload)
  if (is.na(row)) {
    return(NA_integer_)
  }
  spec <- parse_headline(workload_table$headline[row])
  which(matches_headline(cases, spec))[1]
}

# Mark the headline case of each workload (column headline): the first
# case without boot arguments that matches the workload's row of
# workload_table. A workload with
# no match, or not in the table, falls back on its first case; one message
# names those workloads and the cases shown. Per-op rows (forkbench) have
# no headline.
mark_headline <- function(results, parameters) {
  cases <- results %>%
    filter(scope != "op", base) %>%
    distinct(workload, case, across(all_of(parameters))) %>%
    arrange(case)
  chosen <- character(0)
  fallback <- character(0)
  for (one in split(cases, droplevels(cases$workload))) {
    row <- headline_row(one)
    name <- as.character(one$workload[1])
    if (is.na(row)) {
      row <- 1
      why <- if (name %in% workload_table$workload) {
        " has no headline configuration in the data"
      } else {
        " is not in workload_table (analysis/workloads.R)"
      }
      fallback <- c(fallback, paste0(
        name, why, ", showing '", one$case[1], "'"
      ))
    }
    chosen <- c(chosen, as.character(one$case[row]))
  }
  if (length(fallback) > 0) {
    message("headline: ", paste(fallback, collapse = "; "))
  }
  results %>%
    mutate(headline = scope != "op" & base &
      as.character(case) %in% chosen)
}
