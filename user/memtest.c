// memtest: memory pressure at exact free-page margins, under every
// policy.
//
// A ballast process (this program, exec'd as "memtest -ballast") takes
// and gives back memory on command until exactly k pages are free: sbrk
// for the bulk, then one pipe per page (a pipe costs exactly one page).
// With it the tests find the exact number of free pages an operation
// needs and check what happens on both sides of the margin:
//
//   forkmargin   the fewest free pages a fork succeeds with, found for a
//                process of known shape in a fresh lineage; it may not
//                exceed the child's page tables and trapframe (worked
//                out from the address space) plus one page of policy
//                state, and under cow it must equal them. Around the
//                margin a failed fork leaks nothing.
//   forkhistory  the same fork after the lineage's history marked its
//                pages hot: the margin may not be larger than in a fresh
//                lineage (a policy's early copies fall back to sharing,
//                DESIGN.md). Fails under hot and adaptive until the
//                kernel's early copies fall back.
//   cowmargin    a store to a shared page with 0 free pages kills the
//                storing process only (a sibling sharing the page goes
//                on); with 1 free page it succeeds and takes exactly that
//                page; a kernel write (read into the page) with 0 free
//                returns -1 without killing; a store to a COW page no one
//                else holds needs no page even with 0 free.
//   forkbomb     every process forks until fork fails (process table
//                full), then all exit: free pages back exactly.
//   forkbombmem  the same with 48 to 55 free pages: memory runs out
//                first (in some bomb part of the way through a fork);
//                once all are reaped exactly as many pages are free as
//                before.
//   fsfill       a file grows until write fails: the failing write is
//                partial, the file holds exactly the bytes written, no
//                page is left free, and truncating or removing the file
//                gives every page back.
//   execmargin   exec at the margin: below it exec returns -1 and leaks
//                nothing, from it on the program starts.
//   sbrkmargin   sbrk at the margin: a failed sbrk changes nothing.
//   pipemargin   pipe with 0 free pages fails and leaves no descriptor;
//                with 1 it succeeds.
//
// Each test runs in a fresh exec of this program ("memtest -run NAME"),
// so that it is a lineage of its own for the policies that learn per
// lineage. One ballast serves the whole suite: between tests it is
// parked at a fixed size (PARKFREE pages left free when the suite
// started), so that every test's free-page count before and after is
// exact. A process that measures memory first makes all of its pages
// private (ownall), so that it needs no page later.
//
// Usage: memtest [test ...]
//   (and, used by the suite itself: -run NAME WHYFD CMDFD REPFD PARK,
//    -ballast CMDFD REPFD, -probe K TRAINED CMDFD REPFD, -noop)

#include "user/user.h"
// (the driver's helpers this program does not use)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "user/testlib.h"
#pragma GCC diagnostic pop
#include "kernel/syscall.h"

#define NCHUNK 0x10000    // largest sbrk of the ballast, in pages
#define TUNE 6            // pipes the ballast may hold for the last pages
#define SLACK 512         // free pages a probe gets for exec and training
#define NHEAP 64          // heap pages of a probe process
#define NTRAIN 3          // children that write a trained probe's heap
#define HIMARGIN 1024     // a fork surely succeeds with this many free
#define WIN 16            // pages in faultaround's largest window
#define PARKFREE 3000     // free pages between tests

static char policy[32];
static int iscopy, iscow;
static int bfd[2] = { -1, -1 };   // to the ballast, from the ballast

// ---- system calls without touching memory ------------------------------

#define STR(x) #x
#define XSTR(x) STR(x)

// int forkonce(void): fork; the child exits 0 at once, the parent waits
// for it. Nothing is stored between the fork and the wait, so the
// parent needs no page while it shares every page with the child.
// Returns the child's pid, or -1 if fork failed.
int forkonce(void);
asm(
"  .text\n"
"  .globl forkonce\n"
"forkonce:\n"
"  li a7, " XSTR(SYS_fork) "\n"
"  ecall\n"
"  bnez a0, 1f\n"
"  li a7, " XSTR(SYS_exit) "\n"
"  ecall\n"
"1:\n"
"  bltz a0, 2f\n"
"  mv t0, a0\n"
"  li a0, 0\n"
"  li a7, " XSTR(SYS_wait) "\n"
"  ecall\n"
"  mv a0, t0\n"
"2:\n"
"  ret\n");

