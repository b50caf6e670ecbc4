#!/usr/bin/env bash
# experiments/tests/runner.sh "POLICIES" (make test-experiments): the batch
# runner. The quick matrix for POLICIES, checked (experiments/check); the
# same through ENGINE=parallel (resumed from a part left by an earlier
# sweep) and through SSHLOGINS gives the same rows; --merge refuses mixed
# commits, QEMU versions and duplicates; an unwritable OUT and a dirty
# tree are refused before any boot; a matrix's args are listed, and
# refused with the kernel's message (build/bootcheck) when it would refuse
# them; through a fake QEMU: the kernel lines carry the args and each
# repetition's heapoff, a counter added to kernel/vmstat.h and lk_*
# columns reach the CSV, a counter that is not a non-negative integer or
# an option reported otherwise than booted fails the boot; the Slurm
# helper's dry run runs every line once, in arrays sized for them; with
# TESTSLURM=1, the quick matrix through a one-node Slurm started here
# (tests/slurm.sh). The plain run is the reference the others are
# compared with: with the five policies the quick matrix is 9 boots, and
# all this about 21 boots of QEMU, 31 with Slurm; and 120 configurations
# drawn by experiments/randmatrix, run under one policy (some 8 boots).
set -u
cd "$(dirname "$0")/../.."
. experiments/tests/lib.sh
pols=$1
set -- $pols
first=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
R=experiments/run
Q=experiments/matrix/quick
same=experiments/tests/samerows.py

# ---- the plain runner: the reference ---------------------------------
$R --allow-dirty -o $tmp/plain.csv --policies "$pols" $Q 2> $tmp/err
rc=$?
expect runner-quick-matrix "exit status $rc: $(tail -n 3 $tmp/err)" test $rc = 0
experiments/check $tmp/plain.csv $pols > $tmp/check
grep -v '^experiments:' $tmp/check
add_counts $tmp/check
nconf=$($R --list --policies "$pols" $Q | wc -l)

