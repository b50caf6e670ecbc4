// kerneltests: tests of the kernel core: fork, exit, wait and kill,
// sbrk, exec, bad pointers handed to system calls, faulting processes,
// and that no physical page is lost on the way.
//
// Each test runs in a child process of its own, so that a test that
// crashes cannot take the suite down, and the suite checks the
// system's free-page count around every test. Output: one line
// "PASS name" or "FAIL name: why" per test, then
// "kerneltests: N passed, N failed". Exit status 0 iff all passed.
// "kerneltests name ..." runs only the named tests.

#include "user/user.h"
#include "user/testlib.h"
#include "kernel/elf.h"

#define USERSTACK 4     // kernel/param.h: user stack pages
#define MAXARG 32       // kernel/param.h
#define CHAIN 100       // generations in forkchain; all live at once
#define NCHILD 64       // concurrent children in forkmany

static uint64 heapstart;   // the break when the suite started
static int marker = 0x5eed;   // data that a failed exec must leave alone
static char buf[8192];

// Run fn in a child and return its exit status (-1 if it was
// killed), or -1000 if fork or wait failed.
static int
inchild(void (*fn)(void))
{
  int pid;

  pid = fork();
  if(pid < 0)
    return -1000;
  if(pid == 0){
    fn();
    exit(0);
  }
  return waitpid(pid);
}

// Try exec(path, argv) in a child whose exec failing makes it exit
// with EXECFAIL after checking that its memory is intact. Returns
// the child's status: EXECFAIL if exec returned -1 as it should,
// else what the exec'd program (or a broken child) exited with.
static int
tryexec(char *path, char **argv)
{
  int pid;
  uint64 brk;

  pid = fork();
  if(pid < 0)
    return -1000;
  if(pid == 0){
    brk = (uint64)sbrk(0);
    if(exec(path, argv) != -1)
      exit(43);
    if(marker != 0x5eed || (uint64)sbrk(0) != brk)
      exit(44);
    exit(EXECFAIL);
  }
  return waitpid(pid);
}

// ---- fork, exit, wait ------------------------------------------------

// CHAIN generations, each the child of the one before, all alive at
// once: every process forks the next, waits for it and exits with
// its status plus one, so the first sees CHAIN only if every
// generation was created, ran and was reaped.
static int
forkchain(void)
{
  int level, pid, st;

  for(level = 0; ; level++){
    if(level == CHAIN - 1)
      exit(1);
    pid = fork();
    if(pid < 0){
      if(level == 0)
        FAIL("fork failed at the first level");
      exit(-100);
    }
    if(pid == 0)
      continue;
    st = waitpid(pid);
    if(level > 0)
      exit(st < 0 ? st : st + 1);
    if(st != CHAIN - 1)
      FAIL("expected %d generations, got status %d", CHAIN - 1, st);
    return 0;
  }
}

// Fork, exit, wait one child after another, many times: slots and
// pids are reused and every status arrives.
static int
forkloop(void)
{
  int i, pid, lastpid;

  lastpid = 0;
  for(i = 0; i < 300; i++){
    pid = fork();
    if(pid < 0)
      FAIL("fork %d failed", i);
    if(pid == 0)
      exit(i % 200);
    if(pid <= lastpid)
      FAIL("pid %d not above the previous %d", pid, lastpid);
    lastpid = pid;
    if(waitpid(pid) != i % 200)
      FAIL("child %d: wrong status", i);
  }
  if(wait(0) != -1)
    FAIL("wait with no children did not return -1");
  return 0;
}

// NCHILD children alive at the same time: each blocks reading a pipe
// until the parent closes the write end after forking all of them,
// then exits with its own number. Every pid and status must come
// back exactly once.
static int
forkmany(void)
{
  int p[2], pids[NCHILD], seen[NCHILD], i, j, pid, st;
  char c;

  if(pipe(p) < 0)
    FAIL("pipe failed");
  for(i = 0; i < NCHILD; i++){
    pid = fork();
    if(pid < 0){
      close(p[1]);
      while(wait(0) >= 0)
        ;
      FAIL("fork of child %d failed", i);
    }
    if(pid == 0){
      close(p[1]);
      if(read(p[0], &c, 1) != 0)
        exit(1);
      exit(100 + i);
    }
    pids[i] = pid;
    seen[i] = 0;
  }
  close(p[1]);
  close(p[0]);
  for(j = 0; j < NCHILD; j++){
    st = -1;
    pid = wait(&st);
    for(i = 0; i < NCHILD && pids[i] != pid; i++)
      ;
    if(i == NCHILD)
      FAIL("wait returned %d, not one of the children", pid);
    if(seen[i]++)
      FAIL("child %d reaped twice", i);
    if(st != 100 + i)
      FAIL("child %d: expected status %d, got %d", i, 100 + i, st);
  }
  if(wait(0) != -1)
    FAIL("a %dth child to wait for", NCHILD + 1);
  return 0;
}