// int bomb(int rfd, int wfd, int cntfd): the caller forks until fork
// fails; each of its children forks once more. Every new process writes
// a byte to cntfd and closes wfd. A process done forking waits for end
// of file on rfd (the caller holds the last write end, wfd, and closes
// it once its own fork failed), reaps its children (as many as it made:
// the caller may have others) and exits 0; the caller's call returns
// the number of its own children. (Children fork at most once, so that
// the bomb ends: processes forking until failure while others exit
// could take the freed slots for ever.) No process stores to memory, so
// none needs a page once memory is out.
int bomb(int rfd, int wfd, int cntfd);
asm(
"  .text\n"
"  .globl bomb\n"
"bomb:\n"
"  mv t0, a0\n"       // rfd
"  mv t1, a1\n"       // wfd
"  mv t2, a2\n"       // cntfd
"  li t3, 0\n"        // children of this process
"  li t4, 1\n"        // 1 in the caller, 0 in the bombers
"  li t6, -1\n"       // forks left; negative: until one fails
"1:\n"
"  beqz t6, 3f\n"
"  li a7, " XSTR(SYS_fork) "\n"
"  ecall\n"
"  bltz a0, 3f\n"
"  beqz a0, 2f\n"
"  addi t3, t3, 1\n"
"  addi t6, t6, -1\n"
"  j 1b\n"
"2:\n"                // a new process: one fork if the caller made it
"  mv t6, t4\n"
"  li t3, 0\n"
"  li t4, 0\n"
"  mv a0, t2\n"
"  la a1, bomb\n"     // one byte of text: reading it needs no page
"  li a2, 1\n"
"  li a7, " XSTR(SYS_write) "\n"
"  ecall\n"
"  mv a0, t1\n"
"  li a7, " XSTR(SYS_close) "\n"
"  ecall\n"
"  j 1b\n"
"3:\n"
"  beqz t4, 4f\n"
"  mv a0, t1\n"
"  li a7, " XSTR(SYS_close) "\n"
"  ecall\n"
"4:\n"
"  mv a0, t0\n"
"  li a1, 0\n"        // end of file copies nothing
"  li a2, 1\n"
"  li a7, " XSTR(SYS_read) "\n"
"  ecall\n"
"  mv t5, t3\n"
"5:\n"
"  beqz t5, 7f\n"
"  li a0, 0\n"
"  li a7, " XSTR(SYS_wait) "\n"
"  ecall\n"
"  addi t5, t5, -1\n"
"  j 5b\n"
"7:\n"
"  beqz t4, 6f\n"
"  mv a0, t3\n"
"  ret\n"
"6:\n"
"  li a0, 0\n"
"  li a7, " XSTR(SYS_exit) "\n"
"  ecall\n");

// ---- owning pages ----------------------------------------------------------

static int tp[2] = { -1, -1 };

// Make the page at a private to this process if it is mapped and
// writable: the kernel copies one byte of it into a pipe and back, and
// the copy back goes through the COW fault path. Text is left alone.
static void
touch(uint64 a)
{
  char c;
  if(write(tp[1], (char*)a, 1) != 1)
    return;   // not mapped
  if(read(tp[0], (char*)a, 1) != 1)
    read(tp[0], &c, 1);   // read-only: take the byte back out
}

// Make every page of this process private, but those in [xlo, xhi) and
// [ylo, yhi). Descending, so that no policy's fault-around runs ahead
// of a touch into the pages left out.
static void
ownall(uint64 xlo, uint64 xhi, uint64 ylo, uint64 yhi)
{
  if(tp[0] < 0 && pipe(tp) < 0)
    return;
  for(uint64 a = ((uint64)sbrk(0) - 1) & ~(uint64)(PGSIZE - 1); a >= PGSIZE;
      a -= PGSIZE)
    if(!(a >= xlo && a < xhi) && !(a >= ylo && a < yhi))
      touch(a);
}

// Grow the heap to a multiple of WIN pages, then by n pages: the new
// region starts a fault-around window of its own. Returns it, or 0.
static char*
region(int n)
{
  uint64 brk = (uint64)sbrk(0);
  uint64 pad = (WIN*PGSIZE - brk % (WIN*PGSIZE)) % (WIN*PGSIZE);
  if(sbrk(pad) == (char*)-1)
    return 0;
  char *r = sbrk(n*PGSIZE);
  return r == (char*)-1 ? 0 : r;
}

static uchar
pat(int seed, uint64 i)
{
  return seed * 37 + i * 13 + (i >> 12);
}

// Fill p[0..n) with seed's pattern.
static void
fill(char *p, uint64 n, int seed)
{
  for(uint64 i = 0; i < n; i++)
    p[i] = pat(seed, i);
}

// Returns the first i in [from, to) where p[i] is off seed's pattern,
// or -1.
static int64
badbyte(char *p, uint64 from, uint64 to, int seed)
{
  for(uint64 i = from; i < to; i++)
    if((uchar)p[i] != pat(seed, i))
      return i;
  return -1;
}

// ---- the ballast -----------------------------------------------------------

#define B_SET 1     // make exactly k pages free
#define B_PARK 2    // hold exactly k heap pages and no pipe
#define B_QUIT 3

struct bcmd { int op, k; };
struct brep { int free, held, ok; };

