// exp.h: what the workload programs in experiments/ share: argument
// parsing, a page-aligned heap, taking the measurements and printing the
// @result line. Every workload is a program of its own, so these are
// static functions and each program carries the ones it uses.
//
// Each workload defines USAGE as "NAME [key=default] ..." before
// including this file; the parameters are positional in that order.
// experiments/run reads the same #define to learn the parameter names,
// their order and their defaults, so it is the one place they are written.
//
// Measuring. A measurement is the change of the counters of
// VM_SELF + VM_CHILDREN of the measuring process (a child's counters are
// folded into its parent's VM_CHILDREN when it is waited for) and of
// rdinstret, between meas_start() before the fork and meas_stop() after
// the wait.
//
// After a COW fork every writable page, the stacks included, is shared,
// so the first store of the parent or of the child to its own stack is a
// COW fault too. To count only what the workload does, the code between
// the fork and meas_stop() makes no store to user memory but the
// workload's own: the child runs inline code that keeps everything in
// registers and ends with exit() (a system call stub, which stores
// nothing), the parent calls only wait(0) (no status to copy out), and
// meas_stop() reads the counters before the kernel copies them out onto
// the stack. The child reports success by writing one byte from
// read-only data into a pipe (a read of user memory, not a store); the
// parent checks the bytes after the measurement (childpipe_check).
// That readtest shows 0 COW faults under cow and writetest exactly 1 is
// the test of this discipline.
//
// Instructions: instret() (rdinstret) reads QEMU's instruction counter. Under
// -icount shift=0 it is deterministic; with one hart it counts the
// instructions of that hart, i.e. of every process (and the kernel) that
// ran between the two reads, not only of the measuring process. With
// several harts QEMU's icount counter is shared by all of them. instr is
// that count less the instructions of interrupts (timer ticks and the
// preemption they cause; the kernel's intr_instr) charged to the measured
// processes; instr_raw is the count as read.
//
// Every @result line also names the mechanism options the kernel was
// booted with (ptlock=, kalloc=, ptshare=, read with kparam), and its
// counters are generated from VMSTAT_COUNTERS (kernel/vmstat.h), so a
// counter added there reaches the CSV without an edit here.
//
// Lock statistics (kernel/lockstat.h) are system-wide. A workload that
// calls lockstat_report() before measuring also gets, for every lock
// class of LOCK_CLASSES, lk_CLASS_acq, lk_CLASS_cont and lk_CLASS_spin:
// the change of the class's acquisitions, contended acquisitions and
// waiting-loop turns between a read just before meas_start's counter
// snapshots and one just after meas_stop's. Every line has mtime, the
// change of the time CSR (10 MHz) over the measurement. Besides the
// workload's own,
// the lock window holds a few acquisitions of the harness (meas_stop's
// vmstat call counts the free pages under the allocator's lock) and of
// the idle harts' scheduler loops. mtime is wall-clock time only without
// -icount (experiments/wallclock); under -icount it follows instr and
// is not a result.

// Not every program uses every helper.
#pragma GCC diagnostic ignored "-Wunused-function"

#include "kernel/syscall.h"
#include "kernel/lockstat.h"
#include "experiments/draw.h"

#define PGSZ 4096
#define MAXPAGES 262144     // largest heap a workload accepts (1 GiB)

// rdinstret (as in user/counters.c) but inlined: a call to a function
// with a frame would store to the stack.
static inline __attribute__((always_inline)) uint64
instret(void)
{
  uint64 x;
  asm volatile("rdinstret %0" : "=r" (x));
  return x;
}

// The calling thread's own instruction clock (the threadinstr system
// call, kernel/sched.c), inlined for the same reason: instret less the
// instructions of interrupts and of whatever ran while the thread was
// off the hart, so that a timer tick inside a window changes nothing.
// The difference of two readings holds one call's overhead: subtract
// own_overhead(). One hart only.
static inline __attribute__((always_inline)) uint64
own_instr(void)
{
  register uint64 a0 asm("a0");
  asm volatile("li a7, %1\n\tecall" : "=r" (a0) : "i" (SYS_threadinstr)
               : "a7", "memory");
  return a0;
}

