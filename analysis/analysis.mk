# analysis/analysis.mk: figures, tables and numbers of the paper, the
# analysis tests, and the paper. Included by the top Makefile.
#
#   make figures                 redraw paper/figures/*.{pdf,png} and
#                                paper/generated/*.tex from the committed
#                                data experiments/data/full.csv
#   make figures DATA=x.csv      ... from another results CSV
#   make figures FIGDIR=/tmp/p   ... into another directory (use this for
#                                fixtures: never draw paper/ from them)
#   make figures PARTIAL=1       draw what incomplete data allow
#                                (placeholders, n/a) instead of stopping
#   make test-analysis           the testthat suite (also run by make test)
#   make paper                   paper/paper.pdf (installs LaTeX first)

DATA ?= experiments/data/full.csv
FIGDIR ?= paper
PARTIAL ?=

figures:
	@if [ ! -f "$(DATA)" ]; then \
	  echo "figures: no results CSV at $(DATA): run 'make experiments' to produce it, or pass DATA=path/to/results.csv" >&2; \
	  exit 1; \
	fi
	@.ci/deps.sh r
	@Rscript analysis/figures.R $(if $(filter-out 0,$(PARTIAL)),--partial) "$(DATA)" "$(FIGDIR)"

test-analysis:
	@.ci/deps.sh r || { echo "analysis: 0 passed, 1 failed"; exit 1; }
	@Rscript analysis/tests/run.R

# First: the longest step of make test starts first (Makefile, test).
TESTS := 'make -s test-analysis' $(TESTS)

# The paper is built from its source and whatever make figures last wrote;
# it does not redraw them (that needs the data). .ci/deps.sh paper installs
# pdflatex, the LaTeX packages paper.tex uses and pdftoppm.
paper:
	@.ci/deps.sh paper
	@test -f paper/generated/numbers.tex || { \
	  echo "paper: paper/generated/ is missing: run 'make figures' first" >&2; \
	  exit 1; }
	@cd paper && \
	  pdflatex -interaction=nonstopmode -halt-on-error paper.tex >/dev/null && \
	  pdflatex -interaction=nonstopmode -halt-on-error paper.tex >/dev/null || \
	  { echo "paper: pdflatex failed; see paper/paper.log" >&2; exit 1; }
	@grep -E "Warning: (Reference|Citation).*undefined|Overfull" paper/paper.log >&2 || true
	@echo "paper: wrote paper/paper.pdf"

.PHONY: figures test-analysis paper
