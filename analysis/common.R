# Shared helpers of the analysis: packages, the figure theme, the save
# helper, summary statistics and the LaTeX formatting used by the tables
# and numbers.tex. The policies' styles are in palette.R, what is known of
# each workload in workloads.R.

suppressPackageStartupMessages({
  library(readr)
  library(dplyr)
  library(tidyr)
  library(ggplot2)
  library(scales)
})

page_bytes <- 4096

# Figures -------------------------------------------------------------------

# Widths in inches of a paper column and of the full text width.
width_column <- 3.4
width_full <- 7

# A figure (the list figure_names in pipeline.R names them all): what it
# needs (said when the data lack it), the data it draws from the summaries
# (a function of analysis_data() giving a tibble; no rows = the data lack
# what it needs; an attribute "missing" = they lack part of it), the plot
# of that tibble, and its size in inches: the width of a column or of the
# page, and a height that may be a function of the tibble (for figures
# with one row per workload or configuration). columns: the CSV columns
# it needs beyond the first schema's (a CSV without them predates the
# figure: build_figure() draws a placeholder). per_policy: it compares
# every policy (the tests check that a new policy shows in it); FALSE
# for a figure of one policy's variants or of the mechanism.
figure <- function(needs, data, plot, width = width_column, height = 2.4,
                   columns = character(0), per_policy = TRUE) {
  stopifnot(is.character(needs), is.function(data), is.function(plot),
    width %in% c(width_column, width_full), is.character(columns))
  list(needs = needs, data = data, plot = plot, width = width,
    height = height, columns = columns, per_policy = per_policy)
}

# Rows with an attribute "missing": what else the figure needs that the
# data lack (build_figure()). NULL or character(0) = nothing.
with_missing <- function(rows, missing) {
  attr(rows, "missing") <- if (length(missing) > 0) missing else NULL
  rows
}

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

# Counts as 0, 5, 10, 1K, 2.5K, 10K, 1M: short enough for a narrow axis.
label_count <- function(x) {
  vapply(x, function(one) {
    if (is.na(one)) {
      return(NA_character_)
    }
    one <- signif(one, 6) # a break through a pseudo-log scale: 999.99998
    unit <- if (abs(one) >= 1e6) "M" else if (abs(one) >= 1e3) "K" else ""
    scale <- c(M = 1e6, K = 1e3)[unit]
    shown <- if (unit == "") one else one / scale
    paste0(format(shown, digits = 3, scientific = FALSE, trim = TRUE,
      drop0trailing = TRUE), unit)
  }, character(1), USE.NAMES = FALSE)
}

# Breaks at 0 and the powers of ten up to the largest value, for axes on a
# pseudo-log scale (log-like, but 0 stays on the axis). Over three decades
# or more the 1 is left out: it would sit on top of the 0.
pseudo_log_breaks <- function(limits) {
  top <- max(1, limits[2], na.rm = TRUE)
  decades <- ceiling(log10(top))
  powers <- 10^(0:decades)
  if (decades >= 3) powers <- powers[-1]
  c(0, powers)
}

scale_pseudo_log <- function(axis = "y", ...) {
  scale <- if (axis == "y") scale_y_continuous else scale_x_continuous
  scale(
    trans = pseudo_log_trans(sigma = 1, base = 10),
    breaks = pseudo_log_breaks,
    labels = label_count,
    ...
  )
}

# Round ratios for the ticks of a ratio axis: 1 and steps of 5, 10, 25%
# near it, then 1.5, 2, 3, 5, 10 ... and their inverses.
nice_ratios <- c(
  0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 0.95,
  1, 1.05, 1.1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 20, 30, 50, 100,
  200, 500, 1000
)

# Breaks for an axis of ratios on a log scale: about five round ratios
# spread evenly (in log) over the limits, and 1 if it is in them; plain
# round numbers if the limits hold fewer than three round ratios.
ratio_breaks <- function(limits, n = 5) {
  lo <- min(limits) * 0.99
  hi <- max(limits) * 1.01
  inside <- nice_ratios[nice_ratios >= lo & nice_ratios <= hi]
  if (length(inside) <= 2) {
    # a narrow range: plain round numbers
    ticks <- pretty(c(lo, hi), n = 3)
    return(ticks[ticks >= lo & ticks <= hi])
  }
  targets <- exp(seq(log(lo), log(hi), length.out = n))
  picked <- vapply(targets, function(target) {
    inside[which.min(abs(log(inside) - log(target)))]
  }, numeric(1))
  picked <- sort(unique(c(picked, inside[inside == 1])))
  # no two ticks closer than a ninth of the axis; 1 stays
  gap <- log(hi / lo) / 9
  kept <- picked[picked == 1]
  for (tick in picked[order(abs(log(picked)))]) {
    if (all(abs(log(tick) - log(kept)) >= gap)) kept <- c(kept, tick)
  }
  sort(kept)
}

# Write a figure as PDF (cairo, fonts embedded) and as PNG (300 dpi;
# option analysis.png_dpi: the tests draw them coarse, as they only check
# that they are there).
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
    device = "png", type = "cairo", dpi = getOption("analysis.png_dpi", 300),
    bg = "white",
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
  caption <- "SYNTHETIC FIXTURE DATA - not a measurement"
  style <- theme(plot.caption = element_text(colour = "#D55E00",
    face = "bold", size = 7))
  if (inherits(plot, "patchwork")) {
    return(plot + patchwork::plot_annotation(caption = caption,
      theme = style))
  }
  plot + labs(caption = caption) + style
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