// wait returns the exit status as given to exit, whole; wait(0)
// reaps without reporting; with no children wait returns -1.
static int
waitstatus(void)
{
  static int codes[] = { 0, 7, 1, 255, 256, -5, 0x12345678 };
  int i, pid, st;

  for(i = 0; i < NELEM(codes); i++){
    pid = fork();
    if(pid < 0)
      FAIL("fork failed");
    if(pid == 0)
      exit(codes[i]);
    st = -1234;
    if(wait(&st) != pid)
      FAIL("wait did not return the child's pid");
    if(st != codes[i])
      FAIL("exit(%d) gave status %d", codes[i], st);
  }
  pid = fork();
  if(pid == 0)
    exit(3);
  if(wait(0) != pid)
    FAIL("wait(0) did not return the child's pid");
  if(wait(0) != -1 || wait(&st) != -1)
    FAIL("wait with no children did not return -1");
  return 0;
}

// A child that forks and exits at once leaves an orphan; init must
// adopt and reap it, so the system's free pages come back.
static int
orphan(void)
{
  int p[2], q[2], pid, i;
  uint64 before;
  char c;

  if(pipe(p) < 0 || pipe(q) < 0)
    FAIL("pipe failed");
  before = freepages();
  pid = fork();
  if(pid < 0)
    FAIL("fork failed");
  if(pid == 0){
    if(fork() == 0){
      // the orphan: wait until its parent is surely gone
      if(read(p[0], &c, 1) != 1)
        exit(1);
      write(q[1], "k", 1);
      exit(0);
    }
    exit(0);
  }
  if(waitpid(pid) != 0)
    FAIL("middle child failed");
  write(p[1], "x", 1);
  if(read(q[0], &c, 1) != 1 || c != 'k')
    FAIL("the orphan did not run after its parent exited");
  for(i = 0; i < 300 && freepages() != before; i++)
    sleep(1);
  if(freepages() != before)
    FAIL("free pages %lu, expected %lu after init reaps the orphan",
         freepages(), before);
  return 0;
}

// After fork, parent and child each see the memory as it was at fork
// and their own later writes only, in either order of writing.
static int
forkisolation(void)
{
  enum { N = 8 };
  char *a, c;
  int i, pid, p[2], q[2];

  a = sbrk(N * PGSIZE);
  if(a == (char*)-1)
    FAIL("sbrk failed");
  for(i = 0; i < N * PGSIZE; i++)
    a[i] = i % 251;
  if(pipe(p) < 0 || pipe(q) < 0)
    FAIL("pipe failed");
  pid = fork();
  if(pid < 0)
    FAIL("fork failed");
  if(pid == 0){
    // let the parent write first, then check and write our own
    if(read(p[0], &c, 1) != 1)
      exit(1);
    for(i = 0; i < N * PGSIZE; i++)
      if(a[i] != (char)(i % 251))
        exit(2);
    for(i = 0; i < N * PGSIZE; i += 100)
      a[i] = 'c';
    for(i = 0; i < N * PGSIZE; i += 100)
      if(a[i] != 'c')
        exit(3);
    write(q[1], "d", 1);
    exit(0);
  }
  for(i = 0; i < N * PGSIZE; i += 2*PGSIZE)
    a[i] = 'p';
  write(p[1], "g", 1);
  if(read(q[0], &c, 1) != 1)
    FAIL("child died before writing");
  switch(waitpid(pid)){
  case 0:
    break;
  case 2:
    FAIL("child saw the parent's write made after fork");
  case 3:
    FAIL("child's own writes did not stick");
  default:
    FAIL("child failed");
  }
  for(i = 0; i < N * PGSIZE; i++){
    if(i % (2*PGSIZE) == 0){
      if(a[i] != 'p')
        FAIL("parent's own write lost at %d", i);
    } else if(a[i] != (char)(i % 251)){
      FAIL("parent sees the child's write at offset %d", i);
    }
  }
  return 0;
}

// The kernel writing into memory shared by fork (read() into a buffer
// after fork) must give the writer its own copy, as a store would.
static int
cowcopyout(void)
{
  static char shared[3*PGSIZE];
  int fd, pid;

  memset(shared, 'a', sizeof shared);
  memset(buf, 'z', 2*PGSIZE);
  if(writefile("kt.cow", buf, 2*PGSIZE) < 0)
    FAIL("cannot write kt.cow");
  pid = fork();
  if(pid < 0)
    FAIL("fork failed");
  if(pid == 0){
    fd = open("kt.cow", O_RDONLY);
    if(fd < 0 || read(fd, shared + 100, 2*PGSIZE) != 2*PGSIZE)
      exit(1);
    if(shared[99] != 'a' || shared[100] != 'z' ||
       shared[2*PGSIZE + 99] != 'z' || shared[2*PGSIZE + 100] != 'a')
      exit(2);
    exit(0);
  }
  if(waitpid(pid) != 0)
    FAIL("child's read into shared memory went wrong");
  unlink("kt.cow");
  for(int i = 0; i < sizeof shared; i++)
    if(shared[i] != 'a')
      FAIL("the child's read() changed the parent's memory at %d", i);
  return 0;
}

