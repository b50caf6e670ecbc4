#!/usr/bin/env bash
# Boot the kernel once per (policy, CPUS) and run the guest test suites in
# it; count the PASS and FAIL lines. A boot that panics, times out or exits
# non-zero without a FAIL line counts as one failure. Logs are kept in
# build/test-logs/ (TESTLOGS=dir: there). experiments/boot boots (make
# run's script): its exit
# status is the suites' (3: panic, 124: timeout, 125: could not boot), and
# its last line says which, so a suite that exits 3 is not a panic.
# Usage: .ci/testguest.sh "policies" "cpus list" "suites" ["boot args"]
# (boot args: mechanism options such as "ptshare=1", for every boot).
# Prints "guest: N passed, N failed" last; exits 1 if anything failed.
set -u
policies=$1 cpuslist=$2 suites=$3 bootargs=${4:-}
tag=$(echo "$bootargs" | tr ' =' '_-')
what=${bootargs:+ $bootargs}
logs=${TESTLOGS:-build/test-logs}
mkdir -p $logs
cmd=$(echo $suites | sed 's/ /; /g')
passed=0 failed=0
for p in $policies; do
  for c in $cpuslist; do
    log=$logs/$p-cpus$c${tag:+-$tag}.log
    experiments/boot --policy="$p" --cpus="$c" --args="$bootargs" \
      --timeout="${GUEST_TIMEOUT:-300}" -- "$cmd" > $log 2>&1
    rc=$?
    how=$(grep '^boot: ' $log | tail -n 1)
    np=$(grep -c '^PASS ' $log)
    nf=$(grep -c '^FAIL ' $log)
    passed=$((passed + np))
    failed=$((failed + nf))
    why=
    case $rc:$how in
    3:"boot: kernel panic"*) why="kernel panic" ;;
    124:"boot: timeout"*) why="timeout" ;;
    125:*) why="could not boot: ${how#boot: }" ;;
    0:*) ;;
    *) [ $nf = 0 ] && why="exit status $rc" ;;
    esac
    for s in $suites; do
      grep -q "^$s: [0-9]* passed, [0-9]* failed" $log ||
        why="${why:+$why; }$s did not finish"
    done
    if [ -n "$why" ]; then
      failed=$((failed + 1))
      echo "FAIL boot policy=$p cpus=$c$what: $why (log: $log)"
      tail -n 15 $log | sed 's/^/    /'
    fi
    grep '^FAIL ' $log | sed "s/^/    [policy=$p cpus=$c$what] /"
    echo "policy=$p cpus=$c$what: $np passed, $nf failed"
  done
done
echo "guest: $passed passed, $failed failed"
[ $failed = 0 ]