// The ballast process: serve commands from cmdfd until end of file.
__attribute__((noreturn)) static void
ballast(int cmdfd, int repfd)
{
  int tune[TUNE][2], ntune = 0;
  int held = 0;   // heap pages
  struct bcmd c;
  struct brep r;

  for(int fd = 0; fd < 16; fd++)
    if(fd != cmdfd && fd != repfd && fd != 2)
      close(fd);
  while(read(cmdfd, &c, sizeof c) == sizeof c){
    while(ntune > 0){
      ntune--;
      close(tune[ntune][0]);
      close(tune[ntune][1]);
    }
    if(c.op == B_QUIT)
      break;
    r.ok = 1;
    if(c.op == B_PARK){
      while(held != c.k){
        int d = c.k - held;
        if(d > NCHUNK)
          d = NCHUNK;
        if(d < -NCHUNK)
          d = -NCHUNK;
        if(sbrk(d*PGSIZE) == (char*)-1){
          r.ok = 0;
          break;
        }
        held += d;
      }
    }
    for(int i = 0; c.op == B_SET && i < 100; i++){
      int f = rawfreepages();
      if(f < c.k){
        int g = c.k - f < held ? c.k - f : held;
        if(g == 0)
          break;
        sbrk(-g*PGSIZE);
        held -= g;
      } else if(f > c.k + TUNE){
        int t = f - c.k - TUNE;
        if(t > NCHUNK)
          t = NCHUNK;
        while(t > 0 && sbrk(t*PGSIZE) == (char*)-1)
          t /= 2;
        if(t == 0)
          break;
        held += t;
      } else
        break;
    }
    while(c.op == B_SET && rawfreepages() > c.k && ntune < TUNE &&
          pipe(tune[ntune]) == 0)
      ntune++;
    // A margin (B_SET) is in pages truly free. A park reports pages free
    // or holding policy state: the checks that compare parks span a
    // test's lineage, which may grow policy state (a write history) as
    // it goes; that is not a leak, and the page comes back with the
    // lineage (runfresh checks that).
    r.free = c.op == B_SET ? rawfreepages() : freepages();
    r.held = held;
    if(c.op == B_SET)
      r.ok = r.free == c.k;
    write(repfd, &r, sizeof r);
  }
  exit(0);
}

static int parkheld;   // heap pages the ballast holds between tests

static int
bsend(int op, int k, struct brep *r)
{
  struct bcmd c = { op, k };
  if(write(bfd[0], &c, sizeof c) != sizeof c ||
     read(bfd[1], r, sizeof *r) != sizeof *r || !r->ok)
    return -1;
  return r->free;
}

// Make exactly k pages free. Returns k, or -1.
static int
setfree(int k)
{
  struct brep r;
  return bsend(B_SET, k, &r);
}

// Put the ballast back where it is between tests. Returns the number
// of free pages then, or -1: with the ballast parked, the free count
// is comparable before and after anything.
static int
park(void)
{
  struct brep r;
  return bsend(B_PARK, parkheld, &r);
}

// ---- fork margins ----------------------------------------------------------

// Pages a fork must allocate whatever the policy: the child's page-table
// pages for user memory [0, sz) (root, one middle page per GiB, one
// leaf page per 2 MiB), the middle and leaf pages for the trampoline
// and trapframe at the top, and the trapframe. Kernel stacks are
// allocated at boot.
static int
mechanism(uint64 sz)
{
  // With ptshare=1 fork shares the parent's leaf tables instead.
  int leaves = kparam("ptshare") == 1 ? 0 : ((sz - 1) >> 21) - (PGSIZE >> 21) + 1;
  int middles = ((sz - 1) >> 30) + 1;
  return 1 + middles + leaves + 2 + 1;
}

// A probe ("memtest -probe K TRAINED CMDFD REPFD"): a process of known
// shape (NHEAP heap pages) which, if TRAINED, first forks NTRAIN
// children that write its heap (so that the lineage's history marks it
// hot), then has the ballast leave exactly K pages free and forks once.
// Exits with 1 if the fork succeeded, 0 if not, plus twice the pages
// the mechanism needs; -1000 - n if the free count was n instead of K
// afterwards (a leak), -2000 if the ballast failed.
__attribute__((noreturn)) static void
probe(int k, int trained)
{
  char *h = sbrk(NHEAP*PGSIZE);
  if(h == (char*)-1)
    exit(-3000);
  for(int p = 0; p < NHEAP; p++)
    h[p*PGSIZE] = p;
  for(int t = 0; trained && t < NTRAIN; t++){
    int pid = fork();
    if(pid == 0){
      for(int p = 0; p < NHEAP; p++)
        h[p*PGSIZE + t + 1] = t;
      exit(0);
    }
    if(pid < 0 || waitpid(pid) != 0)
      exit(-3000);
  }
  int mech = mechanism((uint64)sbrk(0));
  if(setfree(k) != k)
    exit(-2000);
  int pid = forkonce();
  int after = rawfreepages();
  if(after != k)
    exit(-1000 - after);
  exit((pid > 0) + 2*mech);
}