# ---- experiments/vsbest on it: a line per configuration, the summary,
# and seqwrite's ratio to cow as the CSV gives it ----------------------
case " $pols " in *" adaptive "*" cow "*|*" cow "*" adaptive "*)
  experiments/vsbest --all $tmp/plain.csv > $tmp/vs 2>&1
  n=$(grep -c ' /cow ' $tmp/vs)
  expect vsbest-summary "want a line per configuration and 'adaptive: $n configurations'; got $(tail -n 1 $tmp/vs)" \
    sh -c "test $n -gt 0 && grep -q '^adaptive: $n configurations' $tmp/vs"
  want=$(python3 -c '
import csv, sys
r = {x["policy"]: int(x["instr"]) for x in csv.DictReader(open(sys.argv[1]))
     if x["workload"] == "seqwrite" and x["rep"] == "0" and not x["child"]
     and not x["op"] and x["args"] in ("", "-") and x["cpus"] == "1"}
print("%.3f" % (r["adaptive"] / r["cow"]))' $tmp/plain.csv)
  expect vsbest-ratio "want seqwrite /cow $want; got $(grep '^.. seqwrite' $tmp/vs)" \
    grep -q "^.. seqwrite .* /cow $want " $tmp/vs ;;
esac

# ---- ENGINE=parallel, resuming a sweep that stopped after one part ----
$R --prepare --allow-dirty --policies "$pols" -o $tmp/par.csv $Q 2> /dev/null
entry=$(head -n 1 $tmp/par.csv.parts/todo)
$R --only "${entry#*$'\t'}" --allow-dirty -o "$tmp/par.csv.parts/${entry%%$'\t'*}.csv" \
  2> /dev/null
make -s experiments QUICK=1 ENGINE=parallel ALLOW_DIRTY=1 EXP_POLICIES="$pols" \
  OUT=$tmp/par.csv > $tmp/par.out 2>&1
rc=$?
expect parallel-resumes "want status 0, 1 finished part and $((nconf - 1)) jobs; got $rc: $(grep '^run:' $tmp/par.out | head -n 2)" \
  test $rc = 0 -a "$(grep -c "; $((nconf - 1)) to run with GNU parallel, 1 finished parts" $tmp/par.out)" = 1 \
  -a "$(grep -c "^\[job $((nconf - 1))/$((nconf - 1))\]" $tmp/par.out)" -ge 1
expect parallel-same-rows-as-plain "$($same $tmp/par.csv $tmp/plain.csv)" \
  $same $tmp/par.csv $tmp/plain.csv
expect parallel-parts-removed-after-merge "$tmp/par.csv.parts is still there" \
  test ! -e $tmp/par.csv.parts

# ---- SSHLOGINS: the same jobs through --sshloginfile (here: ':') ------
echo : > $tmp/hosts
make -s experiments QUICK=1 SSHLOGINS=$tmp/hosts ALLOW_DIRTY=1 EXP_POLICIES=$first \
  OUT=$tmp/ssh.csv > $tmp/ssh.out 2>&1
rc=$?
expect sshlogins-same-rows "status $rc; $($same $tmp/plain.csv $tmp/ssh.csv $first)" \
  $same $tmp/plain.csv $tmp/ssh.csv $first

# ---- --merge: provenance and duplicates -----------------------------
# a.csv: the first policy's rows; b.csv: the others'; then b.csv with
# another commit, another QEMU.
python3 - $tmp "$first" <<'EOF'
import csv, sys
d, first = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(d + "/plain.csv", newline="")))
def put(name, rs, **change):
    with open("%s/%s.csv" % (d, name), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(dict(r, **change) for r in rs)
put("a", [r for r in rows if r["policy"] == first])
put("b", [r for r in rows if r["policy"] != first])
put("b-commit", [r for r in rows if r["policy"] != first], commit="0" * 40)
put("b-qemu", [r for r in rows if r["policy"] != first], qemu="1.0.0")
EOF
$R --merge $tmp/a.csv $tmp/b.csv -o $tmp/m.csv 2> $tmp/err
expect merge-parts "status $?: $(cat $tmp/err)" $same $tmp/m.csv $tmp/plain.csv
# refused: status 2, one line naming the cause, no output written
refused() {   # refused NAME PATTERN COMMAND...
  local name=$1 pat=$2
  shift 2
  rm -f $tmp/m2.csv
  "$@" > $tmp/out 2> $tmp/err
  local rc=$?
  expect $name "want status 2 and one line matching '$pat', no output; got $rc: $(head -c 300 $tmp/err)" \
    test $rc = 2 -a "$(wc -l < $tmp/err)" = 1 -a ! -e $tmp/m2.csv \
    -a "$(grep -c "$pat" $tmp/err)" = 1
}
refused merge-refuses-other-commit "different commits or QEMU versions" \
  $R --merge $tmp/a.csv $tmp/b-commit.csv -o $tmp/m2.csv
refused merge-refuses-other-qemu "QEMU 1.0.0" \
  $R --merge $tmp/a.csv $tmp/b-qemu.csv -o $tmp/m2.csv
refused merge-refuses-duplicates "measured twice" \
  $R --merge $tmp/a.csv $tmp/b.csv $tmp/a.csv -o $tmp/m2.csv
$R --merge $tmp/a.csv $tmp/b-commit.csv -o $tmp/m3.csv --allow-mixed 2> $tmp/err
expect merge-allow-mixed "status $?: $(cat $tmp/err)" \
  test "$(grep -c 0000000000 $tmp/m3.csv)" -gt 0
cp $tmp/b-commit.csv $tmp/old.csv
$R --allow-dirty --policies "$first" -o $tmp/old.csv $Q > $tmp/out 2> $tmp/err
rc=$?
expect runner-refuses-adding-to-other-commit "want status 2 and one line; got $rc: $(head -c 300 $tmp/err)" \
  test $rc = 2 -a "$(wc -l < $tmp/err)" = 1 -a "$(grep -c 'different commits' $tmp/err)" = 1 \
  -a "$(grep -c "^$first," $tmp/old.csv)" = 0

# ---- an unwritable OUT: one line, status 2, before any boot -----------
printf '#!/bin/sh\ntouch %s/booted\n' $tmp > $tmp/qemu
chmod +x $tmp/qemu
touch $tmp/file
for out in /proc/nonexistent/x.csv $tmp/file/x.csv $tmp; do
  for engine in local parallel; do
    QEMU=$tmp/qemu $R --engine $engine --allow-dirty --policies "$first" -o $out $Q \
      > $tmp/out 2> $tmp/err
    rc=$?
    expect "unwritable-out-$engine:$out" "want status 2, one line 'run: ...output...', no boot; got $rc: $(head -c 300 $tmp/err)" \
      test $rc = 2 -a "$(wc -l < $tmp/err)" = 1 -a ! -e $tmp/booted \
      -a "$(grep -c '^run: .*output' $tmp/err)" = 1
  done
done
make -s experiments QUICK=1 OUT=/proc/nonexistent/x.csv QEMU=$tmp/qemu > $tmp/out 2>&1
expect unwritable-out-make "want make to fail with the runner's line and no traceback; got: $(head -c 300 $tmp/out)" \
  test "$(grep -c '^run: cannot write output /proc/nonexistent/x.csv' $tmp/out)" = 1 \
  -a "$(grep -c Traceback $tmp/out)" = 0 -a ! -e $tmp/booted
QEMU=$tmp/qemu $R --merge $tmp/a.csv -o /proc/nonexistent/x.csv 2> $tmp/err
expect unwritable-out-merge "status $?: $(cat $tmp/err)" \
  grep -q '^run: cannot write output' $tmp/err

# ---- a dirty tree: refused unless --allow-dirty, which is recorded ----
# A throw-away repository with the runner's files, an empty committed
# data.csv, and the built kernel (untracked, as a build output).
repo=$tmp/repo
mkdir -p $repo/experiments $repo/kernel $repo/policies
cp experiments/run experiments/*.py experiments/*.c $repo/experiments/
cp policies/registry.c $repo/policies/
cp kernel/param.h kernel/vmstat.h kernel/options.c $repo/kernel/
printf 'policies %s\nrun writetest pages=16\n' $first > $repo/experiments/m
: > $repo/data.csv
g() { git -C $repo -c user.name=test -c user.email=test@localhost "$@" > /dev/null 2>&1; }
g init -q && g add -A && g commit -q -m clean
head=$(git -C $repo rev-parse HEAD)
cp kernel/kernel $repo/kernel/kernel
mkdir -p $repo/build && cp build/bootcheck $repo/build/
col() {   # col CSV COLUMN: the column's distinct values
  python3 -c 'import csv,sys; print(" ".join(sorted({r[sys.argv[2]] for r in csv.DictReader(open(sys.argv[1]))})))' "$@"
}
$repo/experiments/run -o $repo/clean.csv $repo/experiments/m 2> $tmp/err
expect clean-tree-provenance "want dirty=0 and commit $head; got status $?, $(col $repo/clean.csv dirty) $(col $repo/clean.csv commit)" \
  test "$(col $repo/clean.csv dirty)" = 0 -a "$(col $repo/clean.csv commit)" = $head
echo '# changed' >> $repo/experiments/m
QEMU=$tmp/qemu $repo/experiments/run -o $repo/dirty.csv $repo/experiments/m > $tmp/out 2> $tmp/err
rc=$?
expect dirty-tree-refused "want status 2, one line naming experiments/m and --allow-dirty, no boot, no CSV; got $rc: $(cat $tmp/err)" \
  test $rc = 2 -a "$(wc -l < $tmp/err)" = 1 -a ! -e $tmp/booted -a ! -e $repo/dirty.csv \
  -a "$(grep -c 'uncommitted changes (experiments/m).*--allow-dirty' $tmp/err)" = 1
$repo/experiments/run --allow-dirty -o $repo/dirty.csv $repo/experiments/m 2> $tmp/err
expect dirty-tree-recorded "want dirty=1 and commit $head-dirty-HASH; got status $?, $(col $repo/dirty.csv dirty) $(col $repo/dirty.csv commit)" \
  test "$(col $repo/dirty.csv dirty)" = 1 -a \
  "$(col $repo/dirty.csv commit | grep -cE "^$head-dirty-[0-9a-f]{8}\$")" = 1
# Other uncommitted changes are another origin: resuming into rows
# measured before them is refused (it would keep rows of other code).
echo '# changed again' >> $repo/experiments/m
cp $repo/dirty.csv $tmp/dirty-before.csv
$repo/experiments/run --allow-dirty -o $repo/dirty.csv $repo/experiments/m > $tmp/out 2> $tmp/err
rc=$?
expect dirty-change-refused "want status 2, different commits, the CSV unchanged; got $rc: $(cat $tmp/err)" \
  test $rc = 2 -a "$(grep -c 'different commits' $tmp/err)" = 1 \
  -a "$(cmp -s $repo/dirty.csv $tmp/dirty-before.csv && echo same)" = same
# The output CSV does not make the tree dirty, even when it is tracked
# (resuming into committed data): all of m is in it, so nothing boots.
g checkout -q experiments/m
cp $repo/clean.csv $repo/data.csv
$repo/experiments/run -o $repo/data.csv $repo/experiments/m > $tmp/out 2> $tmp/err
expect out-not-dirty "want status 0 and no boot; got $?: $(cat $tmp/err)" \
  test "$(grep -c 'already in' $tmp/err)" = 1 -a "$(grep -c '^run: 0 boots' $tmp/err)" = 1

# ---- args: parsed, listed, refused with the kernel's own message ------
printf 'policies %s\nreps 2\nargs - | ptshare=1 ptlock=split\nrun writetest pages=16\n' \
  $first > $tmp/am
$R --list $tmp/am > $tmp/list 2> $tmp/err
printf 'policy=%s cpus=1 mem=128M rep=%s -- writetest 16\n' $first 0 $first 1 > $tmp/want
printf 'policy=%s cpus=1 mem=128M rep=%s ptshare=1 ptlock=split -- writetest 16\n' \
  $first 0 $first 1 >> $tmp/want
expect args-listed "want one --list line per (args, rep); got $(cat $tmp/list $tmp/err)" \
  cmp -s $tmp/list $tmp/want
for bad in 'ptshare=2' 'ptlock=spin' 'nosuchkey=1' 'heapoff=4097'; do
  msg=$(build/bootcheck "policy=$first $bad" 2>&1)
  printf 'policies %s\nargs - | %s\nrun writetest pages=16\n' $first "$bad" > $tmp/bm
  $R --list $tmp/bm > $tmp/out 2> $tmp/err
  rc=$?
  expect "args-refused:$bad" "want status 2, one line ending in bootcheck's '$msg', no --list line; got $rc: $(cat $tmp/out $tmp/err)" \
    test $rc = 2 -a -n "$msg" -a ! -s $tmp/out -a "$(wc -l < $tmp/err)" = 1 \
    -a "$(grep -cF "$tmp/bm:2: args '$bad' with policy $first: the kernel refuses it: $msg" $tmp/err)" = 1
done
$R --only "policy=$first cpus=1 mem=128M rep=0 ptshare=2 -- writetest 16" --allow-dirty -o $tmp/x.csv \
  > $tmp/out 2> $tmp/err
rc=$?
expect args-refused-only "want status 2 and bootcheck's message, no boot; got $rc: $(cat $tmp/err)" \
  test $rc = 2 -a ! -e $tmp/x.csv -a "$(grep -c "bad value '2' for boot parameter ptshare" $tmp/err)" = 1

# ---- through a fake QEMU: the boot lines, heapoff, new counters -------
# A copy of the runner's files whose kernel/vmstat.h has one counter
# more, and a QEMU that records its -append and prints for each command
# an @result line with the base counters and $FAKE_EXTRA.
fake=$tmp/fake
mkdir -p $fake/experiments $fake/kernel $fake/policies $fake/build
cp experiments/run experiments/*.py experiments/*.c $fake/experiments/
cp policies/registry.c $fake/policies/
cp kernel/param.h kernel/options.c kernel/kernel $fake/kernel/
cp build/bootcheck $fake/build/
sed 's/^\(  X(intr_instr, *"[^"]*")\)$/\1 \\\n  X(test_counter, "a counter added for the test")/' \
  kernel/vmstat.h > $fake/kernel/vmstat.h
cat > $tmp/fakeqemu <<'FAKE'
#!/usr/bin/env python3
import os, sys
if "--version" in sys.argv:
    print("QEMU emulator version 0.0.1")
    sys.exit(0)
line = sys.argv[sys.argv.index("-append") + 1]
with open(os.environ["FAKE_LOG"], "a") as f:
    f.write(line + "\n")
policy = line.split()[0].split("=")[1]
base = " ".join("%s=1" % k for k in ("faults", "cow_faults", "reuses", "copies_fork",
    "copies_fault", "copies_around", "wasted", "shared", "fork_instr", "fault_instr", "instr"))
for cmd in line.split(" -- ", 1)[1].split(";"):
    w = cmd.split()
    print("@result workload=%s policy=%s pages=%s %s %s"
          % (w[0], policy, w[1], base, os.environ.get("FAKE_EXTRA", "")))
print("init: exit status 0")
FAKE
chmod +x $tmp/fakeqemu
printf 'policies %s\nreps 2\nargs - | ptshare=1 | heapoff=5\nrun writetest pages=16\n' \
  $first > $fake/m
printf 'policies %s\nrun writetest pages=16\n' $first > $fake/m1
fakerun() {   # fakerun OUT EXTRA [MATRIX]: run MATRIX ($fake/m) with FAKE_EXTRA=EXTRA
  rm -f $tmp/fake.log
  FAKE_LOG=$tmp/fake.log FAKE_EXTRA=$2 QEMU=$tmp/fakeqemu \
    $fake/experiments/run -j 1 -o $1 ${3:-$fake/m} > $tmp/out 2> $tmp/err
}
fakerun $fake/a.csv "test_counter=5 lk_pt_acq=3 lk_kalloc_spin=0"
rc=$?
sort $tmp/fake.log > $tmp/got
printf "policy=$first %s -- writetest 16\n" "heapoff=0" "heapoff=37" "ptshare=1 heapoff=0" \
  "ptshare=1 heapoff=37" "heapoff=5" "heapoff=5" | sort > $tmp/want
expect boot-lines-args-and-heapoff "want the kernel lines $(tr '\n' '|' < $tmp/want); got status $rc, $(tr '\n' '|' < $tmp/got) $(tail -n 2 $tmp/err)" \
  cmp -s $tmp/got $tmp/want
python3 - $fake/a.csv > $tmp/why <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
got = sorted((r["args"], r["rep"], r["heapoff"]) for r in rows)
want = sorted([("", "0", "0"), ("", "1", "37"), ("ptshare=1", "0", "0"),
               ("ptshare=1", "1", "37"), ("heapoff=5", "0", "5"), ("heapoff=5", "1", "5")])
if got != want:
    print("(args, rep, heapoff) %s, want %s" % (got, want))
PY
expect csv-args-and-heapoff-columns "$(cat $tmp/why)" test ! -s $tmp/why
hdr=$(head -n 1 $fake/a.csv)
expect csv-new-vmstat-counter "want args,heapoff after dirty, test_counter right after intr_instr (vmstat.h's order), the lk_* columns last, values 5 3 0; got $hdr" \
  test "$(echo "$hdr" | grep -c ',instr,dirty,args,heapoff,.*,intr_instr,test_counter,instr_raw,')" = 1 \
  -a "$(echo "$hdr" | sed 's/.*,instr_raw,//')" = "lk_kalloc_spin,lk_pt_acq" \
  -a "$(col $fake/a.csv test_counter) $(col $fake/a.csv lk_pt_acq) $(col $fake/a.csv lk_kalloc_spin)" = "5 3 0"
for extra in "test_counter=x" "lk_pt_acq=-1" "tables_shared="; do
  fakerun $fake/b.csv "$extra" $fake/m1
  rc=$?
  expect "bad-counter-refused:$extra" "want status 1, the boot failed naming ${extra%%=*}, no CSV; got $rc: $(tail -n 1 $tmp/err)" \
    test $rc = 1 -a ! -e $fake/b.csv \
    -a "$(grep -c "^run: FAILED .*: counter ${extra%%=*}='.*' is not a non-negative integer" $tmp/err)" = 1
done
fakerun $fake/c.csv "ptshare=0"
rc=$?
expect reported-option-must-match "want the 2 ptshare=1 boots failed, the others kept; got $rc: $(grep FAILED $tmp/err | head -n 1)" \
  test $rc = 1 -a "$(grep -c '^run: FAILED .*: booted ptshare=1 but writetest reports ptshare=0' $tmp/err)" = 2 \
  -a "$(grep -c ',writetest,' $fake/c.csv)" = 4
# an option that takes a word may be reported as the word or its index
printf 'policies %s\nargs ptlock=split\nrun writetest pages=16\n' $first > $fake/m2
for rep in split:0 1:0 cas:1 2:1 0:1; do
  rm -f $fake/d.csv
  fakerun $fake/d.csv "ptlock=${rep%:*}" $fake/m2
  rc=$?
  expect "reported-option-word-or-index:ptlock=${rep%:*}" "want status ${rep#*:} for a boot with ptlock=split; got $rc: $(tail -n 1 $tmp/err)" \
    test $rc = ${rep#*:}
done

# ---- Slurm: the dry run -----------------------------------------------
# Two hart counts and two memory sizes: four arrays, each sized for its
# lines; every --list line run by exactly one task.
printf 'policies %s\ncpus 1 2\nmem 128M 256M\nrun readtest pages=16\nrun writetest\n' \
  "$pols" > $tmp/m
for m in $tmp/m $Q experiments/matrix/full; do
  case $m in */full) p=$first ;; *) p=$pols ;; esac
  experiments/slurm/submit --dry-run --allow-dirty --policies "$p" -o $tmp/s.csv $m \
    > $tmp/dry 2> $tmp/err
  rc=$?
  $R --list --policies "$p" $m | sort > $tmp/list
  sed -n 's/^task [0-9]*: //p' $tmp/dry | sort > $tmp/tasks
  python3 - $tmp/dry > $tmp/why <<'EOF'
