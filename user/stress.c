// stress: many processes at once on every hart: concurrent forks with
// copy-on-write stores on both sides, pipes carrying checksummed
// blocks through a chain of processes, exec, and kills of running
// children. The amount of work is fixed (no timed loops), every byte
// is checked, and each test must give back every page (testlib).
//
//   cowstorm   NWORK workers, each with its own heap, fork children and
//              grandchildren; parent and child store to the shared pages
//              at the same time (different pages each); everyone checks
//              every page against the pattern it must hold.
//   cowwave    NWORK children released at once by a barrier store to
//              the same shared pages: every hart copies the same pages
//              and drops its hold on them at the same time.
//   pipechain  NSTAGE processes in a chain; the first sends NBLOCK blocks
//              of random length with a sequence number and a checksum,
//              each stage checks, transforms and forwards them, the last
//              checks what arrives against what the first sent.
//   execstorm  NWORK workers fork and exec this program with arguments
//              derived from the worker and round; the program writes a
//              checksum of its arguments to a pipe and exits with a
//              status derived from it; both are checked.
//   killstorm  children that spin storing to memory, sleep, block in a
//              pipe read, block in a pipe write, fork and wait in a
//              loop, or run an exec'd spinner, are killed in a mixed
//              order while running: each exits -1, nothing leaks.
//   mixstorm   all of the above at once, smaller.
//
// Usage: stress [test ...]
//   (and, used by the tests: -sum ARGS..., -spin)

#include "user/user.h"
// (the driver's helpers this program does not use)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "user/testlib.h"
#pragma GCC diagnostic pop

#define NWORK 8          // concurrent workers (one per hart at CPUS=8)
#define NPAGE 24         // heap pages of a cowstorm worker
#define NROUND 3         // forks per cowstorm worker
#define NSTAGE 6         // processes in the pipe chain
#define NBLOCK 30        // blocks sent through the chain
#define MAXBLOCK 800     // largest block payload (more than a pipe holds)
#define NEXEC 4          // execs per execstorm worker
#define SETTLE 500       // ticks to wait for init to reap orphans

// ---- patterns and checksums ----------------------------------------------

static uint64
mix(uint64 x)
{
  x ^= x >> 31;
  x *= 0x7fb5d329728ea185UL;
  x ^= x >> 27;
  x *= 0x81dadef4bc2dd44dUL;
  return x ^ (x >> 33);
}

// The word w of page p of a heap stamped with seed.
static uint64
word(uint64 seed, int p, int w)
{
  return mix(seed * 0x10000 + p * 1024 + w);
}

static void
stamp(uint64 *h, int p, uint64 seed)
{
  uint64 *pg = h + p*(PGSIZE/8);
  for(int w = 0; w < PGSIZE/8; w++)
    pg[w] = word(seed, p, w);
}

static int
stamped(uint64 *h, int p, uint64 seed)
{
  uint64 *pg = h + p*(PGSIZE/8);
  for(int w = 0; w < PGSIZE/8; w++)
    if(pg[w] != word(seed, p, w))
      return 0;
  return 1;
}

