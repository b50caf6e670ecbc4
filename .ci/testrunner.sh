#!/usr/bin/env bash
# A make test step that checks .ci/test.sh itself, which runs the steps
# in parallel and sums them: a failure in any step, a step with no
# summary line and a step that exits non-zero with "0 failed" must each
# count, whatever order the steps end in.
# Prints PASS/FAIL lines and "testrunner: N passed, N failed".
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0
check() {
  if [ "$2" = "$3" ]; then echo "PASS $1"; passed=$((passed + 1))
  else echo "FAIL $1: want '$3', got '$2'"; failed=$((failed + 1)); fi
}
for jobs in 1 2 3; do
  out=$(TESTJOBS=$jobs .ci/test.sh \
    'sleep 2; echo "a: 3 passed, 0 failed"' \
    'echo "b: 2 passed, 1 failed"; echo "FAIL b1: why"' \
    'exit 3' \
    'sleep 1; echo "c: 4 passed, 0 failed"; exit 1' \
    'echo "d: 5 passed, 0 failed"' 2>&1)
  rc=$?
  check "sums-jobs$jobs" "$(echo "$out" | tail -n 1)" "14 passed, 3 failed"
  check "status-jobs$jobs" "$rc" 1
  check "fails-listed-jobs$jobs" \
    "$(echo "$out" | sed -n '/^== what failed/,$p' | grep -c FAIL)" 3
  check "every-step-reported-jobs$jobs" "$(echo "$out" | grep -c '^== ')" 6
done
out=$(TESTJOBS=2 .ci/test.sh 'echo "a: 1 passed, 0 failed"' 'echo "b: 2 passed, 0 failed"' 2>&1)
check all-passed "$?:$(echo "$out" | tail -n 1)" "0:3 passed, 0 failed"
out=$(TESTJOBS=0 .ci/test.sh true 2>&1)
check bad-testjobs "$?" 2
echo "testrunner: $passed passed, $failed failed"
[ $failed = 0 ]