import re, sys
# Each "slurm: array" line: its size and resources, then its task lines
# 0..size-1, every one with the array's cpus and mem.
arrays, bad = [], []
mib = lambda n, unit: int(n) * (1024 if unit == "G" else 1)
for ln in open(sys.argv[1]):
    m = re.match(r"slurm: array \d+ of \d+: (\d+) tasks \(--array=0-(\d+)\), "
                 r"--cpus-per-task=(\d+) --mem=(\d+)M --time=\d+, for cpus=(\d+) mem=(\d+)([MG])", ln)
    if m:
        n, last, cores, mem, cpus = map(int, m.groups()[:5])
        gmem = mib(*m.groups()[5:])
        if last != n - 1 or cores != cpus or mem != gmem + 256:
            bad.append(ln.strip())
        arrays.append([n, cpus, gmem, 0])
        continue
    m = re.match(r"task (\d+): policy=\S+ cpus=(\d+) mem=(\d+)([MG]) ", ln)
    if m:
        a = arrays[-1]
        if int(m.group(1)) != a[3] or int(m.group(2)) != a[1] or mib(*m.groups()[2:]) != a[2]:
            bad.append(ln.strip()[:80])
        a[3] += 1
bad += ["array of %d tasks has %d task lines" % (a[0], a[3]) for a in arrays if a[0] != a[3]]
print("; ".join(bad[:3]) or len(arrays))
EOF
  name=slurm-dry-run:$(basename $m)
  want=$(awk '{print $2, $3}' $tmp/list | sort -u | wc -l)
  [ $m = $tmp/m ] && [ $want != 4 ] && fail $name "the test matrix should have 4 (cpus, mem)"
  expect $name "want status 0, one task per --list line ($(wc -l < $tmp/list)), $want arrays sized for their lines, nothing written; got $rc, $(wc -l < $tmp/tasks) tasks, $(cat $tmp/why) $(head -c 200 $tmp/err)" \
    test $rc = 0 -a -s $tmp/list -a "$(cat $tmp/why)" = "$want" -a ! -e $tmp/s.csv.parts
  expect $name-lines "task lines differ from --list" cmp -s $tmp/list $tmp/tasks
