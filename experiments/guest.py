"""experiments/guest.py: boot the kernel in QEMU with one command, and
say how the boot ended. The one place QEMU is started from the host:
experiments/boot (make run, the test harness) and experiments/run (the
batch runner) both use it. Python standard library only.

How a boot ends (the status experiments/boot exits with):
  - the guest command's exact exit status, read from the line
    "init: exit status N" that user/init.c prints last (N in 0..255;
    a status outside that range gives 1);
  - PANIC_STATUS (3) if the kernel panicked (it prints "panic: ..."
    and powers off with 3, which user programs may not use);
  - TIMEOUT_STATUS (124) if the boot did not end in time.
"""

import functools
import os
import re
import select
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "kernel", "kernel")
QEMU = os.environ.get("QEMU", "qemu-system-riscv64")

PANIC_STATUS = 3
TIMEOUT_STATUS = 124
MAXCPUS = 8      # NCPU in kernel/param.h
MINMEM = 16      # MiB: the kernel and its program image need some 10
                 # (8M panicked at boot, unable to load the image)

INIT_LINE = re.compile(r"init: exit status (-?[0-9]+)\r?$", re.M)
PANIC_LINE = re.compile(r"^panic: (.*?)\r?$", re.M)


class Error(Exception):
    """Bad input or an unusable host: a one-line message."""


def param(name):
    """The value of '#define NAME number' in kernel/param.h."""
    path = os.path.join(ROOT, "kernel", "param.h")
    with open(path) as f:
        m = re.search(r"^#define\s+%s\s+([0-9]+)" % name, f.read(), re.M)
    if not m:
        raise Error("kernel/param.h has no '#define %s N'" % name)
    return int(m.group(1))


def cmdline_limit():
    """Bytes of command line the kernel keeps: BOOTARGS less the NUL."""
    return param("BOOTARGS") - 1


def registry_policies():
    """The policies in policies/registry.c: its `POLICY(NAME)` lines."""
    with open(os.path.join(ROOT, "policies", "registry.c")) as f:
        return re.findall(r"^\s*POLICY\(([a-z0-9_]+)\)", f.read(), re.M)


def bootline(policy, args, cmd):
    """The kernel command line: policy, key=value arguments, then the
    command after ' -- '. Raises Error if the kernel would not keep it
    whole, or if args would cut the command short."""
    if policy not in registry_policies():
        raise Error("unknown policy '%s'; valid policies: %s"
                    % (policy, " ".join(registry_policies())))
    words = args.split()
    if "--" in words:
        raise Error("ARGS may not contain '--' (it starts the command)")
    if not cmd.strip():
        raise Error("empty command (init would start an interactive shell)")
    if "\0" in cmd:
        raise Error("the command contains a NUL byte")
    line = " ".join(["policy=" + policy] + words + ["--", cmd])
    n, limit = len(line.encode()), cmdline_limit()
    if n > limit:
        raise Error("command line too long: %d bytes, the kernel keeps %d "
                    "(BOOTARGS %d in kernel/param.h, less the NUL); the "
                    "command may be at most %d bytes here"
                    % (n, limit, limit + 1, limit - (n - len(cmd.encode()))))
    return line


BOOTCHECK = os.path.join(ROOT, "build", "bootcheck")
_bootchecked = {}


def bootcheck(policy, args):
    """None if the kernel would accept the boot arguments 'policy=P ARGS',
    else the one-line message of build/bootcheck (user/bootcheck.c, the
    kernel's own check compiled for the host) saying why. Raises Error if
    the tool is not built. Answers are remembered: one run per line."""
    line = " ".join(["policy=" + policy] + args.split())
    if line not in _bootchecked:
        if not os.access(BOOTCHECK, os.X_OK):
            raise Error("%s not built: run make (or make build/bootcheck)" % BOOTCHECK)
        try:
            p = subprocess.run([BOOTCHECK, line], capture_output=True, text=True)
        except OSError as e:
            raise Error("cannot run %s: %s" % (BOOTCHECK, e.strerror))
        msg = (p.stderr.strip().splitlines() or [""])[0]
        if p.returncode not in (0, 2):
            raise Error("%s '%s' failed with status %d%s"
                        % (BOOTCHECK, line, p.returncode, ": " + msg if msg else ""))
        _bootchecked[line] = None if p.returncode == 0 else (
            msg or "refused (no message)")
    return _bootchecked[line]


@functools.lru_cache(maxsize=None)
def option_choices():
    """{key: [word, ...]} for the mechanism's options that take a word
    (kernel/options.c: the "a|b|c" of an entry, whose value is the word's
    index), e.g. {"ptlock": ["mm", "split", "cas"]}."""
    path = os.path.join(ROOT, "kernel", "options.c")
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        raise Error("cannot read %s: %s" % (path, e.strerror))
    found = {}
    for m in re.finditer(r'\{\s*"(\w+)",(.*?)\}', text, re.S):
        c = re.search(r'"(\w+(?:\|\w+)+)"', m.group(2))
        if c:
            found[m.group(1)] = c.group(1).split("|")
    return found


