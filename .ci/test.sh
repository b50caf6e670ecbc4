#!/usr/bin/env bash
# make test: run every test step, each of which ends with a line
# "... N passed, N failed", and sum them into the closing line.
# Usage: .ci/test.sh "step command" ...
set -u
total_p=0 total_f=0
fails=$(mktemp)
trap 'rm -f $fails' EXIT
for step in "$@"; do
  echo "== $step"
  t0=$(date +%s)
  out=$(mktemp)
  bash -c "$step" 2>&1 | tee $out
  rc=${PIPESTATUS[0]}
  last=$(grep -oE '[0-9]+ passed, [0-9]+ failed' $out | tail -n 1)
  grep -E '^ *(\[[^]]*\] )?FAIL' $out | sed "s|^ *|  |" >> $fails
  rm -f $out
  echo "-- $(( $(date +%s) - t0 )) s"
  if [ -z "$last" ]; then
    echo "FAIL step '$step': no 'N passed, N failed' line (exit status $rc)" | tee -a $fails
    total_f=$((total_f + 1))
    continue
  fi
  p=$(echo "$last" | awk '{print $1}')
  f=$(echo "$last" | awk '{print $3}')
  if [ $rc != 0 ] && [ $f = 0 ]; then
    echo "FAIL step '$step': exit status $rc" | tee -a $fails
    f=1
  fi
  total_p=$((total_p + p))
  total_f=$((total_f + f))
done
# What failed, again at the end: a long run's log is often read from
# its tail only.
if [ -s $fails ]; then
  echo "== what failed"
  head -n 40 $fails
fi
echo "$total_p passed, $total_f failed"
[ $total_f = 0 ]
