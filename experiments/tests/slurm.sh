#!/usr/bin/env bash
# experiments/tests/slurm.sh "POLICIES" [REFERENCE.csv] (make test-slurm,
# and make test-experiments, which passes its plain run): the quick matrix
# through a one-node Slurm started here (experiments/slurm/localcluster;
# needs root, slurm-wlm and munge: .ci/deps.sh slurm). The lines of one
# policy are made to fail in the first submission (a QEMU wrapper refuses
# it); the merge job must then report them and keep the rest, and
# submitting again must run only those lines. The result must equal the
# plain runner's rows: REFERENCE.csv, or a plain run made here. The quick
# matrix's boots plus the failed policy's again (plus the reference's),
# and Slurm's scheduling: about half a minute here.
set -u
cd "$(dirname "$0")/../.."
. experiments/tests/lib.sh
pols=$1 ref=${2:-}
set -- $pols
victim=$1
tmp=$(mktemp -d)
cluster=$tmp/cluster
trap 'experiments/slurm/localcluster stop $cluster; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
Q=experiments/matrix/quick

if ! experiments/slurm/localcluster start $cluster > $tmp/up 2>&1; then
  fail slurm-cluster-up "$(cat $tmp/up)"
  summary slurm
  exit 1
fi
export SLURM_CONF=$cluster/slurm.conf
PATH=$PATH:/usr/sbin

# wait_jobs: until none of our jobs is queued or running (at most 10 min)
wait_jobs() {
  local i
  for i in $(seq 300); do
    [ -z "$(squeue -h -o %i 2> /dev/null)" ] && return 0
    sleep 2
  done
  return 1
}
# merge_state FILE: the state of the merge job named in submit's output
merge_state() {
  local id
  id=$(sed -n 's/^slurm: merge job \([0-9]*\) .*/\1/p' $1)
  scontrol show job "$id" 2> /dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'
}

if [ -n "$ref" ]; then
  cp "$ref" $tmp/plain.csv
else
  experiments/run --allow-dirty -o $tmp/plain.csv --policies "$pols" $Q 2> $tmp/err
  expect slurm-reference "plain runner: $(tail -n 2 $tmp/err)" test -s $tmp/plain.csv
fi

# First submission: the victim policy's boot fails.
real=$(command -v qemu-system-riscv64)
printf '#!/bin/sh\ncase "$*" in *policy=%s*) echo "refused by the test" >&2; exit 1 ;; esac\nexec %s "$@"\n' \
  $victim "$real" > $tmp/qemu
chmod +x $tmp/qemu
QEMU=$tmp/qemu make -s experiments-slurm QUICK=1 ALLOW_DIRTY=1 EXP_POLICIES="$pols" \
  OUT=$tmp/slurm.csv > $tmp/sub1 2>&1
rc=$?
n=$(experiments/run --list --policies "$pols" $Q | wc -l)
nv=$(experiments/run --list --policies "$victim" $Q | wc -l)   # the victim's lines
expect slurm-submit "want status 0 and one array of $n tasks; got $rc: $(head -c 400 $tmp/sub1)" \
  test $rc = 0 -a "$(grep -c "^slurm: array 1 of 1: $n tasks" $tmp/sub1)" = 1
expect slurm-jobs-finish "jobs still queued after 10 minutes: $(squeue 2>&1)" wait_jobs
st=$(merge_state $tmp/sub1)
merged=$(cat $tmp/slurm.csv.slurm/merge-*.out 2> /dev/null)
expect slurm-merge-reports-failed-line "want the merge job FAILED, naming the $nv $victim lines; got $st: $merged" \
  test "$st" = FAILED -a "$(echo "$merged" | grep -c "^run: FAILED policy=$victim ")" = $nv
pols_in() {   # the policies with rows in CSV $1, sorted
  python3 -c 'import csv,sys; print(" ".join(sorted({r["policy"] for r in csv.DictReader(open(sys.argv[1]))})))' "$1"
}
rest=$(echo $pols | tr ' ' '\n' | grep -vx $victim | sort | tr '\n' ' ' | sed 's/ $//')
expect slurm-merge-keeps-the-rest "want rows of '$rest' in the CSV; got '$(pols_in $tmp/slurm.csv 2>&1)'" \
  test "$(pols_in $tmp/slurm.csv 2>&1)" = "$rest"

# Second submission, QEMU fixed: only the failed line runs.
make -s experiments-slurm QUICK=1 ALLOW_DIRTY=1 EXP_POLICIES="$pols" \
  OUT=$tmp/slurm.csv > $tmp/sub2 2>&1
rc=$?
expect slurm-resubmit-only-failed "want $nv tasks; got $rc: $(head -c 400 $tmp/sub2)" \
  test $rc = 0 -a "$(grep -c "^slurm: array 1 of 1: $nv tasks" $tmp/sub2)" = 1
expect slurm-jobs-finish-again "jobs still queued after 10 minutes" wait_jobs
st=$(merge_state $tmp/sub2)
expect slurm-merge-completes "want COMPLETED; got $st: $(cat $tmp/slurm.csv.slurm/merge-*.out)" \
  test "$st" = COMPLETED
expect slurm-same-rows-as-plain "$(experiments/tests/samerows.py $tmp/slurm.csv $tmp/plain.csv)" \
  experiments/tests/samerows.py $tmp/slurm.csv $tmp/plain.csv
expect slurm-parts-removed "$tmp/slurm.csv.parts is still there" test ! -e $tmp/slurm.csv.parts

summary slurm
