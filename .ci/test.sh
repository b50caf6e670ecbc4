#!/usr/bin/env bash
# make test: run every test step, each of which ends with a line
# "... N passed, N failed", and sum them into the closing line.
# Usage: .ci/test.sh "step command" ...
#
# TESTJOBS steps run at a time (default: the number of cores). Most steps
# keep one core busy (a one-hart QEMU, R), so two at a time on two cores
# takes about half as long. Steps start in the order given, so the caller
# lists the longest first. Each step's output is kept and printed whole
# when it ends, so blocks never interleave; a line "-> step" says when
# it started. Steps must not share files: each works in a directory of
# its own (mktemp, or a log name of its own under build/).
set -u
jobs=${TESTJOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in ''|*[!0-9]*|0)
  echo "test.sh: TESTJOBS must be a positive number, not '$jobs'" >&2; exit 2 ;;
esac
total_p=0 total_f=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=$dir/fails
: > "$fails"

# Step i's output goes to $dir/i.out, its exit status to $dir/i.rc when it
# ends, its start time to $dir/i.t0.
start() {
  local i=$1 step=$2
  echo "-> $step"
  date +%s > "$dir/$i.t0"
  ( bash -c "$step" > "$dir/$i.out" 2>&1 < /dev/null
    echo $? > "$dir/$i.rc.tmp" && mv "$dir/$i.rc.tmp" "$dir/$i.rc" ) &
}

# Print step i's block and add its counts to the totals.
finish() {
  local i=$1 step=$2 out=$dir/$1.out rc last p f
  rc=$(cat "$dir/$i.rc")
  echo "== $step"
  cat "$out"
  echo "-- $(( $(date +%s) - $(cat "$dir/$i.t0") )) s"
  last=$(grep -oE '[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
  grep -E '^ *(\[[^]]*\] )?FAIL' "$out" | sed "s|^ *|  |" >> "$fails"
  if [ -z "$last" ]; then
    echo "FAIL step '$step': no 'N passed, N failed' line (exit status $rc)" | tee -a "$fails"
    total_f=$((total_f + 1))
    return
  fi
  p=$(echo "$last" | awk '{print $1}')
  f=$(echo "$last" | awk '{print $3}')
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    echo "FAIL step '$step': exit status $rc" | tee -a "$fails"
    f=1
  fi
  total_p=$((total_p + p))
  total_f=$((total_f + f))
}

steps=("$@")
n=${#steps[@]}
next=0 running=0
declare -A done_=()
while [ $next -lt $n ] || [ $running -gt 0 ]; do
  while [ $running -lt $jobs ] && [ $next -lt $n ]; do
    start $next "${steps[$next]}"
    next=$((next + 1)) running=$((running + 1))
  done
  sleep 1
  for ((i = 0; i < next; i++)); do
    if [ -z "${done_[$i]:-}" ] && [ -f "$dir/$i.rc" ]; then
      done_[$i]=1
      running=$((running - 1))
      finish $i "${steps[$i]}"
    fi
  done
done
wait

# What failed, again at the end: a long run's log is often read from
# its tail only.
if [ -s "$fails" ]; then
  echo "== what failed"
  head -n 40 "$fails"
fi
echo "$total_p passed, $total_f failed"
[ $total_f = 0 ]
