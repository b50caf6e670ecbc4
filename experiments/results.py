"""experiments/results.py: the results CSV (experiments/README.md, "CSV"):
its columns, writing it safely, reading it back, where it came from
(provenance), and merging several into one."""

import csv
import datetime
import functools
import hashlib
import os
import re
import subprocess
import tempfile

import guest
from guest import Error, ROOT

# The counters every row has (every workload has printed them from the
# start), in the order of the CSV's first columns.
BASE_COUNTERS = [
    "faults", "cow_faults", "reuses", "copies_fork", "copies_fault",
    "copies_around", "wasted", "shared", "fork_instr", "fault_instr", "instr",
]
# The columns of the first CSVs, in their order; the configuration's boot
# arguments and heap offset come after them, then the counters added since
# (columns()).
OLD_COLUMNS = [
    "commit", "qemu", "cpus", "mem", "date", "workload", "policy", "rep",
    "pages", "frac", "children", "iters", "seed", "child", "op",
] + BASE_COUNTERS + ["dirty"]
CONFIG_COLUMNS = ["args", "heapoff"]
# Lock statistics (lk_CLASS_acq, _cont, _spin): counters whose names the
# workloads choose, so any column starting with this is one.
LOCK_PREFIX = "lk_"
# Columns that say where and when a row was measured, not what.
PROVENANCE = ["commit", "qemu", "date", "dirty"]
# The columns two measurements from different places must agree on.
ORIGIN = ["commit", "qemu"]


@functools.lru_cache(maxsize=None)
def vmstat_counters():
    """The counters of kernel/vmstat.h in its order: the names of its
    X(name, "meaning") lines (the VMSTAT_COUNTERS list). Read once."""
    path = os.path.join(ROOT, "kernel", "vmstat.h")
    try:
        with open(path) as f:
            names = re.findall(r'^\s*X\((\w+),\s*"', f.read(), re.M)
    except OSError as e:
        raise Error("cannot read %s: %s" % (path, e.strerror))
    if not names:
        raise Error("%s: no X(name, \"meaning\") lines in VMSTAT_COUNTERS" % path)
    return tuple(names)


def counters():
    """Every counter a row may have, in CSV order: the base ones, the
    other vmstat counters, and instr_raw (instructions with those of
    interrupts, where instr leaves them out)."""
    return BASE_COUNTERS + [c for c in vmstat_counters() + ("instr_raw",)
                            if c not in BASE_COUNTERS]


def is_counter(col):
    return col in counters() or col.startswith(LOCK_PREFIX) or col == "mtime"


def first_columns():
    return OLD_COLUMNS + CONFIG_COLUMNS + [c for c in counters() if c not in OLD_COLUMNS]


def check_counters(row):
    """None if the base counters are in row and every counter column of
    row is a non-negative integer, else what is wrong."""
    more = sorted(k for k in row if is_counter(k) and k not in BASE_COUNTERS)
    for k in BASE_COUNTERS + more:
        if not re.fullmatch(r"[0-9]+", row.get(k) or ""):
            return "counter %s=%r is not a non-negative integer" % (k, row.get(k))
    return None


def check_out(path):
    """Raise Error unless path can be written as an output CSV: its
    directory exists or can be made and takes new files (the CSV is
    written to a temporary file there and renamed), and path itself, if
    present, is a writable file. Tries for real, so root is checked too."""
    if os.path.isdir(path):
        raise Error("output %s is a directory" % path)
    d = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(d, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".run-check-", dir=d)
        os.close(fd)
        os.unlink(tmp)
    except OSError as e:
        raise Error("cannot write output %s: directory %s: %s"
                    % (path, e.filename or d, e.strerror))
    if os.path.exists(path):
        try:
            os.close(os.open(path, os.O_WRONLY))
        except OSError as e:
            raise Error("cannot write output %s: %s" % (path, e.strerror))


def git(*args):
    """git's output in the repository, "" if git fails or is missing."""
    try:
        return subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True,
                              text=True).stdout.rstrip()
    except OSError:
        return ""


