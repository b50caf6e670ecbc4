# Load the analysis scripts and point at the fixtures. testthat runs this
# file before the tests, with the working directory at tests/testthat.

analysis_root <- normalizePath(file.path("..", ".."))
source(file.path(analysis_root, "figures.R"), local = globalenv())
load_analysis(analysis_root)

fixture <- function(name) {
  file.path(analysis_root, "tests", "fixtures", name)
}

# A results CSV in a temp file, from a data frame of character columns.
write_temp_csv <- function(data) {
  path <- tempfile(fileext = ".csv")
  readr::write_csv(data, path, na = "")
  path
}

read_raw_fixture <- function(name) {
  readr::read_csv(
    fixture(name),
    col_types = readr::cols(.default = readr::col_character())
  )
}