// Make the pages of [0, end) this process's own: under COW a page
// still shared with the parent is copied at the first store. The
// kernel copies each page into a pipe and back, which resolves COW
// pages and leaves read-only (text) and unmapped pages alone.
static void
settle(uint64 end)
{
  uint64 va;
  int p[2];
  char c;

  if(pipe(p) < 0)
    return;
  for(va = 0; va < end; va += PGSIZE){
    if(write(p[1], (char*)va, 1) != 1)
      continue;
    if(read(p[0], (char*)va, 1) != 1)
      read(p[0], &c, 1);
  }
  close(p[0]);
  close(p[1]);
}

// Memory runs out while a child still shares pages with its parent:
// the child's stores then need copies that cannot be made, so it is
// killed (under a copying policy it had its copies already and runs
// on); the kernel survives, and the parent, holding its pages alone
// again, can store to them without any free memory.
static int
cowoom(void)
{
  enum { N = 16 };
  char *h, *start, c;
  int p[2], pid, i, st;
  uint64 total, step;

  if(pipe(p) < 0)
    FAIL("pipe failed");
  h = sbrk(N * PGSIZE);
  if(h == (char*)-1)
    FAIL("sbrk failed");
  for(i = 0; i < N * PGSIZE; i++)
    h[i] = i % 13;
  pid = fork();
  if(pid < 0)
    FAIL("fork failed");
  if(pid == 0){
    if(read(p[0], &c, 1) != 1)
      exit(1);
    for(i = 0; i < N * PGSIZE; i += PGSIZE)
      h[i] = 'c';
    exit(0);
  }
  settle((uint64)h);   // our own pages below the shared heap
  start = sbrk(0);
  total = 0;
  for(step = 1024*1024; step >= PGSIZE; step /= 4)
    while(sbrk(step) != (char*)-1)
      total += step;
  write(p[1], "g", 1);
  st = waitpid(pid);
  if(st != -1 && st != 0)
    FAIL("child exited with %d, expected -1 (no memory) or 0", st);
  for(i = 0; i < N * PGSIZE; i++)
    if(h[i] != (char)(i % 13))
      FAIL("parent's memory changed at offset %d", i);
  for(i = 0; i < N * PGSIZE; i += PGSIZE)
    h[i] = 'p';   // must not need a free page
  if(sbrk(-total) != start + total)
    FAIL("giving memory back failed");
  close(p[0]);
  close(p[1]);
  return 0;
}

// ---- kill --------------------------------------------------------------

// kill wakes a process sleeping in sleep(); it exits with -1 long
// before its sleep would have ended.
static int
killsleep(void)
{
  int pid, st, t0;

  pid = fork();
  if(pid < 0)
    FAIL("fork failed");
  if(pid == 0){
    sleep(1000);
    exit(0);
  }
  sleep(2);
  t0 = uptime();
  if(kill(pid) != 0)
    FAIL("kill returned non-zero");
  st = waitpid(pid);
  if(st != -1)
    FAIL("killed sleeper exited with %d, expected -1", st);
  if(uptime() - t0 > 200)
    FAIL("killed sleeper took %d ticks to die", uptime() - t0);
  return 0;
}

// kill of a process blocked reading an empty pipe.
static int
killpipe(void)
{
  int p[2], pid, st;
  char c;

  if(pipe(p) < 0)
    FAIL("pipe failed");
  pid = fork();
  if(pid == 0){
    read(p[0], &c, 1);
    exit(0);
  }
  sleep(2);
  kill(pid);
  st = waitpid(pid);
  close(p[0]);
  close(p[1]);
  if(st != -1)
    FAIL("killed pipe reader exited with %d, expected -1", st);
  return 0;
}

// kill of a process spinning in user mode, making no system calls.
static int
killspin(void)
{
  int p[2], pid, st;
  char c;
  volatile int spin;

  if(pipe(p) < 0)
    FAIL("pipe failed");
  pid = fork();
  if(pid == 0){
    write(p[1], "r", 1);
    for(spin = 0; ; spin++)
      ;
  }
  if(read(p[0], &c, 1) != 1)
    FAIL("child did not start");
  sleep(1);
  if(kill(pid) != 0)
    FAIL("kill returned non-zero");
  st = waitpid(pid);
  close(p[0]);
  close(p[1]);
  if(st != -1)
    FAIL("killed spinner exited with %d, expected -1", st);
  return 0;
}

// kill of a pid that does not exist returns -1.
static int
killnone(void)
{
  int pid;

  if(kill(999999) != -1 || kill(-1) != -1 || kill(0) != -1)
    FAIL("kill of a missing pid did not return -1");
  pid = fork();
  if(pid == 0)
    exit(0);
  waitpid(pid);
  if(kill(pid) != -1)
    FAIL("kill of a reaped child did not return -1");
  return 0;
}

// ---- sbrk --------------------------------------------------------------

// Grow by 10 pages: the old break comes back, the new memory is zero
// and holds what is written; shrinking returns it, and a load from the
// returned part kills the process.
static char *shrunk;
static void
loadshrunk(void)
{
  volatile char c = *shrunk;
  (void)c;
}

