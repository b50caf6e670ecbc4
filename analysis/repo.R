# What the analysis reads from the repository besides the results CSV: the
# policies of policies/registry.c (their order gives their colours), the
# parameters of each workload (the USAGE line of experiments/NAME.c), the
# boot parameters of the policies and the mechanism with their defaults
# (policies/NAME.c, kernel/options.c) and the number macros
# paper/paper.tex uses. Each reader returns NULL when
# its file is absent, and the analysis then falls back on the data.

# The policies of the registry, in its order: the names of the lines
# "  POLICY(name) \" (the same lines the Makefile reads). NULL if the file
# does not exist; an error if it exists but lists none.
read_registry <- function(path) {
  if (is.null(path) || !file.exists(path)) {
    return(NULL)
  }
  lines <- readLines(path, warn = FALSE)
  pattern <- "^ *POLICY\\(([a-z0-9_]+)\\).*"
  names <- sub(pattern, "\\1", grep(pattern, lines, value = TRUE))
  if (length(names) == 0) {
    stop(path, " lists no policy (no line \"  POLICY(name) \\\")",
      call. = FALSE
    )
  }
  unique(names)
}

# The parameter keys of every workload, from the lines
#   #define USAGE "seqwrite [pages=1024] [frac=50]"
# of experiments/*.c (the batch runner reads the same lines and writes each
# key as a CSV column). NULL if the directory does not exist.
read_workload_parameters <- function(dir) {
  if (is.null(dir) || !dir.exists(dir)) {
    return(NULL)
  }
  keys <- character(0)
  for (file in list.files(dir, pattern = "\\.c$", full.names = TRUE)) {
    usage <- grep("^#define USAGE \"", readLines(file, warn = FALSE),
      value = TRUE
    )
    found <- regmatches(usage, gregexpr("\\[[a-z0-9_]+=", usage))
    keys <- c(keys, sub("^\\[(.*)=$", "\\1", unlist(found)))
  }
  unique(keys)
}

# LaTeX's own commands that begin with a capital, which a paper may use
# and numbers.tex does not define.
latex_capital_commands <- c(
  "LaTeX", "LaTeXe", "TeX", "Large", "LARGE", "Huge", "S", "P", "Roman",
  "Alph", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma",
  "Upsilon", "Phi", "Psi", "Omega", "Rightarrow", "Leftarrow",
  "Leftrightarrow", "Uparrow", "Downarrow", "Re", "Im"
)

# The macros of numbers.tex a LaTeX file uses: \Name (a capital first)
# outside comments, but neither LaTeX's own nor those the file defines
# itself. NULL if the file does not exist.
read_paper_macros <- function(path) {
  if (is.null(path) || !file.exists(path)) {
    return(NULL)
  }
  tex <- readLines(path, warn = FALSE)
  tex <- sub("(^|[^\\\\])%.*$", "\\1", tex)
  used <- unlist(regmatches(tex, gregexpr("\\\\[A-Z][A-Za-z]+", tex)))
  defined <- unlist(regmatches(tex, gregexpr(
    "\\\\(re)?newcommand\\*?\\{?\\\\[A-Za-z]+", tex
  )))
  defined <- sub(".*\\\\", "", defined)
  setdiff(unique(sub("^\\\\", "", used)),
    c(defined, latex_capital_commands))
}

# The integer parameters of a table of struct bootparam in a C file (the
# lines "{ "key", "doc", &var, default, min, max, pow2 }" of
# kernel/bootparam.h's struct): a tibble key, default. A parameter given
# as words (choices "a|b") has the word its default index names. NULL if
# the file does not exist.
read_bootparams <- function(path) {
  if (is.null(path) || !file.exists(path)) {
    return(NULL)
  }
  text <- paste(readLines(path, warn = FALSE), collapse = "\n")
  pattern <- paste0(
    "\\{\\s*\"([a-z0-9_]+)\",\\s*\"[^\"]*\",\\s*&[A-Za-z0-9_]+,",
    "\\s*([0-9]+),\\s*-?[A-Za-z0-9_]+,\\s*-?[A-Za-z0-9_]+,\\s*[0-9]+",
    "(,\\s*\"([a-z0-9_|]+)\")?\\s*\\}"
  )
  found <- regmatches(text, gregexpr(pattern, text, perl = TRUE))[[1]]
  if (length(found) == 0) {
    return(tibble::tibble(key = character(0), default = character(0)))
  }
  parts <- regmatches(found, regexec(pattern, found, perl = TRUE))
  key <- vapply(parts, `[`, character(1), 2)
  index <- as.numeric(vapply(parts, `[`, character(1), 3))
  words <- vapply(parts, `[`, character(1), 5)
  default <- ifelse(is.na(words) | words == "", format_parameter(index),
    mapply(function(w, i) strsplit(w, "|", fixed = TRUE)[[1]][i + 1],
      words, index))
  tibble::tibble(key = key, default = unname(default))
}

# The parameters of every policy of the registry (policies/NAME.c) and
# of the mechanism (kernel/options.c): a tibble owner (the policy's name,
# or "" for a mechanism option), key, default. NULL if neither is there.
read_parameters <- function(root, policies) {
  tables <- lapply(policies, function(policy) {
    found <- read_bootparams(file.path(root, "policies",
      paste0(policy, ".c")))
    if (is.null(found)) NULL else dplyr::mutate(found, owner = policy)
  })
  options <- read_bootparams(file.path(root, "kernel", "options.c"))
  if (!is.null(options)) {
    tables <- c(tables, list(dplyr::mutate(options, owner = "")))
  }
  if (length(tables) == 0) {
    return(NULL)
  }
  dplyr::bind_rows(tables) %>%
    dplyr::select(owner, key, default)
}

# Everything above for the repository at root; a list with NULL where a
# file is missing. A NULL root gives an empty context (fall back on the
# data for everything), which the tests use.
repo_context <- function(root = NULL) {
  if (is.null(root)) {
    return(list(policies = NULL, parameters = NULL, paper_macros = NULL,
      registry = NULL, boot = NULL, wallclock = NULL
    ))
  }
  registry <- file.path(root, "policies", "registry.c")
  policies <- read_registry(registry)
  list(
    policies = policies,
    parameters = read_workload_parameters(file.path(root, "experiments")),
    paper_macros = read_paper_macros(file.path(root, "paper", "paper.tex")),
    registry = "policies/registry.c",
    boot = read_parameters(root, policies),
    # the lock contention measured with the harts at once (locks.R)
    wallclock = file.path(root, "experiments", "data", "wallclock_locks.csv")
  )
}
