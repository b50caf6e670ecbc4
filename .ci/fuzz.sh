#!/usr/bin/env bash
# make fuzz: boot once per (policy, CPUS) and run "fuzz SEED CALLS" and
# "cowfuzz SEED ROUNDS" in it; count their PASS and FAIL lines (one per
# round of either fuzzer). A boot that panics, times out or does not
# finish counts as a failure. Logs are kept in build/fuzz-logs/.
# Usage: .ci/fuzz.sh "policies" "cpus list" seed calls [rounds]
# Prints "fuzz: N passed, N failed" last; exits 1 if anything failed.
set -u
policies=$1 cpuslist=$2 seed=$3 calls=$4 rounds=${5:-400}
logs=build/fuzz-logs
mkdir -p $logs
# about 3 ms a call and 0.3 s a round under a loaded host, and the boot
timeout=${GUEST_TIMEOUT:-$((calls / 300 + rounds / 3 + 300))}
passed=0 failed=0
for p in $policies; do
  for c in $cpuslist; do
    log=$logs/$p-cpus$c-seed$seed.log
    start=$(date +%s)
    make -s run POLICY=$p CPUS=$c TIMEOUT=$timeout \
      CMD="fuzz $seed $calls; cowfuzz $seed $rounds" > $log 2>&1
    rc=$?
    np=$(grep -c '^PASS ' $log)
    nf=$(grep -c '^FAIL ' $log)
    passed=$((passed + np))
    failed=$((failed + nf))
    why=
    if grep -q '^panic' $log; then why="kernel panic"
    elif [ $rc = 124 ]; then why="timeout after $timeout s"
    elif ! grep -q '^fuzz: [0-9]* passed, [0-9]* failed' $log; then
      why="fuzz did not finish (exit status $rc)"
    elif ! grep -q '^cowfuzz: [0-9]* passed, [0-9]* failed' $log; then
      why="cowfuzz did not finish (exit status $rc)"
    fi
    if [ -n "$why" ]; then
      failed=$((failed + 1))
      echo "FAIL boot policy=$p cpus=$c: $why (log: $log)"
      tail -n 15 $log | sed 's/^/    /'
    fi
    grep '^FAIL ' $log | sed "s/^/    [policy=$p cpus=$c] /"
    echo "policy=$p cpus=$c seed=$seed calls=$calls rounds=$rounds: $np passed," \
      "$nf failed ($(( $(date +%s) - start )) s)"
  done
done
echo "fuzz: $passed passed, $failed failed"
[ $failed = 0 ]
