# No TeX here to compile the paper; check instead that what it refers to
# exists: every number macro it uses is defined in numbers.tex, and every
# file it inputs or includes is written by the analysis.

paper_tex <- function() {
  readLines(file.path(analysis_root, "..", "paper", "paper.tex"))
}

test_that("every number macro of the paper is defined in numbers.tex", {
  tex <- paper_tex()
  tex <- tex[!grepl("^\\s*%", tex)]
  used <- unique(unlist(regmatches(tex, gregexpr("\\\\[A-Z][A-Za-z]+", tex))))
  used <- sub("^\\\\", "", used)
  # with the boot parameters' defaults, as make figures reads them from
  # the sources (a sweep's default needs them)
  numbers <- suppressMessages(compute_numbers(
    read_results(fixture("realistic.csv"), five_policies,
      realistic_parameters), context_of()
  ))
  expect_equal(setdiff(used, numbers$name), character(0))
  expect_gt(length(used), 40)
  expect_setequal(read_paper_macros(paper_path()), used)
  # and the realistic fixture gives every one of them (make figures
  # without PARTIAL would refuse an n/a)
  expect_equal(numbers$name[numbers$name %in% used &
    numbers$value == "n/a"], character(0))
})

test_that("the paper's inputs and figures are what the analysis writes", {
  tex <- paste(paper_tex(), collapse = "\n")
  inputs <- regmatches(tex, gregexpr("\\\\input\\{[^}]+\\}", tex))[[1]]
  graphics <- regmatches(tex,
    gregexpr("\\\\includegraphics(\\[[^]]*\\])?\\{[^}]+\\}", tex))[[1]]
  inputs <- sub("\\\\input\\{([^}]+)\\}", "\\1", inputs)
  files <- c(
    sub("(\\.tex)?$", ".tex", inputs),
    sub(".*\\{([^}]+)\\}$", "\\1", graphics)
  )
  dir <- drawn_dir("tiny.csv")
  expect_equal(files[!file.exists(file.path(dir, files))], character(0))
  # every figure the paper includes is drawn (the newer ones may not be
  # in the paper yet)
  included <- sub("\\.pdf$", "", basename(grep("^figures/", files,
    value = TRUE)))
  expect_equal(setdiff(included, figure_names), character(0))
  expect_gte(length(included), 7)
})