done

# ---- experiments/randmatrix: the same seed draws the same matrix,
# another seed another; every configuration drawn is one its program
# accepts (all of a large draw, one boot under the first policy) -------
experiments/randmatrix --seed 11 --count 40 > $tmp/r1
experiments/randmatrix --seed 11 --count 40 > $tmp/r2
experiments/randmatrix --seed 12 --count 40 > $tmp/r3
expect randmatrix-same-seed "seed 11 drew two matrices" cmp -s $tmp/r1 $tmp/r2
expect randmatrix-other-seed "seeds 11 and 12 drew the same matrix" \
  sh -c "! cmp -s $tmp/r1 $tmp/r3"
# Run drawn matrix $1 under the first policy into $1.csv: sets n (its
# configurations), rc and got (the whole-run rows written).
run_drawn() {
  n=$(grep -c '^run ' $1)
  $R --allow-dirty --policies $first -o $1.csv $1 > /dev/null 2> $tmp/rerr
  rc=$?
  got=$(python3 -c '
import csv, sys
print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if not r["child"] and not r["op"]))' \
    $1.csv 2> /dev/null)
}
experiments/randmatrix --seed 13 --count 120 > $tmp/rbig
run_drawn $tmp/rbig
expect randmatrix-all-accepted "want status 0 and $n whole-run rows; got $rc, $got rows: $(tail -n 2 $tmp/rerr)" \
  test $rc = 0 -a "$got" = "$n"
