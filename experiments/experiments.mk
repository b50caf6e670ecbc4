# Experiments (experiments/README.md).
#
#   make experiments            the full matrix into results/full.csv
#   make experiments QUICK=1    the quick matrix into results/quick.csv
#   OUT=path   another output CSV      J=n   boots in parallel (cores)
#   EXP_POLICIES="copy cow"     run these policies instead of the matrix's
#                               (the matrices name all five; the runner
#                               rejects those not in policies/registry.c)
#   make test-experiments       run the quick matrix for every policy in
#                               the registry and check the CSV (in TESTS)

EXP_MATRIX = experiments/matrix/$(if $(QUICK),quick,full)
EXP_OUT = $(or $(OUT),results/$(if $(QUICK),quick,full).csv)
J ?= $(shell nproc 2>/dev/null || echo 1)

experiments: kernel/kernel
	experiments/run -j $(J) -o $(EXP_OUT) \
	  $(if $(EXP_POLICIES),--policies "$(EXP_POLICIES)") $(EXP_MATRIX)

test-experiments: kernel/kernel
	@tmp=$$(mktemp -d); \
	experiments/run -j $(J) -o $$tmp/quick.csv --policies "$(POLICIES)" \
	  experiments/matrix/quick; rc=$$?; \
	[ $$rc = 0 ] || echo "FAIL experiments-run: exit status $$rc"; \
	experiments/check $$tmp/quick.csv $(POLICIES); crc=$$?; \
	rm -rf $$tmp; [ $$rc = 0 ] && [ $$crc = 0 ]

TESTS += 'make -s test-experiments'

.PHONY: experiments test-experiments
