"""experiments/matrix.py: the experiment matrix (experiments/README.md,
"Matrix format") and the workloads it names, turned into configurations:
one boot each, printed one per line by `experiments/run --list`."""

import hashlib
import os
import re

import guest
from guest import Error, ROOT, registry_policies

# The kernel keeps BOOTARGS - 1 = 511 bytes of command line and sh reads
# lines of at most 512 bytes: a configuration whose --list line or kernel
# command line ("policy=P ARGS heapoff=H -- cmds") is longer than this is
# run in several boots ("parts"), so every part fits.
MAXCMDLINE = 500

MATRIX_KEYS = ["policies", "cpus", "mem", "reps", "args", "run"]

# Repetition r boots with heapoff=rep_heapoff(r) (the heap starts that many
# pages further from the program) unless its args set heapoff: 0, 37, 74,
# ... pages. 37 is odd, so the first 4096 repetitions all differ (mod 4096,
# heapoff's range), and 37 = 5 (mod 16), so each repetition moves the heap
# by 5 pages against a 16-page fault-around window and elsewhere in the
# 512 pages one leaf page table maps.
HEAPOFF_STEP = 37
HEAPOFF_MOD = 4096


def rep_heapoff(rep):
    return rep * HEAPOFF_STEP % HEAPOFF_MOD


def arg_value(args, key):
    """The value of key in the boot arguments 'k=v ...', or None."""
    for w in args.split():
        k, _, v = w.partition("=")
        if k == key:
            return v
    return None


def parse_args_words(words, where):
    """One alternative of an args line (or of a --list line): key=value
    words, joined by single spaces ("" for none). Only the form is checked
    here; the keys and values are the kernel's (guest.bootcheck)."""
    for w in words:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=\S+", w):
            raise Error("%s: args: '%s' is not key=value" % (where, w))
        if w.startswith("policy="):
            raise Error("%s: args: policy= is set by the policies line" % where)
    return " ".join(words)


def parse_args_line(words, where):
    """The alternatives of 'args A | B | ...': each a list of key=value
    words, or '-' for none."""
    alts, cur = [], []
    for w in words + ["|"]:
        if w != "|":
            cur.append(w)
            continue
        if not cur:
            raise Error("%s: args: empty alternative (write - for no arguments)" % where)
        if cur == ["-"]:
            alts.append("")
        else:
            alts.append(parse_args_words(cur, where))
        cur = []
    if len(set(alts)) != len(alts):
        raise Error("%s: args: an alternative given twice" % where)
    return alts


def workloads():
    """{name: [(param, default), ...]} from the USAGE line of each
    experiments/NAME.c, e.g. #define USAGE "seqwrite [pages=1024] [frac=50]"."""
    found = {}
    d = os.path.join(ROOT, "experiments")
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".c"):
            continue
        name = fn[:-2]
        with open(os.path.join(d, fn)) as f:
            m = re.search(r'^#define USAGE "(\S+)((?: \[\w+=\d+\])*)"', f.read(), re.M)
        if not m or m.group(1) != name:
            raise Error("experiments/%s: no '#define USAGE \"%s [key=default] ...\"' line"
                        % (fn, name))
        found[name] = [(k, v) for k, v in re.findall(r"\[(\w+)=(\d+)\]", m.group(2))]
    return found


def parse_mem(s, where):
    if not guest.mem_ok(s):
        raise Error("%s: bad mem '%s': want %dM or more, e.g. 128M or 1G"
                    % (where, s, guest.MINMEM))
    return s


def positive(s, what, where, lo=1, hi=None):
    if not re.fullmatch(r"[0-9]+", s) or int(s) < lo or (hi is not None and int(s) > hi):
        raise Error("%s: bad %s '%s': want an integer in [%d, %s]"
                    % (where, what, s, lo, hi if hi is not None else "..."))
    return int(s)


class Run:
    """One workload command: its name, its full parameters (defaults filled
    in) and the positional command line the guest program takes."""

    def __init__(self, name, params, given):
        self.name = name
        self.params = params            # [(key, value)] in USAGE order
        # positional: up to the last parameter given
        last = max([i for i, (k, _) in enumerate(params) if k in given] or [-1])
        self.cmd = " ".join([name] + [v for _, v in params[:last + 1]])

    def matches(self, row):
        if row.get("workload") != self.name:
            return False
        return all(row.get(k) in (None, "", v) for k, v in self.params)