// What two own_instr() readings in a row differ by (the same every
// time: the clock leaves ticks out).
static uint64
own_overhead(void)
{
  uint64 a = own_instr();
  uint64 b = own_instr();
  return b - a;
}

// The time CSR: wall-clock ticks at 10 MHz without -icount.
static inline __attribute__((always_inline)) uint64
rdtime(void)
{
  uint64 x;
  asm volatile("rdtime %0" : "=r" (x));
  return x;
}

static const char okbyte = 'y';   // read-only: writing it stores nothing
static int okpipe[2];             // children report success here
static char policyname[32];
static int lk_report;             // lockstat_report() was called

// The mechanism options (kernel/options.c): kparam gives a word
// choice's index, these are the words, in options.c's order.
#define NWORDS(a) ((int)(sizeof(a) / sizeof((a)[0])))
static const char *ptlock_words[] = { "mm", "split", "cas" };
static const char *kalloc_words[] = { "global", "percpu" };
static const char *ptlock_name, *kalloc_name;
static int ptshare_value;

static const char *lockclass_names[] = {
#define LK_NAME(name, doc) #name,
  LOCK_CLASSES(LK_NAME)
#undef LK_NAME
};

static void
usage(void)
{
  fprintf(2, "usage: " USAGE "\n"
             "  parameters are positional integers; defaults as shown\n");
  exit(1);
}

// The program's name: the first word of USAGE.
static const char*
progname(void)
{
  static char name[32];
  int i;

  for(i = 0; i < sizeof(name) - 1 && USAGE[i] && USAGE[i] != ' '; i++)
    name[i] = USAGE[i];
  name[i] = 0;
  return name;
}

// Report an error that stops the workload: no @result line is printed,
// and the exit status is 1.
static void
die(const char *why)
{
  fprintf(2, "%s: %s\n", progname(), why);
  exit(1);
}

// Argument i of argv (1-based), a decimal integer in [lo, hi], or def if
// argc is shorter. Anything else prints the usage and exits 1.
static int
argnum(int argc, char **argv, int i, const char *name, int lo, int hi, int def)
{
  char *s;
  int64 n;

  if(i >= argc)
    return def;
  s = argv[i];
  if(*s == 0)
    goto bad;
  n = 0;
  for(; *s; s++){
    if(*s < '0' || *s > '9')
      goto bad;
    n = n*10 + (*s - '0');
    if(n > hi)
      goto bad;
  }
  if(n < lo)
    goto bad;
  return (int)n;
bad:
  fprintf(2, "%s: bad %s '%s': want an integer in [%d, %d]\n",
          progname(), name, argv[i], lo, hi);
  usage();
  return 0;
}

// Reject more than max arguments. Call after the last argnum().
static void
argmax(int argc, int max)
{
  if(argc - 1 > max){
    fprintf(2, "%s: too many arguments\n", progname());
    usage();
  }
}

// Returns the word of boot option key: the index kparam gives, looked
// up in words[n]. Exits if the kernel does not know key or the index is
// not one of the words (then options.c has a choice exp.h lacks).
static const char*
optword(const char *key, const char **words, int n)
{
  int v = kparam(key);
  if(v < 0 || v >= n){
    fprintf(2, "%s: boot option %s is %d: not one of the choices exp.h knows\n",
            progname(), key, v);
    exit(1);
  }
  return words[v];
}

// Learn what the kernel was booted with: the name of the COW policy and
// the mechanism options, for the @result lines.
static void
getpolicyname(void)
{
  if(getpolicy(policyname, sizeof(policyname)) < 0)
    die("getpolicy failed");
  ptlock_name = optword("ptlock", ptlock_words, NWORDS(ptlock_words));
  kalloc_name = optword("kalloc", kalloc_words, NWORDS(kalloc_words));
  if((ptshare_value = kparam("ptshare")) < 0)
    die("kparam(ptshare) failed");
}

