# Load the analysis scripts and point at the fixtures. testthat runs this
# file before the tests, with the working directory at tests/testthat.

analysis_root <- normalizePath(file.path("..", ".."))
source(file.path(analysis_root, "figures.R"), local = globalenv())
load_analysis(analysis_root)
# The PNGs are only checked to exist: draw them coarse (common.R).
options(analysis.png_dpi = 40)

fixture <- function(name) {
  file.path(analysis_root, "tests", "fixtures", name)
}

# The five policies of the registry when these tests were written; the
# tests pass them explicitly, so that a policy added to the registry does
# not change what the fixtures must hold.
five_policies <- c("copy", "cow", "hot", "faultaround", "adaptive")

# The parameters the realistic fixture's workloads declare (their USAGE
# lines; mtcow's threads and layout, pforkserver's servers): with them,
# streams k=4 and k=8 are two configurations.
realistic_parameters <- c("pages", "frac", "children", "iters", "seed",
  "k", "back", "stride", "passes", "lo", "hi", "common", "period", "drift",
  "pfrac", "cfrac", "overlap", "threads", "layout", "servers")

# The boot parameters the sources would declare (repo.R's
# read_parameters()): adaptive's, with their defaults, and the
# mechanism's options.
realistic_boot <- tibble::tribble(
  ~owner, ~key, ~default,
  "adaptive", "adaptive_trapcost", "17",
  "adaptive", "adaptive_window", "16",
  "adaptive", "adaptive_decay", "8",
  "faultaround", "window", "16",
  "", "ptshare", "0",
  "", "ptlock", "mm",
  "", "kalloc", "global",
  "", "heapoff", "0"
)

# What the repository would say: the policy order, the workloads'
# parameters, the boot parameters, the paper's number macros and the
# lock contention measured with the harts at once (a synthetic one).
context_of <- function(policies = five_policies,
                       parameters = realistic_parameters,
                       paper_macros = NULL, boot = realistic_boot,
                       wallclock = fixture("wallclock_locks.csv")) {
  list(policies = policies, parameters = parameters,
    paper_macros = paper_macros, registry = "policies/registry.c",
    boot = boot, wallclock = wallclock)
}

paper_path <- function() {
  file.path(analysis_root, "..", "paper", "paper.tex")
}

# A results CSV in a temp file, from a data frame of character columns.
# Written by one thread: vroom's threaded writer calls R from its worker
# threads, and a CI run hung there for 20 minutes (gdb: Rf_cons under
# vroom_write_out's std::async).
write_temp_csv <- function(data) {
  path <- tempfile(fileext = ".csv")
  readr::write_csv(data, path, na = "", num_threads = 1)
  path
}

read_raw_fixture <- function(name) {
  readr::read_csv(
    fixture(name),
    col_types = readr::cols(.default = readr::col_character()),
    progress = FALSE
  )
}

# Read raw (a data frame) written as a CSV, with the five policies.
read_raw <- function(raw, policies = five_policies,
                     parameters = realistic_parameters) {
  suppressMessages(read_results(write_temp_csv(raw), policies, parameters))
}

# The tiny fixture (hand-written, the first CSVs' columns only).
read_tiny <- function(policies = five_policies) {
  suppressMessages(read_results(fixture("tiny.csv"), policies))
}

# The realistic fixture as read_results() reads it for make figures
# (read once: reading and checking it is slow).
read_realistic <- function(policies = five_policies) {
  key <- paste0("realistic:", paste(policies, collapse = ","))
  if (is.null(drawn[[key]])) {
    drawn[[key]] <- suppressMessages(read_results(fixture("realistic.csv"),
      policies, realistic_parameters))
  }
  drawn[[key]]
}

# The figures, tables and numbers of a fixture, drawn once per test run
# (drawing is the slow part): the realistic fixture in full, as make
# figures would with the repository's paper, and the tiny one in part.
drawn <- new.env()
drawn_dir <- function(name) {
  if (is.null(drawn[[name]])) {
    dir <- tempfile()
    if (name == "realistic.csv") {
      context <- context_of(paper_macros = read_paper_macros(paper_path()))
      suppressMessages(draw_everything(fixture(name), dir, context))
    } else {
      suppressMessages(draw_everything(fixture(name), dir, context_of(),
        partial = TRUE))
    }
    drawn[[name]] <- dir
  }
  drawn[[name]]
}

# The plot of one figure of results (built, as ggplot would draw it).
figure_plot <- function(name, results, partial = TRUE) {
  suppressMessages(build_figure(name, analysis_data(results, context_of()),
    "test", partial = partial)$plot)
}

# ggplot_build() and ggplotGrob() draw on the current device: a null one,
# so that the tests leave no Rplots.pdf behind.
grDevices::pdf(NULL)
