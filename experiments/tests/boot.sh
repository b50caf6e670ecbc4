#!/usr/bin/env bash
# experiments/tests/boot.sh (make test-boot): make run and experiments/boot
# pass CMD to the guest verbatim, refuse one that does not fit, and exit
# with the guest's exact status, 3 on a panic and 124 on a timeout; and
# .ci/testguest.sh tells those apart; and that a kill on the console says
# whether memory was out. About a dozen short boots, and a few of a fake
# QEMU (a script) for what the real kernel cannot be made to do.
set -u
cd "$(dirname "$0")/../.."
. experiments/tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# boot ARGS...: experiments/boot with one hart; stdout, stderr and the
# status in $tmp/out, $tmp/err, $rc; last: boot's closing line.
boot() {
  experiments/boot --cpus=1 "$@" > $tmp/out 2> $tmp/err
  rc=$?
  last=$(tail -n 1 $tmp/err)
}
# run VAR=VALUE...: make run, the same way.
run() {
  make -s run CPUS=1 "$@" > $tmp/out 2> $tmp/err
  rc=$?
  last=$(grep '^boot: ' $tmp/err | tail -n 1)
}

# ---- CMD reaches the guest as typed --------------------------------
run CMD='echo "x  y"  z'
expect run-double-quotes "want the line 'x  y z' (two spaces kept by the guest's sh), status 0; got status $rc: $(head -c 300 $tmp/err)" \
  test $rc = 0 -a "$(grep -c '^x  y z$' $tmp/out)" = 1

m=$tmp/mark
cmd="echo '\$(touch $m.1)' '\`touch $m.2\`' '\$(shell touch $m.3)' '\$\$x' \"\$HOME\""
run CMD="$cmd"
want="\$(touch $m.1) \`touch $m.2\` \$(shell touch $m.3) \$\$x \$HOME"
expect run-no-host-expansion "want no $m.* files and the line '$want'; got files: $(ls $m.* 2>/dev/null | tr '\n' ' '), output: $(grep -F "$m" $tmp/out)" \
  test ! -e $m.1 -a ! -e $m.2 -a ! -e $m.3 -a "$(grep -cxF "$want" $tmp/out)" = 1

# ---- a CMD longer than the kernel keeps is refused -----------------
long="echo $(printf 'x%.0s' $(seq 600))"
run CMD="$long"
expect run-too-long-refused "want make to fail with 'command line too long ... keeps 511' and no boot; got status $rc, '$last', $(grep -c 'xv6-cow' $tmp/out) banners" \
  test $rc != 0 -a "$(grep -c 'xv6-cow' $tmp/out)" = 0 \
  -a "$(grep -c '^boot: command line too long: [0-9]* bytes, the kernel keeps 511 ' $tmp/err)" = 1
boot -- "$long"
max=$(sed -n 's/.*the command may be at most \([0-9]*\) bytes.*/\1/p' $tmp/err)
expect boot-too-long-125 "want status 125 and the longest CMD that fits; got $rc, '$last'" \
  test $rc = 125 -a -n "$max"
# The longest command that fits arrives whole, one byte more is refused:
# the limit is the kernel's, not a guess.
xs=$(printf 'x%.0s' $(seq $((${max:-10} - 5))))
boot -- "echo $xs"
expect boot-longest-fits "want status 0 and all $((${max:-10} - 5)) x's echoed; got $rc, '$last'" \
  test $rc = 0 -a "$(grep -cx "$xs" $tmp/out)" = 1
boot -- "echo ${xs}x"
expect boot-one-byte-more-refused "want 125; got $rc, '$last'" test $rc = 125

# ---- the exit status is the guest command's ------------------------
boot -- 'false 7'
expect boot-status-7 "want 7 and 'boot: exit status 7'; got $rc, '$last'" \
  test $rc = 7 -a "$last" = "boot: exit status 7"
run CMD='echo before; false 7'
expect run-status-7-printed "want make to fail and print 'boot: exit status 7'; got $rc, '$last'" \
  test $rc != 0 -a "$last" = "boot: exit status 7" -a "$(grep -c '^before$' $tmp/out)" = 1
boot -- 'echo ok'
expect boot-status-0 "want 0 and the guest's 'ok' on stdout; got $rc, '$last'" \
  test $rc = 0 -a "$(grep -c '^ok$' $tmp/out)" = 1
boot -- 'false 3'
expect boot-guest-3-not-panic "want 3 reported as 'boot: exit status 3'; got $rc, '$last'" \
  test $rc = 3 -a "$last" = "boot: exit status 3"
boot -- 'false 300'
expect boot-status-out-of-range "want 1 and the exact 300 in the message; got $rc, '$last'" \
  test $rc = 1 -a "$last" = "boot: exit status 300 (outside 0..255: 1)"

# ---- a timeout is 124 ----------------------------------------------
boot --timeout=2 -- 'echo start; cat'    # cat waits for console input forever
expect boot-timeout-124 "want 124 and 'boot: timeout after 2s'; got $rc, '$last'" \
  test $rc = 124 -a "$last" = "boot: timeout after 2s (exit status 124)"
run TIMEOUT=2 CMD=cat
expect run-timeout-printed "want make to fail with 'boot: timeout after 2s'; got $rc, '$last'" \
  test $rc != 0 -a "$last" = "boot: timeout after 2s (exit status 124)"

