#!/usr/bin/env bash
# A make test step that proves the promise of policies/README.md: a new
# policy is one file in policies/ plus one line in registry.c. It copies
# the tree to a scratch directory, adds the README's own example policy
# (everyother) and its registry line, and checks that the host tests,
# the guest suites policytest and cowtest, and the experiment runner all
# take it, with no other file touched.
# Prints PASS/FAIL lines and "scratchpolicy: N passed, N failed".
set -u
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
finish() { echo "scratchpolicy: $passed passed, $failed failed"; [ $failed = 0 ]; exit; }

# The tree as it is now, tracked and new files, without build outputs.
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -C "$tmp" -xf -
cp -r "$tmp" "$tmp.orig" && trap 'rm -rf "$tmp" "$tmp.orig"' EXIT

# The example, exactly as policies/README.md shows it.
awk '/^## Writing a policy/ {inside = 1}
     inside && /^```c$/ {code = 1; next}
     code && /^```$/ {exit}
     code {print}' policies/README.md > "$tmp/policies/everyother.c"
if ! grep -q 'struct cow_policy policy_everyother' "$tmp/policies/everyother.c"; then
  fail readme_example "no everyother policy found in policies/README.md"
  finish
fi
sed -i 's/^#define POLICIES(POLICY) \\$/&\n  POLICY(everyother) \\/' "$tmp/policies/registry.c"
grep -q 'POLICY(everyother)' "$tmp/policies/registry.c" ||
  { fail registry_line "could not add the line to registry.c"; finish; }

changed=$(diff -rq "$tmp.orig" "$tmp" | sed "s|$tmp.orig|.|; s|$tmp|.|" | sort)
want="Files ./policies/registry.c and ./policies/registry.c differ
Only in ./policies: everyother.c"
if [ "$changed" = "$want" ]; then pass one_file_one_line
else fail one_file_one_line "the scratch tree differs in: $changed"; fi

cd "$tmp"
if make -s kernel/kernel > build.log 2>&1; then pass builds
else fail builds "see below"; tail -n 20 build.log; finish; fi

out=$(make -s hosttest 2>&1)
if echo "$out" | grep -q '^policies: [0-9]* passed, 0 failed' &&
   echo "$out" | grep -q '^PASS no_leak_everyother'; then pass hosttest
else fail hosttest "$(echo "$out" | grep -E '^FAIL|passed' | head -n 5)"; fi

out=$(make -s run POLICY=everyother CPUS=1 CMD='policytest; cowtest' 2>&1)
for s in policytest cowtest; do
  if echo "$out" | grep -q "^$s: [0-9]* passed, 0 failed"; then pass "guest_$s"
  else fail "guest_$s" "$(echo "$out" | grep -E '^FAIL|^panic|passed' | head -n 5)"; fi
done

# The scratch tree is no git checkout: its data is "dirty" by definition.
if experiments/run -j 2 --allow-dirty -o runs.csv --policies everyother \
     experiments/matrix/quick > run.log 2>&1; then
  if experiments/check runs.csv everyother > check.log 2>&1; then pass runner
  else fail runner "$(grep "^FAIL" check.log | head -n 3)"; fi
else
  fail runner "$(tail -n 3 run.log)"
fi
finish
