# xv6-cow: build the kernel and the programs, boot them in QEMU, test,
# run the experiments and draw the figures.
#
#   make                 build kernel/kernel (with the program image)
#   make qemu            boot to the shell      (POLICY= CPUS= MEM= ARGS=)
#   make qemu-gdb        the same, waiting for gdb-multiarch
#   make run CMD='...'   boot, run CMD in the shell, power off; prints CMD's
#                        exit status (experiments/boot CMD exits with it)
#   make test            every test: host unit tests and the guest suites
#   make fuzz            the long system-call fuzzer run (FUZZSEED= FUZZCALLS=)
#   make stress          the stress suite on 8 harts (STRESSCPUS=), one boot per policy
#   make clean

POLICY ?= cow
CPUS ?= 3
MEM ?= 128M
ARGS ?=
TIMEOUT ?= 600

B := build

# Install what is missing (toolchain, QEMU) before anything but clean.
ifneq ($(filter-out clean figures test-analysis paper,$(or $(MAKECMDGOALS),all)),)
DEPS_STATUS := $(shell .ci/deps.sh build >&2; echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error missing build tools: see the messages above)
endif
endif

TOOLPREFIX ?= $(shell for p in riscv64-unknown-elf- riscv64-linux-gnu- \
  riscv64-elf- riscv64-unknown-linux-gnu-; do \
  if command -v $${p}gcc >/dev/null 2>&1; then echo $$p; exit; fi; done)
QEMU ?= qemu-system-riscv64

# The policies in the registry; a policy named NAME is defined as
# policy_NAME (policies/README.md).
POLICIES := $(shell sed -n 's/^ *POLICY(\([a-z0-9_]*\)).*/\1/p' policies/registry.c)
ifeq ($(filter $(POLICY),$(POLICIES)),)
$(error unknown POLICY=$(POLICY); valid policies: $(POLICIES))
endif
# Harts: 1 to the kernel's NCPU (QEMU itself took 0 for 1, and the
# kernel left harts past NCPU idle).
NCPU := $(shell sed -n 's/^\#define NCPU  *\([0-9]*\).*/\1/p' kernel/param.h)
ifneq ($(words $(CPUS)) $(filter $(CPUS),$(shell seq 1 $(NCPU))),1 $(CPUS))
$(error bad CPUS=$(CPUS); want a number of harts from 1 to $(NCPU) (NCPU in kernel/param.h))
endif
# Memory: as QEMU's -m takes it, in M or G, and 16M at least (MINMEM in
# experiments/guest.py: below some 10M the kernel cannot load its
# program image and panics at boot).
ifneq ($(shell echo '$(MEM)' | awk '/^[1-9][0-9]*G$$/ || (/^[1-9][0-9]*M$$/ && $$0 + 0 >= 16) { print "ok" }'),ok)
$(error bad MEM=$(MEM); want 16M or more, in M or G (e.g. 128M, 1G))
endif
BOOTARGS = policy=$(POLICY) $(ARGS)

CC := $(TOOLPREFIX)gcc
LD := $(TOOLPREFIX)ld
OBJDUMP := $(TOOLPREFIX)objdump
ARCH := -march=rv64gc -mabi=lp64d
CFLAGS := $(ARCH) -mcmodel=medany -ffreestanding -fno-common -nostdlib \
  -fno-builtin -fno-stack-protector -fno-pie -no-pie -Wall -Werror -O2 \
  -ggdb -gdwarf-2 -fno-omit-frame-pointer -MD -I.
LIBGCC = $(shell $(CC) $(ARCH) -print-libgcc-file-name)

