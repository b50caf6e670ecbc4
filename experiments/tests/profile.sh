#!/usr/bin/env bash
# experiments/tests/profile.sh (in make test): experiments/profile counts
# what the guest ran. user/ownclock spins a loop of exactly 2n
# instructions, so two boots that differ only in n differ by 2 x 200,000
# user instructions, give or take the profile's approximation (a block
# cut short by a timer deadline before its first instruction is counted
# whole: a few dozen more; and, where the deadlines fall depending on
# the image's layout, a few fewer: 399,994 in a clean clone at 660a099,
# where the only change was cowfuzz's size; cause not found); a COW
# fault shows up in cow_fault,
# and --func counts the lines of one function. Bad input is refused.
set -u
cd "$(dirname "$0")/../.."
. experiments/tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

user() { awk '$2 == "(user)" { print $1 }' "$1"; }
experiments/profile --mem 128M --top 1000 -- "ownclock 100000; writetest 16" > $tmp/a 2> $tmp/ea
ra=$?
experiments/profile --mem 128M --top 1000 -- "ownclock 300000; writetest 16" > $tmp/b 2> $tmp/eb
rb=$?
expect boots "want both profiles; got status $ra, $rb: $(tail -n 2 $tmp/ea $tmp/eb)" \
  test $ra = 0 -a $rb = 0
ua=$(user $tmp/a) ub=$(user $tmp/b)
d=$(( ${ub:-0} - ${ua:-0} ))
expect loop-counted "want 399,800 to 400,200 more user instructions; got $d" \
  test $d -ge 399800 -a $d -le 400200
expect fault-seen "want cow_fault in the profile of writetest's COW fault" \
  grep -q ' cow_fault$' $tmp/b
expect total-line "want a total at least the sum of the listed counts" \
  awk '/^total/ { t = $2 } /^ +[0-9]+ / { s += $1 } END { exit !(t > 0 && t >= s) }' $tmp/b

experiments/profile --mem 128M --func cow_fault --top 5 -- "writetest 16" > $tmp/f 2> $tmp/ef
expect func-lines "want cow.c lines under --func cow_fault; got $(tail -n 2 $tmp/ef)" \
  grep -q ' cow\.c:[0-9]' $tmp/f

experiments/profile --policy nosuch -- "echo x" > $tmp/o 2> $tmp/e
rc=$?
expect bad-policy "want status 2 and the valid policies; got $rc: $(cat $tmp/e)" \
  sh -c "test $rc = 2 && grep -q 'valid policies' $tmp/e"
experiments/profile --mem 128M --func no_such_function -- "echo x" > $tmp/o 2> $tmp/e
rc=$?
expect bad-func "want status 2 naming the function; got $rc: $(cat $tmp/e)" \
  sh -c "test $rc = 2 && grep -q no_such_function $tmp/e"
summary profile
