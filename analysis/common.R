# Shared helpers of the analysis: packages, the fixed order and palette of
# the policies, the figure theme, the save helper, summary statistics and
# the LaTeX formatting used by the tables and numbers.tex.

suppressPackageStartupMessages({
  library(readr)
  library(dplyr)
  library(tidyr)
  library(ggplot2)
  library(scales)
})

# Policies ------------------------------------------------------------------

# One order and one colour per policy in every figure and table. Colours are
# from the Okabe-Ito palette (colour-blind safe); shapes make the policies
# tell apart in grey print too.
policy_levels <- c("copy", "cow", "hot", "faultaround", "adaptive")

policy_colours <- c(
  copy = "#E69F00",
  cow = "#0072B2",
  hot = "#009E73",
  faultaround = "#CC79A7",
  adaptive = "#D55E00"
)

policy_shapes <- c(
  copy = 15,
  cow = 16,
  hot = 17,
  faultaround = 18,
  adaptive = 8
)

workload_levels <- c(
  "readtest", "writetest", "lazyfork", "forkexec", "seqwrite", "randwrite",
  "forkserver", "snapshot", "forktree", "shell", "forkbench"
)

# The three experiments of the seed prototype.
seed_workloads <- c("readtest", "writetest", "lazyfork")

page_bytes <- 4096

# Headline configurations ---------------------------------------------------

# The one configuration per workload that the figures over all workloads
# (fig_faults, fig_copies, fig_seed, fig_learning) and the per-workload
# numbers show. NA means "any value" (the workload is run with one value
# only). The choices, from experiments/matrix/full:
# - readtest, writetest, forkexec: the larger heap (8192 pages, 32 MiB),
#   where the cost of sharing against copying shows most;
# - seqwrite, randwrite, snapshot: 10% of the heap written, the middle of
#   their sweeps (fig_sweep shows every fraction of seqwrite and randwrite);
# - forkserver: a hot set of 10% at scattered addresses (seed 1), which
#   only history can predict (a contiguous one also suits fault-around);
# - forktree: one hart, the only setting whose instruction counts compare;
# - shell: a launcher with a heap of 4096 pages, so fork has pages to share.
# A workload whose headline configuration is not in the data is shown with
# its first configuration instead, and read_results() says so.
headline_configs <- tibble::tribble(
  ~workload, ~cpus, ~pages, ~frac, ~seed,
  "readtest", 1, 8192, NA, NA,
  "writetest", 1, 8192, NA, NA,
  "lazyfork", 1, NA, NA, NA,
  "forkexec", 1, 8192, NA, NA,
  "seqwrite", 1, NA, 10, NA,
  "randwrite", 1, NA, 10, NA,
  "forkserver", 1, NA, 10, 1,
  "snapshot", 1, NA, 10, NA,
  "forktree", 1, NA, NA, NA,
  "shell", 1, 4096, NA, NA
)

# The write-fraction sweeps drawn in fig_sweep and quoted in numbers.tex.
sweep_workloads <- c("seqwrite", "randwrite")
sweep_fracs <- c(1, 5, 10, 25, 50, 100)

# Under cow these workloads take no COW fault by construction (the child
# only reads, or execs at once), so a reduction of faults against cow or a
# distance to cow's copies is 0 / 0: numbers.tex has no such macros.
no_fault_workloads <- c("readtest", "forkexec")

# The workloads that fork once, from a parent with no write history: what
# hot and adaptive cost when they have nothing to learn from.
one_fork_workloads <- c("readtest", "writetest", "seqwrite", "randwrite",
  "snapshot")

# Manual scales keyed by policy name. No limits are set, so a policy absent
# from the data is neither drawn nor listed in the legend, and the others keep
# their colours.
scale_colour_policy <- function(...) {
  scale_colour_manual(values = policy_colours, name = "policy", ...)
}

scale_fill_policy <- function(...) {
  scale_fill_manual(values = policy_colours, name = "policy", ...)
}

scale_shape_policy <- function(...) {
  scale_shape_manual(values = policy_shapes, name = "policy", ...)
}

# Figures -------------------------------------------------------------------

# Widths in inches of a paper column and of the full text width.
width_column <- 3.4
width_full <- 7

theme_paper <- function(base_size = 8) {
  theme_bw(base_size = base_size) +
    theme(
      panel.grid.minor = element_blank(),
      panel.grid.major.x = element_blank(),
      strip.background = element_rect(fill = "grey92", colour = NA),
      strip.text = element_text(margin = margin(2, 2, 2, 2)),
      legend.position = "bottom",
      legend.key.size = unit(0.8, "lines"),
      legend.margin = margin(0, 0, 0, 0),
      legend.box.margin = margin(-4, 0, 0, 0),
      legend.spacing.x = unit(2, "pt"),
      plot.margin = margin(3, 5, 3, 3)
    )
}

# Breaks at 0 and the powers of ten up to the largest value, for axes on a
# pseudo-log scale (log-like, but 0 stays on the axis).
pseudo_log_breaks <- function(limits) {
  top <- max(1, limits[2], na.rm = TRUE)
  c(0, 10^(0:ceiling(log10(top))))
}

scale_y_pseudo_log <- function(...) {
  scale_y_continuous(
    trans = pseudo_log_trans(sigma = 1, base = 10),
    breaks = pseudo_log_breaks,
    labels = label_number(scale_cut = cut_short_scale()),
    ...
  )
}

