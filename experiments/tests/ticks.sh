#!/usr/bin/env bash
# experiments/tests/ticks.sh (in make test): a thread's own instruction
# clock (threadinstr, kernel/sched.c) leaves out timer ticks and the
# work of other processes that run while the thread is preempted, so
# that a measured window does not hold them. One boot under -icount, one
# hart: user/ownclock spins loops of exactly 2n instructions, a short
# one alone and two long ones at once, each preempted by the other at
# every tick.
set -u
cd "$(dirname "$0")/../.."
. experiments/tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=16000000
experiments/boot --icount --cpus=1 -- \
  "ownclock 1000; ownclock $n & ownclock $n; echo end" > $tmp/out 2> $tmp/err
rc=$?
expect boot "want status 0 and 3 ownclock lines; got status $rc: $(tail -n 3 $tmp/err)" \
  test $rc = 0 -a "$(grep -c '^ownclock n=' $tmp/out)" = 3

# own - 2n of the short loop: what the two readings add (no tick lands
# in 2,000 instructions but by a rare chance, which the check would show).
base=$(awk '/^ownclock n=1000 /{sub("raw=","",$3); sub("own=","",$4); print $4 - 2000}' $tmp/out)
k=0
while read -r raw own; do
  k=$((k + 1))
  # raw holds the other spinner's 2n and the ticks: the test means
  # something only if they did land inside.
  expect "long-$k-preempted" "want raw - 2n > n (the other loop ran inside the window); got raw=$raw" \
    test $((raw - 2 * n)) -gt $n
  # own holds the loop, the base, and per tick only the trap vector's
  # register saves and restores (a few hundred instructions before
  # the kernel can read the counter): under 100 per million.
  leak=$((own - 2 * n - base))
  expect "long-$k-own" "want own - 2n - base ($leak) in [0, $((2 * n / 10000))]; got own=$own base=$base" \
    test $leak -ge 0 -a $leak -le $((2 * n / 10000))
done < <(awk -v n=$n '$2 == "n=" n {sub("raw=","",$3); sub("own=","",$4); print $3, $4}' $tmp/out)
expect long-lines "want 2 lines of n=$n; got $k" test $k = 2

summary ticks