// Run a probe with k free pages. Returns 1 if its fork succeeded, 0 if
// it failed, -1 (why set) if something else went wrong.
static int
tryfork(int k, int trained, int *mech)
{
  char ak[12], at[4], a1[8], a2[8];
  if(setfree(k + SLACK) < 0)
    FAIL("the ballast cannot leave %d pages free", k + SLACK);
  int pid = fork();
  if(pid == 0){
    snprintf(ak, sizeof ak, "%d", k);
    snprintf(at, sizeof at, "%d", trained);
    snprintf(a1, sizeof a1, "%d", bfd[0]);
    snprintf(a2, sizeof a2, "%d", bfd[1]);
    char *argv[] = { "memtest", "-probe", ak, at, a1, a2, 0 };
    exec("/memtest", argv);
    exit(EXECFAIL);
  }
  int st = waitpid(pid);
  if(st <= -2000)
    FAIL("probe at %d free pages: ballast or training failed (%d)", k, st);
  if(st <= -1000)
    FAIL("a fork with %d free pages left %d free once it was over "
         "(expected %d: nothing leaked)", k, -1000 - st, k);
  if(st < 0 || st == EXECFAIL)
    FAIL("probe at %d free pages exited with %d", k, st);
  *mech = st / 2;
  return st & 1;
}

// The fewest free pages a probe's fork succeeds with. Returns it, or -1
// (why set). The search starts from the mechanism's count and doubles
// until a fork works; fork must fail with 1 free page and succeed with
// one page more than the margin.
static int
margin(int trained, int *mech)
{
  int lo = 1, hi, r;
  if((r = tryfork(lo, trained, mech)) < 0)
    return -1;
  if(r != 0)
    FAIL("fork succeeded with 1 free page");
  for(hi = *mech > 1 ? *mech : 2; ; hi *= 2){
    if(hi > HIMARGIN)
      FAIL("fork failed with %d free pages", hi / 2);
    if((r = tryfork(hi, trained, mech)) < 0)
      return -1;
    if(r)
      break;
    lo = hi;
  }
  // usually the margin itself: saves the search
  if(hi - 1 > lo && (r = tryfork(hi - 1, trained, mech)) == 0)
    lo = hi - 1;
  if(r < 0)
    return -1;
  while(hi - lo > 1){
    int mid = (lo + hi) / 2;
    if((r = tryfork(mid, trained, mech)) < 0)
      return -1;
    if(r)
      hi = mid;
    else
      lo = mid;
  }
  if((r = tryfork(hi + 1, trained, mech)) < 0)
    return -1;
  if(r != 1)
    FAIL("fork succeeded with %d free pages but not with %d", hi, hi + 1);
  return hi;
}

static int
forkmargin(void)
{
  int mech = 0;
  int m = margin(0, &mech);
  if(m < 0)
    return -1;
  printf("memtest: policy %s: a fork in a fresh lineage needs %d free "
         "pages; page tables and trapframe: %d\n", policy, m, mech);
  if(iscow && m != mech)
    FAIL("under cow a fork needs %d free pages, expected exactly the %d "
         "of its page tables and trapframe", m, mech);
  if(m > mech + 1)
    FAIL("a fork needs %d free pages, more than its page tables and "
         "trapframe (%d) and a page of policy state: the policy's copies "
         "at fork do not fall back to sharing", m, mech);
  return 0;
}

// Item 4 of issue 17: a lineage's history must not make fork need more
// memory than a fork in a fresh lineage.
// The trained fork is tried at the fresh margin; its own margin is
// searched only when it fails there, for the report.
static int
forkhistory(void)
{
  int mech = 0, r;
  int fresh = margin(0, &mech);
  if(fresh < 0 || (r = tryfork(fresh, 1, &mech)) < 0)
    return -1;
  if(r == 1){
    printf("memtest: policy %s: a fork needs %d free pages in a fresh "
           "lineage, and no more once the lineage wrote the heap\n", policy,
           fresh);
    return 0;
  }
  int trained = margin(1, &mech);
  if(trained < 0)
    return -1;
  FAIL("a fork that succeeds with %d free pages in a fresh lineage needs "
       "%d after its lineage wrote the heap (early copies must fall "
       "back to sharing)", fresh, trained);
}

// ---- COW faults at the margin ----------------------------------------------

// X: one fault-around window of pages shared with every child; each
// case uses a page of it no one stored to before, so that no lineage
// history marks it.
static char *X;

// Fork a child that makes every page but X private, has the ballast
// leave k free pages and runs fn. Returns its exit status.
static int
withfree(int k, int (*fn)(void))
{
  int pid = fork();
  if(pid == 0){
    ownall((uint64)X, (uint64)X + WIN*PGSIZE, 0, 0);
    if(setfree(k) != k)
      exit(90);
    exit(fn());
  }
  return pid < 0 ? -1000 : waitpid(pid);
}

static int
storekilled(void)
{
  X[3*PGSIZE] = 1;   // no page for the copy: killed here
  return 51;          // (under copy X is this process's own)
}