# Write a figure as PDF (cairo, fonts embedded) and as PNG (300 dpi).
save_figure <- function(plot, name, fig_dir, width = width_column,
                        height = 2.4) {
  dir.create(fig_dir, recursive = TRUE, showWarnings = FALSE)
  pdf_path <- file.path(fig_dir, paste0(name, ".pdf"))
  png_path <- file.path(fig_dir, paste0(name, ".png"))
  ggsave(
    pdf_path, plot,
    device = cairo_pdf, width = width, height = height, units = "in"
  )
  ggsave(
    png_path, plot,
    device = "png", type = "cairo", dpi = 300, bg = "white",
    width = width, height = height, units = "in"
  )
  invisible(c(pdf_path, png_path))
}

# A figure that says why it is empty, so that the paper still builds when
# the data lack the rows a figure needs.
plot_placeholder <- function(text) {
  ggplot() +
    annotate("text", x = 0, y = 0, label = text, size = 3) +
    theme_void() +
    theme(panel.border = element_rect(colour = "grey60", fill = NA))
}

# Mark a figure drawn from a synthetic fixture, so it cannot pass for a
# result.
mark_synthetic <- function(plot) {
  plot +
    labs(caption = "SYNTHETIC FIXTURE DATA - not a measurement") +
    theme(plot.caption = element_text(colour = "#D55E00", face = "bold"))
}

# Statistics ----------------------------------------------------------------

# Median, min and max that give NA (and no warning) when nothing is known.
safe_median <- function(x) {
  if (all(is.na(x))) NA_real_ else stats::median(x, na.rm = TRUE)
}

safe_min <- function(x) {
  if (all(is.na(x))) NA_real_ else min(x, na.rm = TRUE)
}

safe_max <- function(x) {
  if (all(is.na(x))) NA_real_ else max(x, na.rm = TRUE)
}

# Ratio that is NA where the denominator is 0 or unknown.
safe_ratio <- function(x, y) {
  ifelse(is.na(y) | y == 0, NA_real_, x / y)
}

# LaTeX ---------------------------------------------------------------------

latex_minus <- function(text) {
  sub("^-", "\\\\ensuremath{-}", text)
}

# Integers with thousands separated by {,}; "--" when unknown.
format_count <- function(x) {
  text <- formatC(round(x), format = "f", digits = 0, big.mark = ",")
  text <- latex_minus(gsub(",", "{,}", text, fixed = TRUE))
  ifelse(is.na(x), "--", text)
}

# Numbers with a fixed count of decimals (percents, ratios).
format_decimal <- function(x, digits = 1) {
  rounded <- round(x, digits)
  rounded[!is.na(rounded) & rounded == 0] <- 0
  text <- formatC(rounded, format = "f", digits = digits, big.mark = ",")
  text <- latex_minus(gsub(",", "{,}", text, fixed = TRUE))
  ifelse(is.na(x), "--", text)
}

format_percent <- function(x) {
  format_decimal(x, digits = 1)
}

latex_escape <- function(text) {
  text <- gsub("\\", "\\textbackslash{}", text, fixed = TRUE)
  text <- gsub("([&%$#_{}])", "\\\\\\1", text)
  text <- gsub("~", "\\textasciitilde{}", text, fixed = TRUE)
  gsub("^", "\\textasciicircum{}", text, fixed = TRUE)
}

# Macro names -----------------------------------------------------------------

number_names <- c(
  "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight",
  "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen",
  "Sixteen", "Seventeen", "Eighteen", "Nineteen"
)

tens_names <- c(
  "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy",
  "Eighty", "Ninety"
)

# An integer as English words in CamelCase (LaTeX macro names may hold
# letters only): 1024 -> "OneThousandTwentyFour".
spell_integer <- function(n) {
  n <- as.numeric(n)
  if (n < 20) {
    return(number_names[n + 1])
  }
  if (n < 100) {
    rest <- n %% 10
    return(paste0(
      tens_names[n %/% 10 + 1],
      if (rest > 0) number_names[rest + 1] else ""
    ))
  }
  scales_of <- list(
    c(1e9, "Billion"), c(1e6, "Million"), c(1e3, "Thousand"), c(100, "Hundred")
  )
  for (unit in scales_of) {
    size <- as.numeric(unit[1])
    if (n >= size) {
      rest <- n %% size
      return(paste0(
        spell_integer(n %/% size), unit[2],
        if (rest > 0) spell_integer(rest) else ""
      ))
    }
  }
}

# A decimal number as words: "0.25" -> "ZeroPointTwoFive".
spell_number <- function(text) {
  parts <- strsplit(text, ".", fixed = TRUE)[[1]]
  words <- spell_integer(as.numeric(parts[1]))
  if (length(parts) > 1) {
    digits <- as.numeric(strsplit(parts[2], "")[[1]])
    words <- paste0(words, "Point", paste(number_names[digits + 1],
      collapse = ""
    ))
  }
  words
}

# Any label as a CamelCase run of letters: "seqwrite frac=0.5" ->
# "SeqwriteFracZeroPointFive".
camel_letters <- function(label) {
  vapply(label, function(one) {
    tokens <- regmatches(one, gregexpr("[0-9]+(\\.[0-9]+)?|[A-Za-z]+", one))
    words <- vapply(tokens[[1]], function(token) {
      if (grepl("^[0-9]", token)) {
        spell_number(token)
      } else {
        paste0(toupper(substr(token, 1, 1)), substr(token, 2, nchar(token)))
      }
    }, character(1))
    paste(words, collapse = "")
  }, character(1), USE.NAMES = FALSE)
}

# Build macro names from parts: make_macro_name("FaultReduction", "hot",
# "seqwrite") -> "FaultReductionHotSeqwrite".
make_macro_name <- function(...) {
  parts <- list(...)
  parts <- lapply(parts, function(part) camel_letters(as.character(part)))
  do.call(paste0, c(parts, recycle0 = TRUE))
}

is_macro_name <- function(name) {
  grepl("^[A-Za-z]+$", name)
}
