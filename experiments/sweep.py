"""experiments/sweep.py: a sweep cut into jobs that can run anywhere.

`prepare` writes the --list lines not yet measured in OUT to OUT.parts/:
`list` (all of them) and `todo` (those without a finished part), one
"KEY<tab>LINE" per line. Each job runs one line,
    experiments/run --only LINE -o OUT.parts/KEY.csv --logs OUT.logs
and `collect` merges OUT and the parts into OUT, refusing parts of other
commits or QEMU versions and duplicates (results.merge). A sweep that
stopped half-way is resumed by preparing again: finished parts are kept.
GNU parallel runs the jobs here (run_parallel, --engine parallel), Slurm
on a cluster (experiments/slurm/)."""

import os
import shlex
import shutil
import subprocess
import sys

import matrix
import results
from guest import Error, ROOT

RUNNER = os.path.join(ROOT, "experiments", "run")


def workdir(out):
    return out + ".parts"


def logdir(out):
    return out + ".logs"


def part_path(out, key):
    return os.path.join(workdir(out), key + ".csv")


def write_entries(path, configs):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        for c in configs:
            f.write("%s\t%s\n" % (c.key(), c.line()))
    os.replace(tmp, path)


def read_entries(path):
    """[(key, Config)] from a list written by write_entries."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise Error("cannot read %s: %s (prepare the sweep first)" % (path, e.strerror))
    entries = []
    for n, ln in enumerate(lines, 1):
        key, tab, line = ln.partition("\t")
        if not tab:
            raise Error("%s:%d: not KEY<tab>LINE" % (path, n))
        entries.append((key, matrix.parse_line(line)))
    return entries


def prepare(configs, out, prov, allow_mixed, write=True):
    """Write OUT.parts/list and OUT.parts/todo for configs (see above;
    not if write is false). Returns (pending, todo): the configurations
    not in OUT, and those of them still to run. Raises Error if OUT or a
    part comes from another commit or QEMU than prov, unless allow_mixed."""
    here = ("this tree", [prov])
    rows = results.read_csv(out) if os.path.exists(out) else []
    if not allow_mixed:
        results.check_origin([(out, rows), here])
    pending = [c for c in configs if not results.done_in(c, rows)]
    todo = []
    for c in pending:
        p = part_path(out, c.key())
        prows = results.read_csv(p) if os.path.exists(p) else []
        if not allow_mixed:
            results.check_origin([(p, prows), here])
        if not results.done_in(c, prows):
            todo.append(c)
    if not write:
        return pending, todo
    os.makedirs(workdir(out), exist_ok=True)
    write_entries(os.path.join(workdir(out), "list"), pending)
    write_entries(os.path.join(workdir(out), "todo"), todo)
    return pending, todo


def collect(out, allow_mixed):
    """Merge OUT and the finished parts of OUT.parts/list into OUT.
    Returns (merged, missing): the number of parts merged and the
    configurations without a finished part. Merged parts are removed
    (their rows are in OUT now), and OUT.parts/ with them when none is
    missing."""
    wd = workdir(out)
    entries = read_entries(os.path.join(wd, "list"))
    sources = [(out, results.read_csv(out) if os.path.exists(out) else [])]
    missing = []
    for key, c in entries:
        p = part_path(out, key)
        prows = results.read_csv(p) if os.path.exists(p) else []
        if prows and results.done_in(c, prows):
            sources.append((p, prows))
        else:
            missing.append(c)
    rows = results.merge(sources, allow_mixed)
    if len(sources) > 1:
        results.write_csv(out, rows)
    for p, _ in sources[1:]:
        os.unlink(p)
    if not missing:
        for fn in ("list", "todo", "joblog"):
            if os.path.exists(os.path.join(wd, fn)):
                os.unlink(os.path.join(wd, fn))
        try:
            os.rmdir(wd)
        except OSError:
            pass   # something else left in it: keep it
    return len(sources) - 1, missing


def job_command(out, timeout, flags):
    """The shell command a job runs, with {1} for the key and {2} for the
    line (GNU parallel's columns; it quotes what it puts there)."""
    q = shlex.quote
    return " ".join([q(RUNNER), "--only", "{2}", "-o", q(workdir(out)) + "/{1}.csv",
                     "--logs", q(logdir(out)), "--timeout", str(timeout)] +
                    [q(f) for f in flags])


def run_parallel(out, jobs, timeout, flags, sshloginfile=None):
    """Run OUT.parts/todo through GNU parallel: one job per line, at most
    jobs at a time (None: parallel's default, a job per core of each
    host), on the hosts of sshloginfile if given. Returns parallel's exit
    status (the number of failed jobs, or more than 100 on its errors)."""
    if not shutil.which("parallel"):
        raise Error("GNU parallel not found: install Debian's 'parallel' "
                    "(.ci/deps.sh build does)")
    wd = workdir(out)
    cmd = ["parallel", "--colsep", "\t", "--joblog", os.path.join(wd, "joblog")]
    if jobs:
        cmd += ["-j", str(jobs)]
    if sshloginfile:
        if not os.path.isfile(sshloginfile):
            raise Error("cannot read ssh login file %s" % sshloginfile)
        # Parts come home with rsync unless the repository path is on a
        # file system the hosts share; then this copies a file onto itself.
        cmd += ["--sshloginfile", sshloginfile, "--return",
                os.path.abspath(wd) + "/{1}.csv"]
    # Progress: a bar on a terminal; each job's lines are tagged with its
    # number anyway (parallel prints them when the job ends).
    with open(os.path.join(wd, "todo")) as f:
        n = sum(1 for _ in f)
    cmd += ["--tagstring", "[job {#}/%d]" % n]
    if sys.stderr.isatty():
        cmd += ["--bar"]
    cmd += [job_command(os.path.abspath(out), timeout, flags), "::::",
            os.path.join(wd, "todo")]
    return subprocess.run(cmd, stdin=subprocess.DEVNULL).returncode