static uint64
sum(uchar *p, int n, uint64 h)
{
  for(int i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3UL;
  return h;
}

// Wait for n children; returns how many exited with a status other
// than want.
static int
reap(int n, int want)
{
  int bad = 0, st;
  for(int i = 0; i < n; i++){
    if(wait(&st) < 0)
      return bad + n - i;
    if(st != want)
      bad++;
  }
  return bad;
}

// Wait (bounded) until the free-page count is before again: processes
// that were killed leave orphans that init reaps when it next runs.
static void
settle(uint64 before)
{
  for(int i = 0; i < SETTLE && freepages() != before; i++)
    sleep(1);
}

// ---- cowstorm --------------------------------------------------------------

// Check a worker's heap as one process sees it: the pages p with
// (p + gen) % 3 == 0 must hold mine's stamp, the others base's.
// Returns 0, or 1 + the first page that does not.
static int
checkheap(uint64 *h, uint64 base, uint64 mine, int gen)
{
  for(int p = 0; p < NPAGE; p++)
    if(!stamped(h, p, (p + gen) % 3 == 0 ? mine : base))
      return p + 1;
  return 0;
}

// A worker: NROUND times, fork a child; the child and the worker
// store to different pages of the shared heap at the same time, the
// child forks a grandchild on odd rounds that does the same again.
// Exits 0 if every page always held what it must.
__attribute__((noreturn)) static void
cowworker(int w)
{
  uint64 *h = (uint64*)sbrk(NPAGE*PGSIZE);
  uint64 seed = (uint64)w << 20;
  if(h == (uint64*)-1)
    exit(10);
  for(int p = 0; p < NPAGE; p++)
    stamp(h, p, seed);
  for(int r = 0; r < NROUND; r++){
    uint64 cseed = seed + 1000 + r;
    int pid = fork();
    if(pid < 0)
      exit(11);
    if(pid == 0){
      // the child stores to pages p with (p + 1) % 3 == 0
      for(int p = 0; p < NPAGE; p++)
        if((p + 1) % 3 == 0)
          stamp(h, p, cseed);
      if(checkheap(h, seed, cseed, 1))
        exit(12);
      if(r % 2){
        int g = fork();
        if(g == 0){
          for(int p = 0; p < NPAGE; p++)
            if((p + 2) % 3 == 0)
              stamp(h, p, cseed + 500);
          for(int p = 0; p < NPAGE; p++){
            uint64 s = (p + 2) % 3 == 0 ? cseed + 500 :
              (p + 1) % 3 == 0 ? cseed : seed;
            if(!stamped(h, p, s))
              exit(13);
          }
          exit(0);
        }
        if(g < 0 || reap(1, 0))
          exit(14);
      }
      exit(checkheap(h, seed, cseed, 1) ? 15 : 0);
    }
    // the worker stores to pages p with p % 3 == 0 meanwhile
    uint64 next = seed + 1;
    for(int p = 0; p < NPAGE; p++)
      if(p % 3 == 0)
        stamp(h, p, next);
    if(checkheap(h, seed, next, 0))
      exit(16);
    if(reap(1, 0))
      exit(17);
    // the worker's heap now holds next on p % 3 == 0 pages, seed
    // elsewhere: stamp it all with next for the following round
    for(int p = 0; p < NPAGE; p++)
      if(p % 3 != 0)
        stamp(h, p, next);
    seed = next;
  }
  for(int p = 0; p < NPAGE; p++)
    if(!stamped(h, p, seed))
      exit(18);
  exit(0);
}

static int
startcow(int n)
{
  for(int w = 0; w < n; w++){
    int pid = fork();
    if(pid < 0)
      return -1;
    if(pid == 0)
      cowworker(w);
  }
  return 0;
}

static int
cowstorm(void)
{
  if(startcow(NWORK) < 0)
    FAIL("fork failed");
  int bad = reap(NWORK, 0);
  if(bad)
    FAIL("%d of %d workers found pages with the wrong data", bad, NWORK);
  return 0;
}

// ---- cowwave ----------------------------------------------------------------

// NWAVE times: NWORK children share the parent's heap and wait at a
// barrier (end of file on a pipe); released together, each stores to
// every page at once (every hart copying the same pages and dropping
// its hold on them) and checks, then exits, while the parent stores to
// the same pages too.
static int
cowwave(void)
{
  enum { N = 16, NWAVE = 4 };
  uint64 *h = (uint64*)sbrk(N*PGSIZE);
  if(h == (uint64*)-1)
    FAIL("sbrk failed");
  for(int p = 0; p < N; p++)
    stamp(h, p, 1);
  for(int wave = 0; wave < NWAVE; wave++){
    int bar[2];
    char c;
    uint64 mine = 100 + wave;
    if(pipe(bar) < 0)
      FAIL("pipe failed");
    for(int w = 0; w < NWORK; w++){
      int pid = fork();
      if(pid < 0)
        FAIL("fork failed");
      if(pid == 0){
        close(bar[1]);
        read(bar[0], &c, 1);
        for(int p = 0; p < N; p++)
          stamp(h, p, 1000 + w);
        for(int p = 0; p < N; p++)
          if(!stamped(h, p, 1000 + w))
            exit(1);
        exit(0);
      }
    }
    close(bar[0]);
    close(bar[1]);   // go
    for(int p = 0; p < N; p++)
      stamp(h, p, mine);
    int bad = reap(NWORK, 0);
    if(bad)
      FAIL("wave %d: %d children saw wrong data", wave, bad);
    for(int p = 0; p < N; p++)
      if(!stamped(h, p, mine))
        FAIL("wave %d: the parent's page %d changed", wave, p);
  }
  return 0;
}

// ---- pipechain -------------------------------------------------------------

struct blockhdr {
  uint seq, len;
  uint64 sum;
};

// Read exactly n bytes (a pipe hands out what it has). Returns 0, or -1
// at end of file or on error.
static int
readn(int fd, void *buf, int n)
{
  char *p = buf;
  while(n > 0){
    int r = read(fd, p, n);
    if(r <= 0)
      return -1;
    p += r;
    n -= r;
  }
  return 0;
}

// The payload byte i of block seq as the first stage sends it.
static uchar
payload(int seq, int i)
{
  return mix(seq * 4096 + i);
}

static int
blocklen(int seq)
{
  return 1 + mix(seq + 77) % MAXBLOCK;
}

// Stage s of n: read blocks from in, check them, xor the payload with
// s, write them to out. Stage 0 makes the blocks; the last checks
// them against what stage 0 sent with every stage's xor applied.
__attribute__((noreturn)) static void
stage(int s, int n, int in, int out)
{
  static uchar buf[MAXBLOCK];
  struct blockhdr b;
  for(int seq = 0; seq < NBLOCK; seq++){
    if(s == 0){
      b.seq = seq;
      b.len = blocklen(seq);
      for(int i = 0; i < b.len; i++)
        buf[i] = payload(seq, i);
    } else {
      if(readn(in, &b, sizeof b) < 0)
        exit(20);
      if(b.seq != seq || b.len != blocklen(seq) ||
         readn(in, buf, b.len) < 0)
        exit(21);
      if(sum(buf, b.len, b.seq) != b.sum)
        exit(22);
      if(s == n - 1){
        uchar x = 0;
        for(int t = 1; t < n - 1; t++)
          x ^= t;
        for(int i = 0; i < b.len; i++)
          if(buf[i] != (payload(seq, i) ^ x))
            exit(23);
        continue;
      }
      for(int i = 0; i < b.len; i++)
        buf[i] ^= s;
    }
    b.sum = sum(buf, b.len, b.seq);
    if(write(out, &b, sizeof b) != sizeof b ||
       write(out, buf, b.len) != b.len)
      exit(24);
  }
  if(s > 0 && read(in, buf, 1) != 0)
    exit(25);   // more than was sent
  exit(0);
}

// Start the chain of n stages. Returns 0 or -1.
static int
startchain(int n)
{
  int in = -1, p[2];
  for(int s = 0; s < n; s++){
    if(s < n - 1 && pipe(p) < 0)
      return -1;
    int pid = fork();
    if(pid < 0)
      return -1;
    if(pid == 0){
      if(s < n - 1)
        close(p[0]);
      stage(s, n, in, s < n - 1 ? p[1] : -1);
    }
    if(in >= 0)
      close(in);
    if(s < n - 1){
      close(p[1]);
      in = p[0];
    }
  }
  return 0;
}

static int
pipechain(void)
{
  if(startchain(NSTAGE) < 0)
    FAIL("pipe or fork failed");
  int bad = reap(NSTAGE, 0);
  if(bad)
    FAIL("%d of %d stages saw wrong, missing or extra data", bad, NSTAGE);
  return 0;
}

// ---- execstorm -------------------------------------------------------------

// The checksum of a list of strings (what -sum prints).
static uint64
argsum(char **argv, int n)
{
  uint64 h = 0xcbf29ce484222325UL;
  for(int i = 0; i < n; i++)
    h = sum((uchar*)argv[i], strlen(argv[i]) + 1, h);
  return h;
}

// A worker: NEXEC times, fork and exec "stress -sum ..." with its
// output on a pipe; check what it writes and its status.
__attribute__((noreturn)) static void
execworker(int w)
{
  char a[4][16];
  for(int r = 0; r < NEXEC; r++){
    int p[2];
    int n = 1 + (w + r) % 4;
    char *argv[8] = { "stress", "-sum" };
    for(int i = 0; i < n; i++){
      snprintf(a[i], sizeof a[i], "%lx", mix(w * 100 + r * 10 + i));
      argv[2 + i] = a[i];
    }
    argv[2 + n] = 0;
    uint64 want = argsum(argv + 2, n), got;
    if(pipe(p) < 0)
      exit(30);
    int pid = fork();
    if(pid < 0)
      exit(31);
    if(pid == 0){
      close(1);
      dup(p[1]);
      close(p[0]);
      close(p[1]);
      exec("/stress", argv);
      exit(EXECFAIL);
    }
    close(p[1]);
    int ok = readn(p[0], &got, sizeof got) == 0 && got == want;
    close(p[0]);
    int st = waitpid(pid);
    if(!ok || st != (int)(want & 0x7f))
      exit(32);
  }
  exit(0);
}

static int
startexec(int n)
{
  for(int w = 0; w < n; w++){
    int pid = fork();
    if(pid < 0)
      return -1;
    if(pid == 0)
      execworker(w);
  }
  return 0;
}

static int
execstorm(void)
{
  if(startexec(NWORK) < 0)
    FAIL("fork failed");
  int bad = reap(NWORK, 0);
  if(bad)
    FAIL("%d of %d exec workers saw a wrong checksum or status", bad,
         NWORK);
  return 0;
}

// ---- killstorm -------------------------------------------------------------

enum { SPIN, SLEEPER, READER, WRITER, FORKER, EXECED, NKIND };

// Start a victim of kind k: it runs until it is killed. Returns its
// pid, or -1.
static int
victim(int k)
{
  int p[2];
  if((k == READER || k == WRITER) && pipe(p) < 0)
    return -1;
  int pid = fork();
  if(pid != 0){
    // The victim keeps both ends: a reader gets no end of file, a
    // writer blocks once the pipe is full.
    if(k == READER || k == WRITER){
      close(p[0]);
      close(p[1]);
    }
    return pid;
  }
  switch(k){
  case SPIN: {
    uint64 *h = (uint64*)sbrk(4*PGSIZE);
    for(uint64 i = 0; ; i++)
      h[i % (4*PGSIZE/8)] = i;
  }
  case SLEEPER:
    sleep(1000000);
    break;
  case READER: {
    char c;
    read(p[0], &c, 1);
    break;
  }
  case WRITER: {
    char buf[128];
    memset(buf, 'w', sizeof buf);
    for(;;)
      write(p[1], buf, sizeof buf);
  }
  case FORKER:
    for(;;){
      int c = fork();
      if(c == 0)
        exit(0);
      if(c > 0)
        waitpid(c);
    }
  case EXECED: {
    char *argv[] = { "stress", "-spin", 0 };
    exec("/stress", argv);
    break;
  }
  }
  exit(EXECFAIL);   // a victim that stopped by itself
}

// In a child of its own (so that its waits see only the victims):
// start n victims of every kind, let them run, kill them in a mixed
// order, reap them. The child exits with the number that did not exit
// -1, or 100 if a victim could not be started. Returns its pid.
static int
killvictims(int n)
{
  int pids[NKIND * 8], m = n * NKIND;
  int pid = fork();
  if(pid != 0)
    return pid;
  for(int i = 0; i < m; i++)
    if((pids[i] = victim(i % NKIND)) < 0)
      exit(100);
  sleep(2);
  for(int i = 0; i < m; i++){
    // 7 is prime to m = 6n (n < 7): every victim once, mixed
    if(kill(pids[(i * 7) % m]) < 0)
      exit(100);
    if(i % 5 == 0)
      sleep(1);
  }
  exit(reap(m, -1));
}

static int
killstorm(void)
{
  uint64 before = freepages();
  int pid = killvictims(3);
  int st = pid < 0 ? -1000 : waitpid(pid);
  if(st == 100 || st == -1000)
    FAIL("could not start the victims");
  if(st)
    FAIL("%d killed children exited with a status other than -1", st);
  settle(before);
  return 0;
}

// ---- mixstorm ----------------------------------------------------------------

static int
mixstorm(void)
{
  uint64 before = freepages();
  if(startcow(NWORK / 2) < 0 || startchain(NSTAGE / 2 + 1) < 0 ||
     startexec(NWORK / 2) < 0 || killvictims(2) < 0)
    FAIL("fork or pipe failed");
  int bad = reap(NWORK / 2 + NSTAGE / 2 + 1 + NWORK / 2 + 1, 0);
  if(bad)
    FAIL("%d workers, stages or killers saw wrong data or status", bad);
  settle(before);
  return 0;
}

static struct test tests[] = {
  { "cowstorm", cowstorm },
  { "cowwave", cowwave },
  { "pipechain", pipechain },
  { "execstorm", execstorm },
  { "killstorm", killstorm },
  { "mixstorm", mixstorm },
};

int
main(int argc, char *argv[])
{
  if(argc >= 2 && strcmp(argv[1], "-sum") == 0){
    uint64 h = argsum(argv + 2, argc - 2);
    write(1, &h, sizeof h);
    exit(h & 0x7f);
  }
  if(argc == 2 && strcmp(argv[1], "-spin") == 0){
    uint64 *h = (uint64*)sbrk(4*PGSIZE);
    for(uint64 i = 0; ; i++)
      h[(i * 67) % (4*PGSIZE/8)] = i;
  }
  testsetup(tests, NELEM(tests), argc, argv);
  char policy[32];
  getpolicy(policy, sizeof policy);
  uint64 before = freepages();
  printf("stress: policy %s, %ld free pages\n", policy, before);
  runtests(tests, NELEM(tests), argc, argv);
  endsuite("stress", before);
}