static int
sbrkbasic(void)
{
  char *a, *b;
  int i;
  uint64 f0, f1;

  f0 = freepages();
  a = sbrk(0);
  b = sbrk(10*PGSIZE);
  if(b != a)
    FAIL("sbrk(n) returned %p, expected the old break %p", b, a);
  if(sbrk(0) != a + 10*PGSIZE)
    FAIL("break did not move by 10 pages");
  f1 = freepages();
  if(f1 + 10 > f0)
    FAIL("free pages went from %lu to %lu: fewer than 10 used", f0, f1);
  for(i = 0; i < 10*PGSIZE; i++)
    if(a[i] != 0)
      FAIL("new memory not zero at offset %d", i);
  for(i = 0; i < 10*PGSIZE; i++)
    a[i] = i * 7;
  for(i = 0; i < 10*PGSIZE; i++)
    if(a[i] != (char)(i * 7))
      FAIL("new memory does not hold what was written at %d", i);
  if(sbrk(-10*PGSIZE) != a + 10*PGSIZE || sbrk(0) != a)
    FAIL("shrink did not return the break to %p", a);
  if(freepages() < f1 + 10)
    FAIL("shrink freed fewer than 10 pages");
  shrunk = a + 5*PGSIZE;
  if(inchild(loadshrunk) != -1)
    FAIL("load from memory given back by sbrk did not kill");
  return 0;
}

// Memory given back and grown again is zero, not the old content;
// sizes need not be page multiples.
static int
sbrkzero(void)
{
  char *a;
  int i;

  a = sbrk(3*PGSIZE + 100);
  if(a == (char*)-1)
    FAIL("sbrk failed");
  memset(a, 0xab, 3*PGSIZE + 100);
  if(sbrk(-(3*PGSIZE + 100)) == (char*)-1)
    FAIL("shrink failed");
  if(sbrk(3*PGSIZE + 100) != a)
    FAIL("regrow did not start at the same break");
  for(i = 0; i < 3*PGSIZE + 100; i++)
    if(a[i] != 0)
      FAIL("regrown memory not zero at offset %d: 0x%x", i, a[i] & 0xff);
  sbrk(-(3*PGSIZE + 100));
  return 0;
}

// Shrinking below the start of the heap fails and changes nothing;
// the process runs on.
static int
sbrkbelow(void)
{
  char *cur;
  int n;

  cur = sbrk(0);
  n = (uint64)cur - heapstart;
  if(sbrk(-(n + 1)) != (char*)-1)
    FAIL("shrink one byte below the heap start did not fail");
  if(sbrk(-(int)(uint64)cur) != (char*)-1)
    FAIL("shrink to address 0 did not fail");
  if(sbrk(-0x7fffffff - 1) != (char*)-1)
    FAIL("sbrk(INT_MIN) did not fail");
  if(sbrk(0) != cur)
    FAIL("break moved by failed sbrk calls");
  marker++;
  if(marker != 0x5eee)
    FAIL("data not usable after failed sbrk");
  marker--;
  return 0;
}

// Growing past all of memory fails; the process and the memory it
// had are fine, and a modest sbrk works afterwards.
static int
sbrktoomuch(void)
{
  char *cur, *a;
  uint64 f0;

  f0 = freepages();
  cur = sbrk(0);
  if(sbrk(0x7fffffff) != (char*)-1)
    FAIL("sbrk of 2 GiB succeeded on a machine with less memory");
  if(sbrk(0) != cur)
    FAIL("break moved by a failed sbrk");
  // what the failed attempt allocated is back, page tables included
  if(freepages() != f0)
    FAIL("failed sbrk kept %lu pages", f0 - freepages());
  a = sbrk(PGSIZE);
  if(a != cur)
    FAIL("sbrk after the failure returned %p, expected %p", a, cur);
  a[0] = 1;
  a[PGSIZE-1] = 2;
  if(a[0] + a[PGSIZE-1] != 3)
    FAIL("memory from sbrk after the failure not usable");
  return 0;
}

// ---- exec --------------------------------------------------------------

// exec echo with arguments in a child whose output goes to a file:
// the file holds exactly the arguments.
static int
execargs(void)
{
  char *argv[] = { "echo", "hello", "exec", "world", 0 };
  int pid, fd, n;

  pid = fork();
  if(pid < 0)
    FAIL("fork failed");
  if(pid == 0){
    close(1);
    if(open("kt.echo", O_CREATE | O_TRUNC | O_WRONLY) != 1)
      exit(2);
    exec("/echo", argv);
    exit(EXECFAIL);
  }
  if(waitpid(pid) != 0)
    FAIL("echo child did not exit 0");
  fd = open("kt.echo", O_RDONLY);
  if(fd < 0)
    FAIL("no output file");
  n = read(fd, buf, sizeof buf - 1);
  close(fd);
  unlink("kt.echo");
  if(n < 0)
    FAIL("cannot read output");
  buf[n] = 0;
  if(strcmp(buf, "hello exec world\n") != 0)
    FAIL("echo wrote '%s'", buf);
  return 0;
}