# ---- make qemu refuses a bad POLICY or CPUS before booting ---------
for bad in POLICY=nosuch CPUS=0 CPUS=9 CPUS=two MEM=8M MEM=1K; do
  timeout 60 make -s qemu $bad < /dev/null > $tmp/out 2>&1
  rc=$?
  expect "qemu-refuses-$bad" "want make to stop with the valid values and no boot; got status $rc: $(tail -c 200 $tmp/out)" \
    test $rc = 2 -a "$(grep -c 'xv6-cow' $tmp/out)" = 0 \
    -a "$(grep -cE 'valid policies: .*adaptive|want a number of harts from 1 to 8|want 16M or more' $tmp/out)" = 1
done
# and so does the batch runner's boot (8M: the kernel panicked at boot,
# unable to load its program image)
boot --mem=8M -- 'echo hi'
expect boot-mem-too-small "want 125 and 'bad MEM '8M': want 16M or more'; got $rc, '$last'" \
  test $rc = 125 -a "$last" = "boot: bad MEM '8M': want 16M or more, e.g. 128M or 1G"

# ---- input typed before the shell runs is not lost ------------------
# make qemu with the lines already waiting on stdin (pasted, or piped in
# as here): the UART's FIFO reset at boot used to drop the first byte
# and stall the rest (one hart: no input at all; the boot hung).
printf 'echo typed-ahead\nhalt\n' | timeout 120 make -s qemu CPUS=1 > $tmp/out 2>&1
rc=$?
expect qemu-typed-ahead "want the shell to run both lines (echo's 'typed-ahead' after a prompt, status 0); got status $rc: $(tail -c 300 $tmp/out | tr -d '\r' | tr '\n' '|')" \
  test $rc = 0 -a "$(tr -d '\r' < $tmp/out | grep -cx '\$ typed-ahead')" = 1

# ---- a kill says why: memory out, or a store nothing allows ---------
# cowtest's textwrite kills children storing to text and rodata; its
# cowoom (last, so the boot's status is its own) kills a child whose COW
# store finds memory out. Only the second kind may say "(out of memory)":
# the console is where a user learns which of the two happened.
boot --policy=cow -- 'cowtest -run textwrite; echo cowoom-next; cowtest -run cowoom'
kills() {   # kills BEFORE|AFTER: kill lines on that side of cowoom-next
  awk -v side=$1 '/^cowoom-next$/ { after = 1 }
    /killed by fault/ && (side == "AFTER") == (after == 1)' $tmp/out
}
plain=$(kills BEFORE | grep -vc '(out of memory)$')
plain_oom=$(kills BEFORE | grep -c '(out of memory)$')
oom=$(kills AFTER | grep -c 'scause 0xf .*(out of memory)$')
expect kill-says-out-of-memory "want status 0, textwrite's kills (3) without '(out of memory)' and cowoom's with it; got status $rc, $plain plain and $plain_oom marked before, $oom marked after: $(grep 'killed by\|^FAIL' $tmp/out | head -6 | tr '\n' '|')" \
  test $rc = 0 -a "$plain" -ge 2 -a "$plain_oom" = 0 -a "$oom" -ge 1

# ---- what the real kernel cannot be made to do, with a fake QEMU ----
fake() {   # fake NAME STATUS TEXT: a "QEMU" that prints TEXT, exits STATUS
  printf '#!/bin/sh\nprintf "%s"\nexit %s\n' "$3" "$2" > $tmp/$1
  chmod +x $tmp/$1
}
fake panic 3 'xv6-cow\npanic: test panic\n'
QEMU=$tmp/panic boot -- 'echo hi'
expect boot-panic-3 "want 3 and 'boot: kernel panic: test panic'; got $rc, '$last'" \
  test $rc = 3 -a "$last" = "boot: kernel panic: test panic (exit status 3)"
fake halted 0 'init: exit status 7\n'
QEMU=$tmp/halted boot -- 'echo hi'
expect boot-status-needs-init-poweroff "want 0: the line says 7 but something else powered off with 0; got $rc, '$last'" \
  test $rc = 0
fake sleeper 0 'xv6-cow\n'
sed -i 's/^exit 0$/exec sleep 30/' $tmp/sleeper
mkdir -p $tmp/logs
TESTLOGS=$tmp/logs GUEST_TIMEOUT=1 QEMU=$tmp/sleeper \
  .ci/testguest.sh cow 1 usertests > $tmp/tg 2>&1
expect testguest-timeout "want testguest to report a timeout; got: $(grep '^FAIL boot' $tmp/tg)" \
  grep -q '^FAIL boot policy=cow cpus=1: timeout' $tmp/tg
TESTLOGS=$tmp/logs QEMU=$tmp/panic .ci/testguest.sh cow 1 usertests > $tmp/tg 2>&1
expect testguest-panic "want testguest to report a kernel panic; got: $(grep '^FAIL boot' $tmp/tg)" \
  grep -q '^FAIL boot policy=cow cpus=1: kernel panic' $tmp/tg
fake three 1 'usertests: 1 passed, 0 failed\ninit: exit status 3\n'
TESTLOGS=$tmp/logs QEMU=$tmp/three .ci/testguest.sh cow 1 usertests > $tmp/tg 2>&1
expect testguest-status-3-not-panic "want 'exit status 3', not a panic; got: $(grep '^FAIL boot' $tmp/tg)" \
  grep -q '^FAIL boot policy=cow cpus=1: exit status 3 ' $tmp/tg

summary boot