// Report lock statistics and mtime in this workload's @result lines.
static void
lockstat_report(void)
{
  lk_report = 1;
}

// A heap of n pages starting on a page boundary; exits if memory is out.
// sbrk maps and zeroes the pages at once.
static char*
heap_alloc(int n)
{
  uint64 cur, pad;
  char *p;

  cur = (uint64)sbrk(0);
  pad = (PGSZ - cur % PGSZ) % PGSZ;
  if(pad && sbrk(pad) == (char*)-1)
    die("sbrk failed");
  p = sbrk(n * PGSZ);
  if(p == (char*)-1){
    fprintf(2, "%s: sbrk of %d pages failed: out of memory\n", progname(), n);
    exit(1);
  }
  return p;
}

// The value fill() puts into word w (0..511) of page i.
static inline uint64
fillword(int i, int w)
{
  return ((uint64)i << 16) ^ (uint64)w ^ 0x5a5a0000ULL;
}

// Write every 8th word of each of the n pages; after this every page is
// private and writable in this process.
static void
heap_fill(char *heap, int n)
{
  for(int i = 0; i < n; i++){
    uint64 *p = (uint64*)(heap + (uint64)i*PGSZ);
    for(int w = 0; w < PGSZ/8; w += 8)
      p[w] = fillword(i, w);
  }
}

// The checksum of pages [first, first+n) as filled by heap_fill, computed
// without reading them.
static uint64
fill_sum(int first, int n)
{
  uint64 s = 0;
  for(int i = first; i < first + n; i++)
    for(int w = 0; w < PGSZ/8; w += 8)
      s += fillword(i, w);
  return s;
}

// The checksum of the same words read from memory. Inlined so that a
// child calling it stores nothing on its stack.
static inline __attribute__((always_inline)) uint64
heap_sum(char *heap, int first, int n)
{
  uint64 s = 0;
  for(int i = first; i < first + n; i++){
    volatile uint64 *p = (volatile uint64*)(heap + (uint64)i*PGSZ);
    for(int w = 0; w < PGSZ/8; w += 8)
      s += p[w];
  }
  return s;
}

// Store v into page i of the heap: one word (the first, which heap_sum
// reads), enough to need the page.
#define TOUCH(heap, i, v) \
  (*(volatile uint64*)((heap) + (uint64)(i)*PGSZ) = (v))