// A hand-made ELF program of three instructions, written at run time:
// it exits with its argc, so its status shows that exec loaded it and
// passed the arguments.
static uint code[] = {
  0x00200893,   // li a7, SYS_exit
  0x00000073,   // ecall (a0 still holds argc)
};

// Build an ELF image in buf: one R X segment at vaddr PGSIZE (page 0
// stays unmapped so that null pointers fault) with the code
// at file offset PGSIZE. Returns its size.
static int
mkelf(void)
{
  struct elfhdr *e;
  struct proghdr *ph;

  memset(buf, 0, sizeof buf);
  e = (struct elfhdr*)buf;
  e->magic = ELF_MAGIC;
  e->elf[0] = 2;   // 64-bit
  e->elf[1] = 1;   // little endian
  e->elf[2] = 1;
  e->type = 2;     // executable
  e->machine = 243;   // RISC-V
  e->version = 1;
  e->entry = PGSIZE;
  e->phoff = sizeof(*e);
  e->ehsize = sizeof(*e);
  e->phentsize = sizeof(*ph);
  e->phnum = 1;
  ph = (struct proghdr*)(buf + sizeof(*e));
  ph->type = ELF_PROG_LOAD;
  ph->flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_EXEC;
  ph->off = PGSIZE;
  ph->vaddr = PGSIZE;
  ph->filesz = sizeof code;
  ph->memsz = sizeof code;
  ph->align = PGSIZE;
  memmove(buf + PGSIZE, code, sizeof code);
  return PGSIZE + sizeof code;
}

static int
execcrafted(void)
{
  char *argv[] = { "tiny", "a", "b", 0 };
  int n, st;

  n = mkelf();
  if(writefile("kt.elf", buf, n) < 0)
    FAIL("cannot write kt.elf");
  st = tryexec("kt.elf", argv);
  unlink("kt.elf");
  if(st != 3)
    FAIL("hand-made ELF with 3 arguments exited %d, expected 3", st);
  return 0;
}

// Each way of breaking an ELF file makes exec return -1 in a caller
// that goes on unharmed. Each case edits the good image from mkelf.
static int
execbadelf(void)
{
  char *argv[] = { "bad", 0 };
  struct elfhdr *e;
  struct proghdr *ph;
  int fd, n, st, i;
  static char *cases[] = {
    "garbage", "empty", "truncated header", "bad magic",
    "bad phentsize", "truncated segment", "huge memsz", "memsz < filesz",
    "unaligned vaddr", "overlapping segments", "wrapping vaddr",
    "truncated echo", "segment beyond file", "segment in page 0",
  };

  e = (struct elfhdr*)buf;
  ph = (struct proghdr*)(buf + sizeof(*e));
  for(i = 0; i < NELEM(cases); i++){
    n = mkelf();
    switch(i){
    case 0:
      for(int j = 0; j < n; j++)
        buf[j] = (j * 37 + 11) ^ (j >> 3);
      break;
    case 1:
      n = 0;
      break;
    case 2:
      n = 40;
      break;
    case 3:
      e->magic = 0x464C457EU;
      break;
    case 4:
      e->phentsize = sizeof(*ph) + 8;
      break;
    case 5:
      n = PGSIZE + 4;
      break;
    case 6:
      ph->memsz = 0x3000000000UL;
      break;
    case 7:
      ph->memsz = 2;
      break;
    case 8:
      ph->vaddr = PGSIZE + 0x10;
      break;
    case 9:
      e->phnum = 2;
      memmove(ph + 1, ph, sizeof(*ph));
      break;
    case 10:
      ph->vaddr = 0xfffffffffffff000UL;
      break;
    case 11:
      // the first 2000 bytes of a real program: headers but no code
      fd = open("/echo", O_RDONLY);
      if(fd < 0 || read(fd, buf, 2000) != 2000)
        FAIL("cannot read /echo");
      close(fd);
      n = 2000;
      break;
    case 12:
      ph->off = 0x100000;
      break;
    case 13:
      ph->vaddr = 0;
      e->entry = 0;
      break;
    }
    if(writefile("kt.bad", buf, n) < 0)
      FAIL("cannot write kt.bad (%s)", cases[i]);
    st = tryexec("kt.bad", argv);
    if(st != EXECFAIL){
      unlink("kt.bad");
      FAIL("exec of ELF with %s: child status %d, expected %d",
           cases[i], st, EXECFAIL);
    }
  }
  unlink("kt.bad");
  if((st = tryexec("kt.nonexistent", argv)) != EXECFAIL)
    FAIL("exec of a missing file: status %d", st);
  if((st = tryexec("/", argv)) != EXECFAIL)
    FAIL("exec of a directory: status %d", st);
  if((st = tryexec("/README", argv)) != EXECFAIL)
    FAIL("exec of a text file: status %d", st);
  return 0;
}