def parse_run(words, wl, where):
    name = words[0] if words else ""
    if name not in wl:
        raise Error("%s: unknown workload '%s'; valid workloads: %s"
                    % (where, name, " ".join(sorted(wl))))
    valid = [k for k, _ in wl[name]]
    given = {}
    for w in words[1:]:
        m = re.fullmatch(r"(\w+)=(.*)", w)
        if not m:
            raise Error("%s: '%s' is not key=value" % (where, w))
        k, v = m.groups()
        if k not in valid:
            raise Error("%s: %s has no parameter '%s'; valid: %s"
                        % (where, name, k, " ".join(valid) or "(none)"))
        if k in given:
            raise Error("%s: %s given twice" % (where, k))
        if not re.fullmatch(r"[0-9]+", v):
            raise Error("%s: %s=%s is not a non-negative integer" % (where, k, v))
        given[k] = str(int(v))
    params = [(k, given.get(k, d)) for k, d in wl[name]]
    return Run(name, params, given)


class Config:
    """One boot: the key that names it and the runs it carries out. args
    are the matrix's boot arguments ("" for none), as written."""

    def __init__(self, policy, cpus, mem, args, rep, runs, part=0):
        self.policy, self.cpus, self.mem, self.rep = policy, cpus, mem, rep
        self.args, self.runs, self.part = args, runs, part

    def cmdline(self):
        return "; ".join(r.cmd for r in self.runs)

    def heapoff(self):
        v = arg_value(self.args, "heapoff")
        return int(v) if v is not None else rep_heapoff(self.rep)

    def bootargs(self):
        """The arguments the kernel gets after policy=: args, and the
        repetition's heapoff unless args set it."""
        if arg_value(self.args, "heapoff") is not None:
            return self.args
        return " ".join(w for w in (self.args, "heapoff=%d" % self.heapoff()) if w)

    def kernel_line(self):
        return guest.bootline(self.policy, self.bootargs(), self.cmdline())

    def line(self):
        return "policy=%s cpus=%d mem=%s rep=%d%s -- %s" % (
            self.policy, self.cpus, self.mem, self.rep,
            " " + self.args if self.args else "", self.cmdline())

    def name(self):
        """Names the boot's log in a sweep of the whole matrix."""
        slug = re.sub(r"[^\w=.,-]", "_", self.args.replace(" ", ","))
        return "%s-cpus%d-%s%s-rep%d-part%d" % (
            self.policy, self.cpus, self.mem, "-" + slug if slug else "",
            self.rep, self.part)

    def key(self):
        """A file name that only this --list line has: names its part CSV
        (and its log) when lines run as separate jobs."""
        h = hashlib.sha1(self.line().encode()).hexdigest()[:10]
        return "%s-cpus%d-%s-rep%d-%s" % (self.policy, self.cpus, self.mem, self.rep, h)