static int
storeone(void)
{
  X[5*PGSIZE + 1] = 99;
  int f = rawfreepages();
  if(X[5*PGSIZE + 1] != 99 || badbyte(X, 5*PGSIZE + 2, WIN*PGSIZE, 1) >= 0 ||
     badbyte(X, 0, 5*PGSIZE + 1, 1) >= 0)
    return 52;
  return 60 + f;
}

static int qp[2];   // a pipe with bytes to read

static int
readzero(void)
{
  int r = read(qp[0], X + 6*PGSIZE, 10);
  if(badbyte(X, 6*PGSIZE, 7*PGSIZE, 1) >= 0 && r == -1)
    return 53;   // failed, yet the page changed
  return r == -1 ? 70 : 71;
}

static int
cowmargin(void)
{
  int st, up[2], go[2];
  char c;
  X = region(WIN);
  if(X == 0)
    FAIL("sbrk failed");
  fill(X, WIN*PGSIZE, 1);
  if(pipe(up) < 0 || pipe(go) < 0 || pipe(qp) < 0 ||
     write(qp[1], "0123456789", 10) != 10)
    FAIL("pipe failed");
  ownall((uint64)X, (uint64)X + WIN*PGSIZE, 0, 0);
  int base = park();

  // A sibling S shares X and waits while memory is out, then stores.
  int s = fork();
  if(s == 0){
    ownall((uint64)X, (uint64)X + WIN*PGSIZE, 0, 0);
    write(up[1], "s", 1);   // ready
    if(read(go[0], &c, 1) != 1)
      exit(2);
    X[3*PGSIZE] = 2;
    exit(X[3*PGSIZE] == 2 && badbyte(X, 3*PGSIZE + 1, WIN*PGSIZE, 1) < 0 &&
         badbyte(X, 0, 3*PGSIZE, 1) < 0 ? 0 : 3);
  }
  if(s < 0 || read(up[0], &c, 1) != 1)
    FAIL("cannot start the sibling");
  st = withfree(0, storekilled);
  park();
  write(go[1], "g", 1);
  int sst = waitpid(s);
  int fb = park();
  if(st != (iscopy ? 51 : -1))
    FAIL("a store to a shared page with 0 free pages: expected the "
         "process %s, got status %d", iscopy ? "to go on (its own copy)" :
         "killed (-1)", st);
  if(sst != 0)
    FAIL("the sibling sharing the page exited with %d after the store "
         "failed elsewhere, expected 0", sst);
  if(badbyte(X, 0, WIN*PGSIZE, 1) >= 0)
    FAIL("the parent's shared pages changed");
  if(fb != base)
    FAIL("%d free pages after the killed process and its sibling, %d "
         "before", fb, base);

  st = withfree(1, storeone);
  if(st != (iscopy ? 61 : 60))
    FAIL("a store to a shared page with 1 free page: expected exit %d "
         "(%s), got %d", iscopy ? 61 : 60, iscopy ? "no copy needed" :
         "one copy, no page left", st);
  if(park() != base)
    FAIL("pages lost after the store with 1 free page");

  st = withfree(0, readzero);
  if(st != (iscopy ? 71 : 70))
    FAIL("read into a shared page with 0 free pages: expected %s, got "
         "exit %d", iscopy ? "success" : "-1 and the process alive", st);
  if(park() != base)
    FAIL("pages lost after the read with 0 free pages");
  return 0;
}

// A store to a COW page that no one else holds any more is a reuse: it
// needs no page, even with none free.
static int
reusezero(void)
{
  char *y = region(WIN);
  if(y == 0)
    FAIL("sbrk failed");
  fill(y, WIN*PGSIZE, 4);
  int pid = forkonce();   // y is COW now, the child gone
  if(pid < 0)
    FAIL("fork failed");
  ownall((uint64)y, (uint64)y + WIN*PGSIZE, 0, 0);
  int base = park();
  if(setfree(0) != 0)
    FAIL("the ballast cannot take every page");
  fill(y, WIN*PGSIZE, 5);
  int f = rawfreepages();
  int d = park();
  if(badbyte(y, 0, WIN*PGSIZE, 5) >= 0)
    FAIL("the stores did not stick");
  if(f != 0)
    FAIL("stores to pages only this process holds left %d pages free, "
         "expected 0 (no copies)", f);
  if(d != base)
    FAIL("%d free pages after, %d before", d, base);
  return 0;
}

// ---- bombs -----------------------------------------------------------------

// Bomb with k free pages (the ballast running), or unlimited (k < 0).
// Returns the number of processes made, or -1 (why set).
static int
runbomb(int k)
{
  int rp[2], cp[2];
  char buf[64];
  if(pipe(rp) < 0 || pipe(cp) < 0)
    FAIL("pipe failed");
  ownall(0, 0, 0, 0);
  uint64 before = k < 0 ? rawfreepages() : setfree(k);
  if(before != (k < 0 ? before : k))
    FAIL("the ballast cannot leave %d pages free", k);
  int mine = bomb(rp[0], rp[1], cp[1]);
  uint64 after = rawfreepages();
  close(rp[0]);
  close(cp[1]);
  int total = 0, n;
  while((n = read(cp[0], buf, sizeof buf)) > 0)
    total += n;
  close(cp[0]);
  if(mine < 0 || mine > total)
    FAIL("%d children of the first process, %d in all", mine, total);
  if(after != before)
    FAIL("%ld free pages before the bomb, %ld once all were reaped",
         before, after);
  int pid = fork();   // the table has room again: this fork must work
  if(pid == 0)
    exit(0);
  if(pid < 0)
    FAIL("fork fails after the bomb");
  waitpid(pid);
  return total;
}