// MAXARG arguments are accepted, MAXARG+1 are not.
static int
execmaxargs(void)
{
  static char *argv[MAXARG + 2];
  int i, n, st;

  n = mkelf();
  if(writefile("kt.elf", buf, n) < 0)
    FAIL("cannot write kt.elf");
  for(i = 0; i < MAXARG + 1; i++)
    argv[i] = "x";
  argv[MAXARG] = 0;
  st = tryexec("kt.elf", argv);
  if(st != MAXARG){
    unlink("kt.elf");
    FAIL("exec with %d arguments: status %d", MAXARG, st);
  }
  argv[MAXARG] = "x";
  argv[MAXARG + 1] = 0;
  st = tryexec("kt.elf", argv);
  unlink("kt.elf");
  if(st != EXECFAIL)
    FAIL("exec with %d arguments: status %d, expected failure",
         MAXARG + 1, st);
  return 0;
}

// ---- bad pointers ------------------------------------------------------

// Addresses no system call may read or write through.
static uint64 bad[] = {
  0,                      // null: page 0 is never mapped
  8,                      // a small offset from null
  0x80000000UL,           // the kernel
  0x87fff000UL,           // the top of RAM
  TRAPFRAME,              // mapped, but not user-accessible
  MAXVA - PGSIZE,         // the trampoline
  MAXVA,                  // just past the last virtual address
  0xffffffffffffff00UL,   // wraps around when a length is added
  0,                      // filled with break + 1 MiB by setbad()
};
#define NBAD NELEM(bad)

// Where the kernel must not write: read-only text (programs are
// linked at PGSIZE).
static uint64 textbad[] = { PGSIZE, 0 };   // [1] is set by setbad()

static void
setbad(void)
{
  bad[NBAD-1] = (uint64)sbrk(0) + 0x100000;
  textbad[1] = (uint64)freepages;
}

// read into bad memory from a file and from a pipe.
static int
badread(void)
{
  int fd, p[2], i;

  setbad();
  memset(buf, 'r', 100);
  if(writefile("kt.data", buf, 100) < 0)
    FAIL("cannot write kt.data");
  fd = open("kt.data", O_RDONLY);
  if(fd < 0)
    FAIL("cannot open kt.data");
  if(pipe(p) < 0)
    FAIL("pipe failed");
  for(i = 0; i < NBAD; i++){
    if(read(fd, (void*)bad[i], 10) != -1)
      FAIL("read into %p did not return -1", (void*)bad[i]);
    write(p[1], "abc", 3);
    if(read(p[0], (void*)bad[i], 3) != -1)
      FAIL("pipe read into %p did not return -1", (void*)bad[i]);
    read(p[0], buf, 3);
  }
  for(i = 0; i < NELEM(textbad); i++)
    if(read(fd, (void*)textbad[i], 10) != -1)
      FAIL("read into text at %p did not return -1", (void*)textbad[i]);
  // a buffer that runs off the end of memory
  if(read(fd, sbrk(0) - 10, 50) != -1)
    FAIL("read running past the break did not return -1");
  close(fd);
  close(p[0]);
  close(p[1]);
  unlink("kt.data");
  return 0;
}

// write from bad memory to a file, a pipe and the console.
static int
badwrite(void)
{
  int fd, p[2], i;
  struct stat st;

  setbad();
  fd = open("kt.data", O_CREATE | O_TRUNC | O_RDWR);
  if(fd < 0)
    FAIL("cannot create kt.data");
  if(pipe(p) < 0)
    FAIL("pipe failed");
  for(i = 0; i < NBAD; i++){
    if(write(fd, (void*)bad[i], 10) != -1)
      FAIL("write from %p to a file did not return -1", (void*)bad[i]);
    if(write(p[1], (void*)bad[i], 10) != -1)
      FAIL("write from %p to a pipe did not return -1", (void*)bad[i]);
    if(write(1, (void*)bad[i], 10) != -1)
      FAIL("write from %p to the console did not return -1",
           (void*)bad[i]);
  }
  if(fstat(fd, &st) < 0 || st.size != 0)
    FAIL("file grew by bad writes to %d bytes", (int)st.size);
  close(fd);
  close(p[0]);
  close(p[1]);
  unlink("kt.data");
  return 0;
}

// pipe(bad) returns -1 and leaves no descriptor behind.
static int
badpipe(void)
{
  int i, fd;

  setbad();
  for(i = 0; i < NBAD; i++)
    if(pipe((int*)bad[i]) != -1)
      FAIL("pipe(%p) did not return -1", (void*)bad[i]);
  for(i = 0; i < NELEM(textbad); i++)
    if(pipe((int*)textbad[i]) != -1)
      FAIL("pipe(%p) into text did not return -1", (void*)textbad[i]);
  fd = open("/", O_RDONLY);
  close(fd);
  if(fd != 3)
    FAIL("failed pipe() calls left descriptors open: next fd is %d", fd);
  return 0;
}

