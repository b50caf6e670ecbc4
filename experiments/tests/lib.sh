# Shared by the host-side test scripts of experiments/tests/: PASS/FAIL
# lines and the closing "NAME: N passed, N failed". Source it, then call
# pass/fail/expect, and finish with `summary NAME`.
passed=0 failed=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# expect NAME WHY COMMAND...: pass if COMMAND succeeds, else fail with WHY.
expect() {
  local name=$1 why=$2
  shift 2
  if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}

# Add the counts of a "N passed, N failed" line in file $1 (the last one).
add_counts() {
  local last
  last=$(grep -oE '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  if [ -z "$last" ]; then
    fail "$(basename "$1")" "no 'N passed, N failed' line"
    return
  fi
  passed=$((passed + $(echo "$last" | awk '{print $1}')))
  failed=$((failed + $(echo "$last" | awk '{print $3}')))
}

summary() {
  echo "$1: $passed passed, $failed failed"
  [ $failed = 0 ]
}