# ---- kernel ---------------------------------------------------------
KSRC := $(wildcard kernel/*.c) $(wildcard kernel/*.S)
# The host model's programs (make hosttest, make explore), not the kernel's.
HOSTONLY := policies/test.c policies/explore.c
PSRC := $(filter-out $(HOSTONLY),$(wildcard policies/*.c))
KOBJ := $(patsubst %,$(B)/%.o,$(basename $(KSRC) $(PSRC)))

kernel/kernel: $(KOBJ) kernel/kernel.ld
	$(LD) -z max-page-size=4096 -T kernel/kernel.ld -o $@ $(KOBJ) $(LIBGCC)
	$(OBJDUMP) -S $@ > $(B)/kernel.asm

$(B)/kernel/image.o: $(B)/fs.img
$(B)/kernel/%.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ikernel -Wa,-I$(B) -c -o $@ $<
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# ---- user programs and the image ------------------------------------
ULIBSRC := user/ulib.c user/printf.c user/umalloc.c user/counters.c \
  user/uthread.c
ULIB := $(patsubst %.c,$(B)/%.o,$(ULIBSRC)) $(B)/user/usys.o
UPROGS := $(filter-out $(ULIBSRC) user/mkimage.c user/bootcheck.c,$(wildcard user/*.c))
EPROGS := $(wildcard experiments/*.c)
PROGS := $(patsubst %.c,$(B)/bin/%,$(notdir $(UPROGS) $(EPROGS)))

$(B)/user/usys.o: user/usys.S kernel/syscall.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/bin/%: $(B)/user/%.o $(ULIB) user/user.ld
	@mkdir -p $(dir $@)
	$(LD) -z max-page-size=4096 -T user/user.ld -o $@ $< $(ULIB) $(LIBGCC)
$(B)/bin/%: $(B)/experiments/%.o $(ULIB) user/user.ld
	@mkdir -p $(dir $@)
	$(LD) -z max-page-size=4096 -T user/user.ld -o $@ $< $(ULIB) $(LIBGCC)

$(B)/mkimage: user/mkimage.c kernel/fs.h
	@mkdir -p $(dir $@)
	cc -Wall -Werror -O2 -I. -o $@ user/mkimage.c

$(B)/fs.img: $(B)/mkimage $(PROGS) README.md
	cp README.md $(B)/README
	$(B)/mkimage $@ $(PROGS) $(B)/README

.PRECIOUS: $(B)/%.o $(B)/user/%.o $(B)/experiments/%.o

-include $(shell find $(B) -name '*.d' 2>/dev/null)

all: kernel/kernel $(B)/bootcheck
.DEFAULT_GOAL := all

# ---- running --------------------------------------------------------
QEMUOPTS = -machine virt -bios none -kernel kernel/kernel -m $(MEM) \
  -smp $(CPUS) -nographic

# The command line is checked on the host first, as the kernel will
# check it (user/bootcheck.c): a bad parameter stops here with the list
# of valid ones.
qemu: kernel/kernel $(B)/bootcheck
	@$(B)/bootcheck '$(BOOTARGS)'
	$(QEMU) $(QEMUOPTS) -append "$(BOOTARGS)"

.gdbinit: Makefile
	printf 'set confirm off\nset architecture riscv:rv64\n' > $@
	printf 'target remote 127.0.0.1:%s\nsymbol-file kernel/kernel\n' $(GDBPORT) >> $@
	printf 'set disassemble-next-line auto\nset riscv use-compressed-breakpoints yes\n' >> $@

GDBPORT ?= $(shell expr `id -u` % 5000 + 25000)
qemu-gdb: kernel/kernel .gdbinit $(B)/bootcheck
	@$(B)/bootcheck '$(BOOTARGS)'
	@echo "*** now run 'gdb-multiarch' in another window (it reads .gdbinit)" 1>&2
	$(QEMU) $(QEMUOPTS) -append "$(BOOTARGS)" -S -gdb tcp::$(GDBPORT)

# Boot, run CMD in the shell (init runs 'sh -c CMD'), power off.
# experiments/boot does it and exits with CMD's exact status (3: kernel
# panic, 124: timeout, 125: CMD too long or bad usage) and says which on
# its last line; make then exits 2 if that was not 0. CMD and ARGS reach
# the guest verbatim: make passes their unexpanded text through the
# environment and the recipe quotes it, so no host shell or make function
# ever reads them.
unexport CMD ARGS
run: export BOOT_CMD := $(value CMD)
run: export BOOT_ARGS := $(value ARGS)
run: kernel/kernel $(B)/bootcheck
	@if [ -z "$$BOOT_CMD" ]; then echo "usage: make run CMD='prog args; prog2'" >&2; exit 2; fi
	@$(B)/bootcheck "policy=$(POLICY) $$BOOT_ARGS"
	@experiments/boot --policy=$(POLICY) --cpus=$(CPUS) --mem=$(MEM) \
	  --timeout=$(TIMEOUT) --args="$$BOOT_ARGS" -- "$$BOOT_CMD"

# ---- parts with Makefile fragments of their own ------------------------
# experiments/experiments.mk: make experiments; analysis/analysis.mk: make
# figures. Each may add to TESTS (host-side test steps run by make test).
TESTS := .ci/scratchpolicy.sh .ci/testrunner.sh
-include $(wildcard experiments/*.mk analysis/*.mk)

# ---- tests ----------------------------------------------------------
# Guest suites run in one boot per (policy, CPUS); every policy in the
# registry must pass every suite (a policy changes performance, never
# results). fuzz runs its short default (two rounds), make fuzz the long
# run; stress also runs with STRESSCPUS harts, in make test under
# STRESSPOLICIES (the mechanism's baseline and the policy with the most
# state), in make stress under every policy, each run by STRESSRUN.
SUITES := kerneltests usertests cowtest policytest threadtest fuzz cowfuzz memtest stress
TESTCPUS ?= 1 3
TESTPOLICIES ?= $(POLICIES)
STRESSCPUS ?= 8
STRESSPOLICIES ?= $(filter cow adaptive,$(TESTPOLICIES))
STRESSTIMEOUT ?= 300
STRESSRUN = GUEST_TIMEOUT=$(STRESSTIMEOUT) .ci/testguest.sh "$(1)" "$(STRESSCPUS)" stress
TESTS += $(if $(STRESSCPUS),$(if $(STRESSPOLICIES),'$(call STRESSRUN,$(STRESSPOLICIES))'))

# The mechanism's options (DESIGN.md) must not change results either: the
# suites that exercise memory run again with page-table sharing, split
# page-table locks and per-hart free lists, and the thread suite with
# compare-and-swap PTEs.
OPTARGS1 := ptshare=1 ptlock=split kalloc=percpu
OPTSUITES1 := kerneltests usertests cowtest policytest threadtest cowfuzz memtest
OPTARGS2 := ptlock=cas

# .ci/test.sh runs TESTJOBS steps at a time (default: the cores) in the
# order given here; the long host-side steps (the R suite first) start
# before the guest suites so that the two cores finish together.
test: kernel/kernel
	@.ci/test.sh 'make -s hosttest' $(TESTS) \
	  '.ci/testguest.sh "$(TESTPOLICIES)" "$(TESTCPUS)" "$(SUITES)"' \
	  '.ci/testguest.sh "$(TESTPOLICIES)" "$(TESTCPUS)" "$(OPTSUITES1)" "$(OPTARGS1)"' \
	  '.ci/testguest.sh "$(TESTPOLICIES)" "3" "threadtest cowtest cowfuzz" "$(OPTARGS2)"'

# The policies' decisions, compiled for the host (policies/test.c).
# The boot-parameter checks and the mechanism's options compile there too.
HOSTPOL := $(filter-out $(HOSTONLY),$(wildcard policies/*.c)) \
  kernel/bootparam.c kernel/options.c
HOSTCC := cc -DPOLICY_HOST -Wall -Werror -O2 -I.
$(B)/policytest-host: $(HOSTONLY) $(HOSTPOL) $(wildcard policies/*.h) \
  kernel/bootparam.h experiments/draw.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $(HOSTONLY) $(HOSTPOL)

$(B)/bootcheck: user/bootcheck.c $(HOSTPOL) $(wildcard policies/*.h) \
  kernel/bootparam.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ user/bootcheck.c $(HOSTPOL)

hosttest: $(B)/policytest-host
	@$(B)/policytest-host

# Every policy on access patterns beyond the workloads, in the host
# model (policies/explore.c): EXPLORE='clusters 4 16 1', say; all of its
# battery without.
explore: $(B)/policytest-host
	@$(B)/policytest-host explore $(EXPLORE)

# The long fuzzer run: FUZZCALLS calls from seed FUZZSEED, then
# FUZZROUNDS rounds of the memory fuzzer cowfuzz, in one boot per policy
# and CPUS (.ci/fuzz.sh; logs in build/fuzz-logs/).
FUZZSEED ?= 1
FUZZCALLS ?= 100000
FUZZROUNDS ?= 400
FUZZCPUS ?= 1 3
FUZZPOLICIES ?= $(POLICIES)

fuzz: kernel/kernel
	@.ci/fuzz.sh "$(FUZZPOLICIES)" "$(FUZZCPUS)" $(FUZZSEED) $(FUZZCALLS) $(FUZZROUNDS)

# The stress suite on STRESSCPUS harts alone, one boot per policy.
stress: kernel/kernel
	@.ci/test.sh '$(call STRESSRUN,$(TESTPOLICIES))'

clean:
	rm -rf $(B) kernel/kernel .gdbinit paper/*.aux paper/*.log paper/*.out

.PHONY: all qemu qemu-gdb run test hosttest explore fuzz stress clean