// Every call that takes a path, given a bad one.
static int
badpath(void)
{
  int i;
  char *b, *end;

  setbad();
  // and a string with no NUL before the break
  end = sbrk(0);
  b = end - 3;
  memmove(b, "abc", 3);
  for(i = 0; i <= NBAD; i++){
    b = i < NBAD ? (char*)bad[i] : end - 3;
    if(open(b, O_RDONLY) != -1 || open(b, O_CREATE | O_RDWR) != -1)
      FAIL("open(%p) did not return -1", b);
    if(mknod(b, 1, 0) != -1)
      FAIL("mknod(%p) did not return -1", b);
    if(unlink(b) != -1)
      FAIL("unlink(%p) did not return -1", b);
    if(link(b, "kt.l") != -1 || link("/echo", b) != -1)
      FAIL("link with %p did not return -1", b);
    if(mkdir(b) != -1)
      FAIL("mkdir(%p) did not return -1", b);
    if(chdir(b) != -1)
      FAIL("chdir(%p) did not return -1", b);
  }
  if(open("kt.l", O_RDONLY) != -1)
    FAIL("a failed link created kt.l");
  return 0;
}

// exec with a bad path, a bad argv array, or a bad string in argv.
static int
badexec(void)
{
  char *argv[3];
  int i, st;

  setbad();
  for(i = 0; i < NBAD; i++){
    argv[0] = "echo";
    argv[1] = 0;
    if((st = tryexec((char*)bad[i], argv)) != EXECFAIL)
      FAIL("exec of path %p: status %d", (void*)bad[i], st);
    if((st = tryexec("/echo", (char**)bad[i])) != EXECFAIL)
      FAIL("exec with argv %p: status %d", (void*)bad[i], st);
    argv[1] = (char*)bad[i];
    argv[2] = 0;
    // (a null argv[1] just ends the list: not a bad pointer there)
    if(bad[i] != 0 && (st = tryexec("/echo", argv)) != EXECFAIL)
      FAIL("exec with argv[1] %p: status %d", (void*)bad[i], st);
  }
  return 0;
}

// fstat, wait, vmstat, bootcmd and getpolicy writing to bad memory.
static int
badout(void)
{
  int i, fd, pid;
  uint64 a;

  setbad();
  fd = open("/echo", O_RDONLY);
  if(fd < 0)
    FAIL("cannot open /echo");
  for(i = 0; i < NBAD + NELEM(textbad); i++){
    a = i < NBAD ? bad[i] : textbad[i - NBAD];
    if(fstat(fd, (struct stat*)a) != -1)
      FAIL("fstat into %p did not return -1", (void*)a);
    if(vmstat(VM_SYSTEM, (struct vmstat*)a) != -1 ||
       vmstat(VM_SELF, (struct vmstat*)a) != -1)
      FAIL("vmstat into %p did not return -1", (void*)a);
    if(bootcmd((char*)a, 4096) != -1)
      FAIL("bootcmd into %p did not return -1", (void*)a);
    if(getpolicy((char*)a, 64) != -1)
      FAIL("getpolicy into %p did not return -1", (void*)a);
    if(a == 0)
      continue;   // wait(0) means "no status wanted"
    pid = fork();
    if(pid < 0)
      FAIL("fork failed");
    if(pid == 0)
      exit(0);
    if(wait((int*)a) != -1)
      FAIL("wait into %p did not return -1", (void*)a);
    // the child was reaped all the same
    if(wait(0) != -1)
      FAIL("child not reaped by a wait with bad status pointer");
  }
  close(fd);
  return 0;
}

// ---- faults ------------------------------------------------------------

static void
loadkernel(void)
{
  printf("%d\n", *(volatile int*)0x80000000UL);
}

static void
loadpastend(void)
{
  printf("%d\n", *(volatile int*)(sbrk(0) + 2*PGSIZE));
}

static void
loadtrapframe(void)
{
  printf("%d\n", *(volatile int*)TRAPFRAME);
}

// The guard page lies just below the stack, which the break follows.
static void
loadguard(void)
{
  printf("%d\n", *(volatile int*)(heapstart - (USERSTACK + 1)*PGSIZE));
}

static void
loadnull(void)
{
  printf("%d\n", *(volatile int*)0);
}

static void
storenull(void)
{
  *(volatile int*)0 = 1;
}

static void
storetext(void)
{
  *(volatile int*)(uint64)freepages = 1;
}

// Jump into a page with no execute permission (the heap).
static void
execheap(void)
{
  void (*f)(void);
  uint *p;

  p = (uint*)sbrk(PGSIZE);
  p[0] = 0x00008067;   // ret: would work if the page were executable
  f = (void (*)(void))p;
  f();
  exit(5);
}

static void
wildjump(void)
{
  void (*f)(void) = (void (*)(void))0x40000000UL;
  f();
}

// Every fault kills its process with status -1; the parent goes on.
static int
faults(void)
{
  static struct {
    char *what;
    void (*fn)(void);
  } f[] = {
    { "load from the kernel", loadkernel },
    { "load past the break", loadpastend },
    { "load from the trapframe", loadtrapframe },
    { "load from the stack guard page", loadguard },
    { "load from null", loadnull },
    { "store to null", storenull },
    { "store to text", storetext },
    { "execute the heap", execheap },
    { "jump to an unmapped address", wildjump },
  };
  int i, st;

  for(i = 0; i < NELEM(f); i++){
    st = inchild(f[i].fn);
    if(st != -1)
      FAIL("%s: status %d, expected -1", f[i].what, st);
  }
  return 0;
}