static int
forkbomb(void)
{
  int total = runbomb(-1);
  if(total < 0)
    return -1;
  // init, sh, memtest, the ballast and this test hold five slots
  if(total < NPROC - 8)
    FAIL("only %d processes made before fork failed, the table has %d "
         "slots", total, NPROC);
  return 0;
}

// Bombs with 48 to 55 free pages: whatever a fork needs, with one of
// them memory runs out part of the way through a fork.
static int
forkbombmem(void)
{
  for(int k = 48; k < 56; k++){
    int total = runbomb(k);
    if(total < 0)
      return -1;
    if(total < 1 || total >= NPROC - 8)
      FAIL("%d processes made with %d free pages: expected memory to run "
           "out first, after at least one", total, k);
  }
  return 0;
}

// ---- the file system fills memory ----------------------------------------

static int
fsfill(void)
{
  enum { CHUNK = 8*PGSIZE, K = 300 };
  char *buf = region(2*CHUNK / PGSIZE);
  struct stat st;
  if(buf == 0)
    FAIL("sbrk failed");
  char *back = buf + CHUNK;
  fill(buf, CHUNK, 7);
  ownall(0, 0, 0, 0);
  int base = park();
  for(int round = 0; round < 2; round++){
    int fd = open("mt.fill", O_CREATE | O_TRUNC | O_RDWR), r;
    uint64 total = 0;
    if(fd < 0)
      FAIL("cannot create mt.fill");
    if(setfree(K) != K)
      FAIL("the ballast cannot leave %d pages free", K);
    // K free pages hold at most K/8 chunks: bounded even if write
    // claims success for ever
    for(int i = 0; i <= K / (CHUNK/PGSIZE) && (r = write(fd, buf, CHUNK)) ==
        CHUNK; i++)
      total += r;
    // The write that ran out of memory returns what it wrote, as Unix
    // does, or -1 if it wrote nothing; with no page left, the next fails.
    if(r > 0 && r < CHUNK)
      total += r;
    int r2 = write(fd, buf, CHUNK);
    int f = rawfreepages();
    if(total > K*PGSIZE)
      FAIL("%ld bytes written with %d free pages", total, K);
    if(fstat(fd, &st) < 0)
      FAIL("fstat failed");
    close(fd);
    if(r >= CHUNK || r < -1 || r == 0)
      FAIL("the write that ran out of memory returned %d, expected the "
           "bytes it wrote or -1", r);
    if(r2 != -1)
      FAIL("a write with no free page returned %d, expected -1", r2);
    if(f != 0)
      FAIL("write failed with %d pages still free", f);
    if(st.size != total)
      FAIL("file of %ld bytes after writes that returned %ld bytes",
           st.size, total);
    if(total < CHUNK)
      FAIL("not even one write of %d bytes with %d free pages", CHUNK, K);
    // every byte written is there, the partial write's too
    fd = open("mt.fill", O_RDONLY);
    for(uint64 off = 0; off < st.size; off += CHUNK){
      int want = st.size - off < CHUNK ? st.size - off : CHUNK;
      if(read(fd, back, CHUNK) != want || memcmp(back, buf, want) != 0)
        FAIL("the file's bytes at %ld are not what was written", off);
    }
    close(fd);
    // round 0 gives the pages back by truncating, round 1 by removing
    if(round == 0)
      close(open("mt.fill", O_TRUNC | O_WRONLY));
    else
      unlink("mt.fill");
    if((f = rawfreepages()) != K)
      FAIL("%d free pages after the file was %s, %d before it grew", f,
           round == 0 ? "truncated" : "removed", K);
  }
  unlink("mt.fill");
  int d = park();
  if(d != base)
    FAIL("%d free pages at the end, %d at the start", d, base);
  return 0;
}

// ---- exec, sbrk and pipe at the margin -------------------------------------

// Exec /memtest -noop with k free pages, in a child. Returns 1 if the
// program started, 0 if exec returned -1 and nothing leaked, -1 (why
// set) otherwise. The ballast is parked first: the last try's child
// left it at its k, and the pages that child gave back when it exited
// are about exactly what this child needs to own its memory, so that
// the margin was a coin toss (a store to the stack, killed).
static int
tryexec(int k)
{
  if(park() < 0)
    FAIL("the ballast could not park before an exec with %d free pages", k);
  int pid = fork();
  if(pid < 0)
    FAIL("fork for an exec with %d free pages failed, with %d free", k, (int)rawfreepages());
  if(pid == 0){
    ownall(0, 0, 0, 0);
    if(setfree(k) != k)
      exit(90);
    char *argv[] = { "memtest", "-noop", 0 };
    exec("/memtest", argv);
    exit(rawfreepages() == k ? EXECFAIL : 44);
  }
  int st = waitpid(pid);
  if(st == 0)
    return 1;
  if(st == EXECFAIL)
    return 0;
  FAIL("exec with %d free pages: %s (status %d)", k,
       st == 44 ? "failed and lost pages" : "went wrong", st);
}