// A random permutation of 0..n-1 (Fisher-Yates, seeded), in a new array.
static int*
permutation(int n, uint64 seed)
{
  uint64 st = seed * 0x9e3779b97f4a7c15ULL + 1;
  int *a = malloc(n * sizeof(int));
  if(a == 0)
    die("malloc failed");
  for(int i = 0; i < n; i++)
    a[i] = i;
  for(int i = n - 1; i > 0; i--){
    int j = xorshift(&st) % (i + 1);
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

// Open the pipe children report success on.
static void
childpipe_open(void)
{
  if(pipe(okpipe) < 0)
    die("pipe failed");
}

// In a child: report success. Stores nothing in user memory.
#define CHILD_OK() write(okpipe[1], &okbyte, 1)

// After the last child was waited for: close the pipe and check that
// exactly n children reported success. Exits 1 if not.
static void
childpipe_check(int n)
{
  char c;
  int got = 0;

  close(okpipe[1]);
  while(read(okpipe[0], &c, 1) == 1)
    if(c == okbyte)
      got++;
  close(okpipe[0]);
  if(got != n){
    fprintf(2, "%s: %d of %d children did not finish their work\n",
            progname(), n - got, n);
    exit(1);
  }
}

struct meas {
  struct vmstat self, kids;   // at the start
  uint64 instr;
  uint64 time;
  struct lockcount lk[NLOCKCLASS];
};

// The counters of one measurement (deltas), its instructions, and (if
// lk_report) its lock statistics and time. Only uint64 fields: delta_add
// adds them as an array.
struct delta {
#define DELTA_FIELD(name, doc) uint64 name;
  VMSTAT_COUNTERS(DELTA_FIELD)
#undef DELTA_FIELD
  uint64 instr;
  uint64 instr_raw;
  uint64 time;
  struct lockcount lk[NLOCKCLASS];
};

static void
meas_start(struct meas *m)
{
  if(vmstat(VM_SELF, &m->self) < 0 || vmstat(VM_CHILDREN, &m->kids) < 0)
    die("vmstat failed");
  if(lk_report && lockstat(LOCKSTAT_READ, m->lk) < 0)
    die("lockstat failed");
  m->time = rdtime();
  m->instr = instret();
}

// End measurement m into d. who is VM_SELF to count only this process,
// or VM_CHILDREN to count only its children, or -1 for both. Always
// inlined, and the first counter snapshot is one asm statement: instret
// and time are read and the vmstat system call made with their values
// kept in registers, so nothing is stored before the kernel has taken
// the VM_SELF snapshot (its copyout onto the stack may then fault: that
// is after the snapshot and after instret was read).
static inline __attribute__((always_inline)) void
meas_stop(struct meas *m, struct delta *d, int who)
{
  struct vmstat a, b;
  struct lockcount lk[NLOCKCLASS];
  uint64 t, tm;
  register uint64 a0 asm("a0") = VM_SELF;
  register uint64 a1 asm("a1") = (uint64)&a;

  asm volatile("rdinstret %0\n\trdtime %1\n\tli a7, %4\n\tecall"
               : "=&r" (t), "=&r" (tm), "+r" (a0)
               : "r" (a1), "i" (SYS_vmstat)
               : "a7", "memory");
  if((int64)a0 < 0)
    die("vmstat failed");
  if(lk_report && lockstat(LOCKSTAT_READ, lk) < 0)
    die("lockstat failed");
  if(vmstat(VM_CHILDREN, &b) < 0)
    die("vmstat failed");
  if(who == VM_SELF)
    b = m->kids;
  else if(who == VM_CHILDREN)
    a = m->self;
#define DELTA_DIFF(name, doc) \
  d->name = a.name - m->self.name + b.name - m->kids.name;
  VMSTAT_COUNTERS(DELTA_DIFF)
#undef DELTA_DIFF
  // instr leaves out the instructions of interrupts and of the
  // preemptions they cause (intr_instr, charged to whoever was measured):
  // where a timer tick lands must not change a result.
  d->instr_raw = t - m->instr;
  d->instr = d->instr_raw > d->intr_instr ? d->instr_raw - d->intr_instr : 0;
  d->time = tm - m->time;
  for(int k = 0; k < NLOCKCLASS; k++){
    d->lk[k].acquired = lk_report ? lk[k].acquired - m->lk[k].acquired : 0;
    d->lk[k].contended = lk_report ? lk[k].contended - m->lk[k].contended : 0;
    d->lk[k].spins = lk_report ? lk[k].spins - m->lk[k].spins : 0;
  }
}

// Add d to sum.
static void
delta_add(struct delta *sum, struct delta *d)
{
  uint64 *s = (uint64*)sum, *x = (uint64*)d;
  for(int i = 0; i < sizeof(*d) / sizeof(uint64); i++)
    s[i] += x[i];
}

#define RESULTMAX 2048   // longest @result line

// Print one @result line with a single write. params is "" or the
// optional " key=value" parameters after pages.
static void
result(int pages, const char *params, struct delta *d)
{
  char line[RESULTMAX];
  int n;

  n = snprintf(line, sizeof(line), "@result workload=%s policy=%s ptlock=%s"
               " kalloc=%s ptshare=%d pages=%d%s", progname(), policyname,
               ptlock_name, kalloc_name, ptshare_value, pages, params);
#define PUT_COUNTER(name, doc) \
  n += snprintf(line + n, sizeof(line) - n, " " #name "=%lu", d->name);
  VMSTAT_COUNTERS(PUT_COUNTER)
#undef PUT_COUNTER
  n += snprintf(line + n, sizeof(line) - n, " instr=%lu instr_raw=%lu mtime=%lu",
                d->instr, d->instr_raw, d->time);
  if(lk_report){
    for(int k = 0; k < NLOCKCLASS; k++)
      n += snprintf(line + n, sizeof(line) - n,
                    " lk_%s_acq=%lu lk_%s_cont=%lu lk_%s_spin=%lu",
                    lockclass_names[k], d->lk[k].acquired,
                    lockclass_names[k], d->lk[k].contended,
                    lockclass_names[k], d->lk[k].spins);
  }
  // snprintf stops at the end of line: a full buffer means cut short
  if(n >= sizeof(line) - 1)
    die("internal error: @result line longer than RESULTMAX");
  line[n++] = '\n';
  if(write(1, line, n) != n)
    die("write of the @result line failed");
}

// Helpers of the workloads whose child writes a planned list of pages
// (backwrite, streams, stride, clusters, walk, forkrand, forkdrift,
// bothwrite).
// A workload computes its plan, an array of page numbers, before the
// fork, and prints the plan's length as writes=N: the number of distinct
// pages that are stored into, so plain cow takes exactly N COW faults
// (experiments/check holds it to that).

// malloc, or exit if memory is out.
static void*
xmalloc(uint n)
{
  void *p = malloc(n);
  if(p == 0)
    die("malloc failed: out of memory");
  return p;
}

// Exit unless plan[0..n) are distinct page numbers in [0, pages): a
// plan with a page twice would make writes= count it twice.
static void
plan_check(int *plan, int n, int pages)
{
  char *seen = xmalloc(pages);
  memset(seen, 0, pages);
  for(int i = 0; i < n; i++){
    if(plan[i] < 0 || plan[i] >= pages || seen[plan[i]])
      die("internal error: the write plan repeats a page or leaves the heap");
    seen[plan[i]] = 1;
  }
  free(seen);
}

// Fork a child that stores into pages plan[0..n) of heap, in that order,
// reports success on okpipe (open it first) and exits; wait for it. *d
// receives the counters of parent and child from before the fork to
// after the wait. Inlined, so that between the fork and the end of the
// measurement nothing is stored but the child's n stores.
static inline __attribute__((always_inline)) void
fork_writes(char *heap, int *plan, int n, uint64 v, struct delta *d)
{
  struct meas m;

  meas_start(&m);
  int pid = fork();
  if(pid < 0)
    die("fork failed: out of memory?");
  if(pid == 0){
    for(int i = 0; i < n; i++)
      TOUCH(heap, plan[i], v + i);
    CHILD_OK();
    exit(0);
  }
  if(wait(0) < 0)
    die("wait failed");
  meas_stop(&m, d, -1);
}

// Fork n children one after another, waiting for each: child c stores
// into pages plans[c][0..len) (see fork_writes); d[c] receives its
// measurement. A function of its own so that the loop's few values stay
// in registers: a value spilled to the stack between a fork and the end
// of its measurement would be a store (a COW fault) of the harness.
static void __attribute__((noinline))
fork_series(char *heap, int **plans, int len, int n, struct delta *d)
{
  for(int c = 0; c < n; c++)
    fork_writes(heap, plans[c], len, c + 1, &d[c]);
}

// Print the @result lines of a run of n children (or rounds) measured
// one by one: one line per child (" child=i" after params, which must
// hold writes= of that child in writes[i]), then the whole run (the sum,
// with writes= the sum). params holds the workload's other parameters.
static void
result_children(int pages, const char *params, struct delta *d,
                int *writes, int n)
{
  struct delta sum;
  char buf[160];
  int total = 0;

  memset(&sum, 0, sizeof(sum));
  for(int c = 0; c < n; c++){
    snprintf(buf, sizeof(buf), "%s writes=%d child=%d", params, writes[c], c);
    result(pages, buf, &d[c]);
    delta_add(&sum, &d[c]);
    total += writes[c];
  }
  snprintf(buf, sizeof(buf), "%s writes=%d", params, total);
  result(pages, buf, &sum);
}
