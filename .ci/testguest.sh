#!/usr/bin/env bash
# Boot the kernel once per (policy, CPUS) and run the guest test suites in
# it; count the PASS and FAIL lines. A boot that panics, times out or exits
# non-zero without a FAIL line counts as one failure. Logs are kept in
# build/test-logs/.
# Usage: .ci/testguest.sh "policies" "cpus list" "suites" ["boot args"]
# Prints "guest: N passed, N failed" last; exits 1 if anything failed.
set -u
policies=$1 cpuslist=$2 suites=$3 bootargs=${4:-}
tag=$(echo "$bootargs" | tr ' =' '_-')
logs=build/test-logs
mkdir -p $logs
cmd=$(echo $suites | sed 's/ /; /g')
passed=0 failed=0
for p in $policies; do
  for c in $cpuslist; do
    log=$logs/$p-cpus$c${tag:+-$tag}.log
    make -s run POLICY=$p CPUS=$c ARGS="$bootargs" \
      TIMEOUT=${GUEST_TIMEOUT:-300} CMD="$cmd" > $log 2>&1
    rc=$?
    np=$(grep -c '^PASS ' $log)
    nf=$(grep -c '^FAIL ' $log)
    passed=$((passed + np))
    failed=$((failed + nf))
    why=
    if grep -q '^panic' $log; then why="kernel panic"
    elif [ $rc = 124 ]; then why="timeout"
    elif [ $rc != 0 ] && [ $nf = 0 ]; then why="exit status $rc"
    fi
    for s in $suites; do
      grep -q "^$s: [0-9]* passed, [0-9]* failed" $log ||
        why="${why:+$why; }$s did not finish"
    done
    if [ -n "$why" ]; then
      failed=$((failed + 1))
      echo "FAIL boot policy=$p cpus=$c $bootargs: $why (log: $log)"
      tail -n 15 $log | sed 's/^/    /'
    fi
    grep '^FAIL ' $log | sed "s/^/    [policy=$p cpus=$c $bootargs] /"
    echo "policy=$p cpus=$c $bootargs: $np passed, $nf failed"
  done
done
echo "guest: $passed passed, $failed failed"
[ $failed = 0 ]