static int
execmargin(void)
{
  int lo = 0, hi, r;
  int base = park();
  if(tryexec(lo) != 0)
    FAIL("exec with 0 free pages did not fail cleanly");
  for(hi = 16; (r = tryexec(hi)) != 1; hi *= 2){
    if(r < 0)
      return -1;
    if(hi > HIMARGIN)
      FAIL("exec fails with %d free pages", hi);
    lo = hi;
  }
  while(hi - lo > 1){
    int mid = (lo + hi) / 2;
    if((r = tryexec(mid)) < 0)
      return -1;
    if(r)
      hi = mid;
    else
      lo = mid;
  }
  if((r = tryexec(hi + 1)) < 0)
    return -1;
  if(r != 1)
    FAIL("exec worked with %d free pages, not with %d", hi, hi + 1);
  int d = park();
  if(d != base)
    FAIL("%d free pages after, %d before", d, base);
  return 0;
}

static int
sbrkmargin(void)
{
  enum { N = 16 };
  int first = -1;
  ownall(0, 0, 0, 0);
  int base = park();
  for(int k = N - 4; k <= N + 4; k++){
    if(setfree(k) != k)
      FAIL("the ballast cannot leave %d pages free", k);
    char *brk = sbrk(0);
    char *r = sbrk(N*PGSIZE);
    int f = rawfreepages();
    if(r == (char*)-1){
      if(first >= 0)
        FAIL("sbrk of %d pages worked with %d free pages, failed with %d",
             N, first, k);
      if(f != k || sbrk(0) != brk)
        FAIL("a failed sbrk left %d free pages (of %d), break moved by %ld",
             f, k, (uint64)sbrk(0) - (uint64)brk);
      continue;
    }
    if(first < 0)
      first = k;
    if(r != brk)
      FAIL("sbrk returned %p, the break was %p", r, brk);
    r[N*PGSIZE - 1] = 1;
    sbrk(-N*PGSIZE);
    if((f = rawfreepages()) != k)
      FAIL("%d free pages after sbrk grew and shrank, %d before", f, k);
  }
  int d = park();
  if(first < N || first > N + 1)
    FAIL("sbrk of %d pages needs %d free pages, expected %d or %d (a "
         "page-table page)", N, first, N, N + 1);
  if(d != base)
    FAIL("%d free pages after, %d before", d, base);
  return 0;
}

static int
pipemargin(void)
{
  int p[2];
  ownall(0, 0, 0, 0);
  int base = park();
  int next = dup(0);
  close(next);
  if(setfree(0) != 0)
    FAIL("the ballast cannot take every page");
  int r = pipe(p);
  int f = rawfreepages();
  if(r != -1 || f != 0)
    FAIL("pipe with 0 free pages: returned %d, %d pages free after", r, f);
  int fd = dup(0);
  close(fd);
  if(fd != next)
    FAIL("a failed pipe left descriptors open: next is %d, was %d", fd,
         next);
  if(setfree(1) != 1)
    FAIL("the ballast cannot leave 1 page free");
  if(pipe(p) != 0)
    FAIL("pipe with 1 free page failed");
  f = rawfreepages();
  close(p[0]);
  close(p[1]);
  int g = rawfreepages();
  if(f != 0 || g != 1)
    FAIL("a pipe took %d pages, gave back %d", 1 - f, g - f);
  int d = park();
  if(d != base)
    FAIL("%d free pages after, %d before", d, base);
  return 0;
}

// ---- driver ---------------------------------------------------------------

static struct test tests[] = {
  { "forkmargin", forkmargin },
  { "forkhistory", forkhistory },
  { "cowmargin", cowmargin },
  { "reusezero", reusezero },
  { "forkbomb", forkbomb },
  { "forkbombmem", forkbombmem },
  { "fsfill", fsfill },
  { "execmargin", execmargin },
  { "sbrkmargin", sbrkmargin },
  { "pipemargin", pipemargin },
};

// The ballast, started by main before the tests and parked so that
// PARKFREE pages are free between tests.
static int ballastpid;