def parse_matrix(path, policy_override):
    valid_pol = registry_policies()
    wl = workloads()
    if policy_override is not None:
        override = policy_override.split()
        bad = [p for p in override if p not in valid_pol]
        if bad or not override:
            raise Error("--policies: unknown policy %s; valid policies: %s"
                        % (" ".join(bad) or "(none given)", " ".join(valid_pol)))
    try:
        with open(path) as f:
            lines = f.readlines()
    except OSError as e:
        raise Error("cannot read matrix %s: %s" % (path, e.strerror))
    # --policies: a policy no policies line names (a new one) joins every
    # line; the others stay where the matrix has them.
    named = {w for ln in lines for w in ln.split("#", 1)[0].split()[1:]
             if ln.split()[:1] == ["policies"]}
    policies, cpus, mems, reps = None, [1], ["128M"], 1
    argalts, args_where = [""], "default args"
    groups = {}      # (policy, cpus, mem, args, rep) -> [Run]
    order = []
    for n, raw in enumerate(lines, 1):
        where = "%s:%d" % (path, n)
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        key, args = words[0], words[1:]
        if key not in MATRIX_KEYS:
            raise Error("%s: unknown key '%s'; valid keys: %s"
                        % (where, key, " ".join(MATRIX_KEYS)))
        if key != "run" and not args:
            raise Error("%s: '%s' needs a value" % (where, key))
        if key == "policies":
            bad = [p for p in args if p not in valid_pol]
            if bad and policy_override is None:
                raise Error("%s: unknown policy %s; valid policies: %s "
                            "(or restrict the run with --policies)"
                            % (where, " ".join(bad), " ".join(valid_pol)))
            policies = [p for p in override if p in args or p not in named] \
                if policy_override is not None else args
        elif key == "cpus":
            cpus = [positive(a, "cpus", where, 1, guest.MAXCPUS) for a in args]
        elif key == "mem":
            mems = [parse_mem(a, where) for a in args]
        elif key == "reps":
            if len(args) != 1:
                raise Error("%s: reps takes one number" % where)
            reps = positive(args[0], "reps", where, 1, 1000)
        elif key == "args":
            argalts, args_where = parse_args_line(args, where), where
        else:
            if policies is None:
                raise Error("%s: 'run' before any 'policies' line" % where)
            run = parse_run(args, wl, where)
            for p in policies:
                for c in cpus:
                    for m in mems:
                        for a in argalts:
                            for r in range(reps):
                                k = (p, c, m, a, r)
                                if k not in groups:
                                    check_bootargs(Config(*k, []), args_where)
                                    groups[k] = []
                                    order.append(k)
                                if any(x.cmd == run.cmd for x in groups[k]):
                                    raise Error("%s: '%s' twice in one configuration"
                                                % (where, run.cmd))
                                groups[k].append(run)
    if not order:
        raise Error("%s: no 'run' lines%s" % (
            path, " for the policies of --policies" if policy_override is not None else ""))
    configs = []
    for k in order:
        configs.extend(split_config(Config(*k, groups[k])))
    return configs


def check_bootargs(c, where):
    """Raise Error, with the kernel's reason, if the kernel would refuse
    c's boot arguments. where: the args line they come from."""
    for args in (c.args, c.bootargs()):
        why = guest.bootcheck(c.policy, args)
        if why:
            raise Error("%s: args '%s' with policy %s: the kernel refuses it: %s"
                        % (where, args, c.policy, why))


def too_long(c):
    """Whether c's --list line or its kernel command line (which the
    repetition's heapoff lengthens) is longer than MAXCMDLINE."""
    n = len(" ".join(["policy=" + c.policy, c.bootargs(), "--", c.cmdline()]))
    return max(len(c.line()), n) > MAXCMDLINE


def split_config(c):
    """Split c into boots whose command lines fit the kernel's limit."""
    out, cur = [], []
    for r in c.runs:
        trial = Config(c.policy, c.cpus, c.mem, c.args, c.rep, cur + [r])
        if cur and too_long(trial):
            out.append(cur)
            cur = [r]
        else:
            cur = cur + [r]
    out.append(cur)
    configs = [Config(c.policy, c.cpus, c.mem, c.args, c.rep, runs, i)
               for i, runs in enumerate(out)]
    for x in configs:
        if too_long(x):
            raise Error("command too long for one boot: %s" % x.cmdline())
    return configs


def parse_line(line):
    """A configuration line as printed by --list."""
    m = re.fullmatch(r"\s*policy=(\S+) cpus=(\d+) mem=(\S+) rep=(\d+)((?: \S+)*?) -- (.+?)\s*",
                     line)
    if not m:
        raise Error("--only: not a configuration line (see --list): %r" % line)
    pol, cpus, mem, rep, args, cmds = m.groups()
    if pol not in registry_policies():
        raise Error("--only: unknown policy '%s'; valid policies: %s"
                    % (pol, " ".join(registry_policies())))
    wl = workloads()
    runs = []
    for cmd in cmds.split(";"):
        words = cmd.split()
        if not words or words[0] not in wl:
            raise Error("--only: unknown workload in '%s'; valid workloads: %s"
                        % (cmd.strip(), " ".join(sorted(wl))))
        keys = [k for k, _ in wl[words[0]]]
        if len(words) - 1 > len(keys):
            raise Error("--only: too many parameters in '%s'" % cmd.strip())
        runs.append(parse_run([words[0]] + ["%s=%s" % kv for kv in zip(keys, words[1:])],
                              wl, "--only"))
    c = Config(pol, positive(cpus, "cpus", "--only", 1, guest.MAXCPUS), parse_mem(mem, "--only"),
               parse_args_words(args.split(), "--only"), int(rep), runs)
    check_bootargs(c, "--only")
    if too_long(c):
        raise Error("--only: command line longer than %d bytes" % MAXCMDLINE)
    return c
