# Experiments (experiments/README.md).
#
#   make experiments            the full matrix into results/full.csv
#   make experiments QUICK=1    the quick matrix into results/quick.csv
#   OUT=path   another output CSV      J=n   boots at a time (default: cores)
#   EXP_POLICIES="copy cow"     only these of the matrix's policies (one
#                               it does not name runs everywhere; the
#                               runner rejects those not in the registry)
#   ALLOW_DIRTY=1               measure although tracked files have
#                               uncommitted changes (recorded: dirty=1)
#   ALLOW_MIXED=1               add to an OUT of another commit or QEMU
#   ENGINE=parallel             one GNU parallel job per configuration
#   SSHLOGINS=file              ... on these hosts (parallel's
#                               --sshloginfile; implies ENGINE=parallel)
#   make experiments-slurm      submit the matrix as Slurm job arrays
#                               (DRY_RUN=1: only print what it would run)
#   make test-boot              make run's statuses and quoting (in TESTS)
#   make test-experiments       the quick matrix for every policy in the
#                               registry, checked, and the engines, merge
#                               and provenance checks (in TESTS); with
#                               TESTSLURM=1 (the default) also through a
#                               one-node Slurm started here (root; installs
#                               slurm-wlm and munge); TESTSLURM=0 skips it
#   make test-slurm             only that Slurm test

EXP_MATRIX = experiments/matrix/$(if $(QUICK),quick,full)
EXP_OUT = $(or $(OUT),results/$(if $(QUICK),quick,full).csv)
ENGINE ?= $(if $(SSHLOGINS),parallel,local)
yes = $(filter-out 0 no,$(1))
EXP_FLAGS = $(if $(call yes,$(ALLOW_DIRTY)),--allow-dirty) \
  $(if $(call yes,$(ALLOW_MIXED)),--allow-mixed) \
  $(if $(EXP_POLICIES),--policies "$(EXP_POLICIES)")

experiments: kernel/kernel $(B)/bootcheck
	experiments/run --engine $(ENGINE) $(if $(J),-j $(J)) \
	  $(if $(SSHLOGINS),--sshloginfile $(SSHLOGINS)) $(EXP_FLAGS) -o $(EXP_OUT) $(EXP_MATRIX)

experiments-slurm: kernel/kernel $(B)/bootcheck
	experiments/slurm/submit $(if $(call yes,$(DRY_RUN)),--dry-run) \
	  $(EXP_FLAGS) -o $(EXP_OUT) $(EXP_MATRIX)

test-boot: kernel/kernel
	@experiments/tests/boot.sh

TESTSLURM ?= 1
test-experiments: kernel/kernel $(B)/bootcheck
	@TESTSLURM=$(TESTSLURM) experiments/tests/runner.sh "$(POLICIES)"

test-slurm: kernel/kernel $(B)/bootcheck
	@.ci/deps.sh slurm || { echo "slurm: 0 passed, 1 failed"; exit 1; }
	@experiments/tests/slurm.sh "$(POLICIES)"

TESTS += 'make -s test-boot' 'make -s test-experiments' experiments/tests/ticks.sh \
  experiments/tests/profile.sh

.PHONY: experiments experiments-slurm test-boot test-experiments test-slurm