def same_option(key, booted, reported, choices):
    """Whether a workload reporting key=reported agrees with the boot
    argument key=booted: the same text, or the index of the word booted
    (what kparam returns for an option that takes a word)."""
    words = choices.get(key, [])
    return reported == booted or (booted in words and reported == str(words.index(booted)))


def check_machine(cpus, mem):
    """Raise Error unless cpus and mem are a machine QEMU virt can be."""
    if not re.fullmatch(r"[0-9]+", str(cpus)) or not 1 <= int(cpus) <= MAXCPUS:
        raise Error("bad CPUS '%s': want 1..%d" % (cpus, MAXCPUS))
    if not mem_ok(mem):
        raise Error("bad MEM '%s': want %dM or more, e.g. 128M or 1G" % (mem, MINMEM))


def mem_ok(mem):
    """Is mem a size QEMU's -m takes (M or G) and the kernel boots in?"""
    m = re.fullmatch(r"([1-9][0-9]*)([MG])", mem)
    return m is not None and (m.group(2) == "G" or int(m.group(1)) >= MINMEM)


def qemu_argv(line, cpus, mem, icount=False):
    """QEMU's command line for a boot with kernel command line `line`.
    icount: count instructions deterministically (the batch runner)."""
    check_machine(cpus, mem)
    argv = [QEMU, "-machine", "virt", "-bios", "none", "-kernel", KERNEL,
            "-m", mem, "-smp", str(cpus), "-nographic", "-monitor", "none"]
    if icount:
        argv += ["-icount", "shift=0,align=off,sleep=off"]
    return argv + ["-append", line]


def qemu_version():
    try:
        out = subprocess.run([QEMU, "--version"], capture_output=True,
                             text=True).stdout
    except OSError as e:
        raise Error("cannot run %s: %s" % (QEMU, e.strerror))
    m = re.search(r"version (\S+)", out)
    return m.group(1) if m else "unknown"


class Outcome:
    """How a boot ended. kind: 'exit', 'panic' or 'timeout'; status: the
    host-side exit status (see the module's comment); guest: the guest
    command's status as init printed it, or None; why: one line for
    humans; log: everything QEMU printed."""

    def __init__(self, kind, status, guest, why, log):
        self.kind, self.status, self.guest = kind, status, guest
        self.why, self.log = why, log


def poweroff_code(n):
    """The power-off status init uses for a command that exited n."""
    return n if 0 <= n <= 255 and n != PANIC_STATUS else 1


def judge(rc, log, timeout=None):
    """Interpret QEMU's exit status rc and its output log. timeout: the
    seconds after which the boot was stopped, or None if it ended."""
    if timeout is not None:
        return Outcome("timeout", TIMEOUT_STATUS, None,
                       "timeout after %ds" % timeout, log)
    if rc < 0:
        return Outcome("exit", 128 - rc, None,
                       "QEMU killed by signal %d" % -rc, log)
    panic = PANIC_LINE.search(log)
    if rc == PANIC_STATUS and panic:
        return Outcome("panic", PANIC_STATUS, None,
                       "kernel panic: %s" % panic.group(1), log)
    inits = INIT_LINE.findall(log)
    if inits and poweroff_code(int(inits[-1])) == rc:
        n = int(inits[-1])
        if 0 <= n <= 255:
            return Outcome("exit", n, n, "exit status %d" % n, log)
        return Outcome("exit", 1, n, "exit status %d (outside 0..255: 1)" % n, log)
    # No word from init: something else powered off (halt, a bad boot
    # argument), or QEMU itself failed.
    return Outcome("exit", rc, None, "exit status %d (QEMU's; init did not "
                   "report)" % rc, log)


def boot(argv, timeout, echo=None, merge_stderr=True):
    """Run QEMU with argv (from qemu_argv) for at most timeout seconds and
    return its Outcome. Everything QEMU prints is also written to echo (a
    binary file) as it comes, if given. QEMU's stderr goes into the log
    when merge_stderr, else to ours. On KeyboardInterrupt QEMU is stopped
    and the exception passed on."""
    if not os.path.exists(KERNEL):
        raise Error("%s not built: run make first" % KERNEL)
    try:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT if merge_stderr else None)
    except OSError as e:
        raise Error("cannot run %s: %s" % (argv[0], e.strerror))
    chunks, expired, eof = [], False, False
    deadline = time.monotonic() + timeout
    try:
        fd = p.stdout.fileno()
        while not eof:
            left = deadline - time.monotonic()
            if left <= 0:
                expired = True
                break
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            data = os.read(fd, 65536)
            eof = not data
            chunks.append(data)
            if echo is not None and data:
                echo.write(data)
                echo.flush()
    finally:
        # At EOF QEMU is exiting: give it a moment. Otherwise (timeout,
        # interrupt, an error) stop it now.
        try:
            p.wait(timeout=5 if eof else 0)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        p.stdout.close()
    log = b"".join(chunks).decode(errors="replace")
    return judge(p.returncode, log, timeout if expired else None)