def provenance(allow_dirty, out=None):
    """The provenance columns of rows measured now. A working tree with
    changes to tracked files (the output CSV `out` aside) is refused with
    Error unless allow_dirty; then commit gets "-dirty-" and a hash of the
    changes, and dirty is 1: rows measured with other uncommitted changes
    then differ in origin (check_origin), where a plain "-dirty" let a
    resumed run keep rows of code that had changed since."""
    commit = git("rev-parse", "HEAD").strip() or "unknown"
    spec = ["--", "."]
    if out:
        rel = os.path.relpath(os.path.abspath(out), ROOT)
        if not rel.startswith(".."):
            spec.append(":(exclude)" + rel)
    changed = [ln[3:] for ln in
               git("status", "--porcelain", "--untracked-files=no", *spec).splitlines()]
    if changed and not allow_dirty:
        raise Error("the working tree has uncommitted changes (%s%s): commit "
                    "them, or measure anyway with --allow-dirty (make: "
                    "ALLOW_DIRTY=1), recorded as dirty=1"
                    % (", ".join(changed[:3]), ", ..." if len(changed) > 3 else ""))
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    if changed:
        diff = git("diff", "HEAD", *spec)
        commit += "-dirty-" + hashlib.sha1(diff.encode()).hexdigest()[:8]
    return {"commit": commit,
            "qemu": guest.qemu_version(), "date": date,
            "dirty": "1" if changed else "0"}


def columns(rows):
    """first_columns(), then the other keys of rows, sorted, the lock
    statistics last."""
    first = first_columns()
    extra = sorted({k for r in rows for k in r} - set(first),
                   key=lambda k: (k.startswith(LOCK_PREFIX), k))
    return first + extra


def sort_key(r):
    num = lambda k: int(r[k]) if str(r.get(k, "")).isdigit() else 0
    return (r.get("policy", ""), num("cpus"), r.get("mem", ""), r.get("args") or "",
            num("rep"))


def write_csv(path, rows):
    """Write rows to path through a temporary file and a rename, sorted
    by configuration (stable: a boot's rows keep their order)."""
    rows = sorted(rows, key=sort_key)
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".run-", suffix=".csv", dir=d)
    try:
        # mkstemp makes the file private; a results CSV is not
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=columns(rows), restval="",
                               lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def read_csv(path):
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise Error("cannot read %s: %s" % (path, e.strerror))
    if rows and any(k not in rows[0] for k in ("workload", "policy", "rep", "cpus", "mem")):
        raise Error("%s is not a results CSV of experiments/run" % path)
    return rows


def done_in(c, rows):
    """Whether every run of configuration c already has rows in rows."""
    mine = [r for r in rows if r.get("policy") == c.policy and r.get("cpus") == str(c.cpus)
            and r.get("mem") == c.mem and (r.get("args") or "") == c.args
            and r.get("rep") == str(c.rep)]
    return all(any(run.matches(r) for r in mine) for run in c.runs)


def origin(row):
    return "commit %s, QEMU %s" % (row.get("commit") or "?", row.get("qemu") or "?")


def check_origin(sources, what="--allow-mixed"):
    """sources: [(name, rows)]. Raise Error if the rows do not all come
    from one commit and one QEMU version, naming two that differ."""
    first = None
    for name, rows in sources:
        for r in rows:
            o = tuple(r.get(k, "") for k in ORIGIN)
            if first is None:
                first = (name, r, o)
            elif o != first[2]:
                raise Error("%s (%s) and %s (%s) come from different commits or "
                            "QEMU versions; measure again, or merge anyway with %s"
                            % (first[0], origin(first[1]), name, origin(r), what))


def measurement(row):
    """What a row measured: every column but the counters and provenance."""
    return tuple(sorted((k, v) for k, v in row.items()
                        if v and k not in PROVENANCE and not is_counter(k)))


def check_duplicates(sources):
    """sources: [(name, rows)]. Raise Error if one measurement (same
    configuration, workload, parameters, child and op) is in two rows."""
    seen = {}
    for name, rows in sources:
        for r in rows:
            m = measurement(r)
            if m in seen:
                desc = " ".join("%s=%s" % (k, r.get(k)) for k in
                                ("policy", "cpus", "mem", "rep", "workload"))
                if r.get("args"):
                    desc += " args='%s'" % r["args"]
                raise Error("%s measured twice (%s and %s): refusing duplicate "
                            "configurations" % (desc, seen[m], name))
            seen[m] = name


def merge(sources, allow_mixed):
    """sources: [(name, rows)]. The rows of all, after the checks above."""
    if not allow_mixed:
        check_origin(sources)
    check_duplicates(sources)
    return [r for _, rows in sources for r in rows]