static int
startballast(void)
{
  int c[2], r[2];
  char a1[8], a2[8];
  struct brep rep;
  if(pipe(c) < 0 || pipe(r) < 0)
    return -1;
  ballastpid = fork();
  if(ballastpid == 0){
    snprintf(a1, sizeof a1, "%d", c[0]);
    snprintf(a2, sizeof a2, "%d", r[1]);
    char *argv[] = { "memtest", "-ballast", a1, a2, 0 };
    exec("/memtest", argv);
    exit(EXECFAIL);
  }
  close(c[0]);
  close(r[1]);
  bfd[0] = c[1];
  bfd[1] = r[0];
  if(ballastpid < 0 || bsend(B_SET, PARKFREE, &rep) < 0)
    return -1;
  parkheld = rep.held;
  return park() < 0 ? -1 : 0;
}

static void
stopballast(void)
{
  struct bcmd c = { B_QUIT, 0 };
  write(bfd[0], &c, sizeof c);
  close(bfd[0]);
  close(bfd[1]);
  if(ballastpid > 0)
    waitpid(ballastpid);
}

static int
warmup(void)
{
  return 0;
}

static void runfresh(struct test *t);

// One round of warmlineage (testlib.h): runfresh of the empty test.
static void
runwarm(void *t)
{
  runfresh(t);
}

// Run test t in a fresh exec of this program (a lineage of its own),
// then park the ballast whatever the test left it doing. The test's
// reason for failing comes back through a pipe. Like testlib's
// runtest, but main's child, the ballast, stays alive across tests.
static void
runfresh(struct test *t)
{
  int p[2], n;
  char a[4][12];
  uint64 before = rawfreepages();
  if(pipe(p) < 0){
    printf("FAIL %s: pipe failed\n", t->name);
    nfail++;
    return;
  }
  int pid = fork();
  if(pid == 0){
    close(p[0]);
    snprintf(a[0], sizeof a[0], "%d", p[1]);
    snprintf(a[1], sizeof a[1], "%d", bfd[0]);
    snprintf(a[2], sizeof a[2], "%d", bfd[1]);
    snprintf(a[3], sizeof a[3], "%d", parkheld);
    char *argv[] = { "memtest", "-run", t->name, a[0], a[1], a[2], a[3], 0 };
    exec("/memtest", argv);
    exit(EXECFAIL);
  }
  close(p[1]);
  n = read(p[0], why, sizeof why - 1);
  why[n > 0 ? n : 0] = 0;
  close(p[0]);
  int st = pid < 0 ? -1000 : waitpid(pid);
  int parked = park();
  uint64 after = rawfreepages();
  if(st != 0 && !why[0])
    snprintf(why, sizeof why, "test process exited with %d", st);
  else if(st == 0 && parked < 0)
    snprintf(why, sizeof why, "the ballast cannot park again");
  else if(st == 0 && after != before && t->fn != warmup)
    snprintf(why, sizeof why, "free pages %ld before, %ld after", before,
             after);
  if(why[0]){
    printf("FAIL %s: %s\n", t->name, why);
    nfail++;
  } else if(t->fn != warmup){
    printf("PASS %s\n", t->name);
    npass++;
  }
}

int
main(int argc, char *argv[])
{
  getpolicy(policy, sizeof policy);
  iscopy = strcmp(policy, "copy") == 0;
  iscow = strcmp(policy, "cow") == 0;

  if(argc == 2 && strcmp(argv[1], "-noop") == 0)
    exit(0);
  if(argc == 4 && strcmp(argv[1], "-ballast") == 0)
    ballast(atoi(argv[2]), atoi(argv[3]));
  if(argc == 6 && strcmp(argv[1], "-probe") == 0){
    bfd[0] = atoi(argv[4]);
    bfd[1] = atoi(argv[5]);
    probe(atoi(argv[2]), atoi(argv[3]));
  }
  if(argc == 7 && strcmp(argv[1], "-run") == 0){
    bfd[0] = atoi(argv[4]);
    bfd[1] = atoi(argv[5]);
    parkheld = atoi(argv[6]);
    if(strcmp(argv[2], "warmup") == 0)
      exit(0);
    for(int i = 0; i < NELEM(tests); i++){
      if(strcmp(argv[2], tests[i].name) == 0){
        int r = tests[i].fn();
        if(r != 0)
          write(atoi(argv[3]), why, strlen(why));
        exit(r == 0 ? 0 : 1);
      }
    }
    exit(2);
  }

  testquiet();
  uint64 before = freepages();
  printf("memtest: policy %s, %ld free pages\n", policy, before);
  if(startballast() < 0){
    printf("FAIL ballast: cannot start the ballast process\n");
    nfail++;
    stopballast();
    endsuite("memtest", before);
  }
  // Runs of a test that does nothing, not counted, until a run changes
  // nothing: what runfresh's own fork, pipe and wait grow in main's
  // lineage (policy state; a policy may start to learn only after a
  // few forks) is then there before the first counted test.
  struct test warm = { "warmup", warmup };
  warmlineage(runwarm, &warm);
  for(int i = 0; i < NELEM(tests); i++){
    int found = argc <= 1;
    for(int j = 1; j < argc; j++)
      if(strcmp(argv[j], tests[i].name) == 0)
        found = 1;
    if(found)
      runfresh(&tests[i]);
  }
  stopballast();
  endsuite("memtest", before);
}