// ---- miscellany ----------------------------------------------------------

static int
vmstatcalls(void)
{
  struct vmstat st;
  char name[32];
  int n;

  if(vmstat(VM_SYSTEM, &st) != 0)
    FAIL("vmstat(VM_SYSTEM) failed");
  if(st.total_pages == 0 || st.free_pages == 0 ||
     st.free_pages >= st.total_pages)
    FAIL("implausible counts: %lu free of %lu", st.free_pages,
         st.total_pages);
  if(vmstat(VM_SELF, &st) != 0 || vmstat(VM_CHILDREN, &st) != 0)
    FAIL("vmstat(VM_SELF/VM_CHILDREN) failed");
  if(vmstat(3, &st) != -1 || vmstat(-1, &st) != -1)
    FAIL("vmstat with an unknown who did not return -1");
  n = getpolicy(name, sizeof name);
  if(n <= 0 || strlen(name) != n)
    FAIL("getpolicy returned %d", n);
  if(getpolicy(name, n) != -1)
    FAIL("getpolicy into a buffer without room for the NUL succeeded");
  return 0;
}

// The kernel survived everything above: a new process runs a program.
static int
alive(void)
{
  char *argv[] = { "tiny", 0 };
  int n, st;

  n = mkelf();
  if(writefile("kt.elf", buf, n) < 0)
    FAIL("cannot write a file");
  st = tryexec("kt.elf", argv);
  unlink("kt.elf");
  if(st != 1)
    FAIL("fork and exec after the tests: status %d", st);
  return 0;
}

// The cost-model counters agree with what a known program did: N system
// calls, stores to K COW pages, M new pages. In the child of a fork,
// between two vmstat calls of its own: traps_syscall grows by exactly
// N + 2 (sbrk and the second vmstat), traps_fault by exactly the page
// faults counted (at most K), every page copied is a COW copy, and sbrk
// zeroes its pages and at most two page tables more.
static int
trapcounts(void)
{
  enum { N = 20, K = 8, M = 5 };
  char *h = sbrk(K * PGSIZE);
  if(h == (char*)-1)
    FAIL("sbrk failed");
  for(int i = 0; i < K; i++)
    h[i * PGSIZE] = 1;
  int pid = fork();
  if(pid == 0){
    struct vmstat a, b;
    volatile char *own = (char*)&a;   // make the stack page private
    own[0] = 0;
    vmstat(VM_SELF, &a);
    for(int i = 0; i < N; i++)
      getpid();
    for(int i = 0; i < K; i++)
      h[i * PGSIZE] = 2;
    char *m = sbrk(M * PGSIZE);
    vmstat(VM_SELF, &b);
    if(m == (char*)-1)
      exit(2);
    if(b.traps_syscall - a.traps_syscall != N + 2)   // + sbrk + vmstat
      exit(3);
    // (copy and fault-around may leave no fault at all to take)
    if(b.traps_fault - a.traps_fault != b.faults - a.faults ||
       b.faults - a.faults > K)
      exit(4);
    uint64 copies = (b.copies_fault - a.copies_fault) +
      (b.copies_around - a.copies_around) + (b.tables_copied - a.tables_copied);
    if(b.pages_copied - a.pages_copied != copies)
      exit(5);
    uint64 z = b.pages_zeroed - a.pages_zeroed;
    if(z < M || z > M + 2)
      exit(6);
    exit(0);
  }
  int st = waitpid(pid);
  if(st != 0)
    FAIL("counters disagree (status %d: 3 system calls, 4 fault traps, "
         "5 pages copied, 6 pages zeroed)", st);
  return 0;
}

static struct test tests[] = {
  { "trapcounts", trapcounts },
  { "forkchain", forkchain },
  { "forkloop", forkloop },
  { "forkmany", forkmany },
  { "waitstatus", waitstatus },
  { "orphan", orphan },
  { "forkisolation", forkisolation },
  { "cowcopyout", cowcopyout },
  { "cowoom", cowoom },
  { "killsleep", killsleep },
  { "killpipe", killpipe },
  { "killspin", killspin },
  { "killnone", killnone },
  { "sbrkbasic", sbrkbasic },
  { "sbrkzero", sbrkzero },
  { "sbrkbelow", sbrkbelow },
  { "sbrktoomuch", sbrktoomuch },
  { "execargs", execargs },
  { "execcrafted", execcrafted },
  { "execbadelf", execbadelf },
  { "execmaxargs", execmaxargs },
  { "badread", badread },
  { "badwrite", badwrite },
  { "badpipe", badpipe },
  { "badpath", badpath },
  { "badexec", badexec },
  { "badout", badout },
  { "faults", faults },
  { "vmstatcalls", vmstatcalls },
  { "alive", alive },
};

int
main(int argc, char *argv[])
{
  uint64 before;

  heapstart = (uint64)sbrk(0);
  testsetup(tests, NELEM(tests), argc, argv);
  before = freepages();
  runtests(tests, NELEM(tests), argc, argv);
  endsuite("kerneltests", before);
}