# walk, forkexec and scanholes (seqwrite with skip=) are drawn only
# when named (the documented seeds' default draws stay as they were),
# and then accepted too
expect randmatrix-opt-in-not-default "a default draw has walk, forkexec or skip=" \
  sh -c "! grep -qE '^run (walk|forkexec) | skip=' $tmp/rbig"
experiments/randmatrix --seed 13 --count 15 --workloads walk,forkexec,scanholes > $tmp/rwf
run_drawn $tmp/rwf
expect randmatrix-opt-in-accepted "want status 0 and $n whole-run rows, some scans with skip=; got $rc, $got rows: $(tail -n 2 $tmp/rerr)" \
  test $rc = 0 -a "$got" = "$n" -a \
    "$(grep -cE '^run (walk|forkexec) |^run seqwrite .* skip=[0-9]+ seed=' $tmp/rwf)" = "$n" -a \
    "$(grep -c ' skip=' $tmp/rwf)" -gt 0

# ---- Slurm for real: a one-node cluster here --------------------------
if [ "${TESTSLURM:-0}" != 0 ]; then
  if .ci/deps.sh slurm > $tmp/deps 2>&1; then
    experiments/tests/slurm.sh "$pols" $tmp/plain.csv > $tmp/slurm 2>&1
    cat $tmp/slurm
    add_counts $tmp/slurm
  else
    fail slurm-installed "$(tail -n 3 $tmp/deps) (TESTSLURM=0 skips the Slurm test)"
  fi
fi

summary experiments
