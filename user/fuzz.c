// fuzz: a seeded, deterministic fuzzer of the system-call interface.
//
// Usage: fuzz [SEED [NCALLS [ROUND]]]   defaults: seed 1, 1000 calls
//        (the short run of make test; make fuzz runs more), from round
//        0. Each round is seeded by SEED and its number alone, so
//        "fuzz S N R" repeats the first N calls of round R of seed S;
//        "fuzz S N R v" also prints each call.
//
// Calls go out as raw ecalls, so that any number and any register
// value can be passed: every system call number of kernel/syscall.h
// but poweroff, and numbers that name none. Arguments are drawn from
// menus of hostile values: null, page 0, kernel addresses, the
// trapframe and trampoline, addresses at and past MAXVA, the program's
// own text, the stack's guard page, just past the break, buffers that
// straddle the break, strings that run into the unmapped page past it,
// paths longer than MAXPATH, huge and negative sizes and descriptors,
// and raw random 64-bit values. The fuzzer knows its own address space
// exactly, so for each pointer it knows how many bytes from it the
// kernel can read and write, and wherever the contract is clear it
// checks the result: a bad pointer, path, descriptor, size or number
// gets -1; a good call gets what the contract says (the lowest free
// descriptor, the bytes left in a pipe, the status an exiting child
// gave, ...). It keeps a shadow of its descriptor table and checks it
// against the kernel's now and then, and checks that its own text still
// equals the text in its program file. Exec also gets a minimal program
// whose ELF and program headers are mutated at random. Names that calls
// succeeded on come back often, so that sequences on one file or
// directory happen (mkdir, chdir into it, remove it, create in it).
//
// The calls are made in rounds of ROUNDCALLS by a child Z of main (M);
// M also forks H, which holds a copy-on-write share of M's canary page,
// D, which drains a pipe that Z writes to, and W, a watchdog. A round
// passes if Z exits 0 (every check held), neither M's nor H's canary
// changed, W did not wake first (no hang), and once everything is
// reaped and the files the round made are removed, the free-page count
// is exactly what it was before the round.
//
// What is not fuzzed, or only in a child (and why):
// - poweroff: any status powers the machine off; nothing to refuse.
// - exit, fork's child, exec (which succeeds for good arguments), kill
//   of itself and sleeps longer than 2 ticks run in a grandchild of Z
//   (the long sleeper is killed), so that the fuzzer goes on.
// - kill's targets are Z's own children, Z itself (in a grandchild) or
//   pids that do not exist: kill of other processes would end the test
//   harness (and kill(1) panics the kernel today: init exits).
// - exec of a mutated program runs with a killer child that ends it
//   after 20 ticks: a mutated program may loop.
// - mknod of the console's major number: a read from the console would
//   wait for input that never comes. Every other major is fuzzed.
// - paths come from a menu of names in the sandbox /fz (and / after a
//   chdir(".."), cleaned by diff) or from bad pointers; random values
//   that land in the fuzzer's own data or stack are moved elsewhere, so
//   that no call can write into the fuzzer's state or name a file
//   outside the sandbox.
// - pipes made by a fuzzed pipe() are closed at once (a read of a pipe
//   whose writer is the reader itself would block for ever).

#include "user/user.h"
// (the driver's helpers this program does not use)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "user/testlib.h"
#pragma GCC diagnostic pop
#include "kernel/syscall.h"
#include "kernel/elf.h"

#define NOFILE 16        // kernel/param.h
#define MAXPATH 128      // kernel/param.h
#define MAXARG 32        // kernel/param.h
#define USERSTACK 4      // kernel/param.h
#define CONSOLE 1        // major number of the console
#define KERNBASE 0x80000000UL
#define TRAMPOLINE (MAXVA - PGSIZE)
#define NSCRATCH 4       // pages of scratch heap
#define ROUNDCALLS 500   // calls per round
#define REFRESH 125      // calls between two resets of the descriptors
#define CHECKEVERY 64    // calls between checks of descriptors and text
#define WATCHDOG 6000    // ticks (60 s) a round may take at most
#define DATASZ 3000      // bytes in the data file at setup
#define PIPEDATA 300     // bytes in the data pipe at setup
#define LONGSLEEP 1000   // sleeps from this many ticks on run in a child
#define EXITMARK 0x5eed  // status of a child whose exit call returned

// The fuzzer's address space, known exactly (M works it out at start;
// Z inherits it).
static struct {
  uint64 textlo, textend;   // text segment (R X): [textlo, textend)
  uint64 codelo, codeend;   // its instructions (the .text section)
  uint64 datalo;            // data and bss: [datalo, guard)
  uint64 guard;             // the stack's unmapped guard page
  uint64 heapbase;          // top of the stack = first heap page
  uint64 canary;            // the canary page (first heap page)
  uint64 scratch;           // NSCRATCH pages, then the tail page
  uint64 tail;              // a page of 'A's with no NUL
  uint64 brk;               // end of the tail: unmapped from here on
  uint64 texthash;          // hash of the text as the file has it
  uint64 ram;               // bytes of RAM (for kernel addresses)
  char policy[32], boot[600];   // what getpolicy and bootcmd return
  int policylen, bootlen;
} L;

// What Z knows of each descriptor.
enum { FD_CLOSED, FD_DATA, FD_DIR, FD_PIPEDATA, FD_DRAIN, FD_DEADPIPE,
       FD_NUL, FD_OTHER };
static struct {
  int kind;
  int rd, wr;   // readable, writable
} fds[NOFILE];

static struct {
  uint64 off, size;
  int known;    // 0 once a partial write made off and size unknown
} data;
static int pipeleft;   // bytes left in the data pipe
static int drainfd;    // fd of the drain pipe's write end in M
static int mypid;      // Z's pid
static uint64 lastup;  // last uptime seen

// The call being made, for reports.
static struct {
  int seed, round, index;
  uint64 num, a[6], r;
  char note[120];
} cur;

// What a round did: calls refused (-1), results checked exactly.
static int nrefused, nexact;
static int verbose;   // print every call (fuzz S N R v): for reproducing

// ---- random numbers (splitmix64) ---------------------------------------

static uint64 rs;

static uint64
rnd(void)
{
  uint64 z = (rs += 0x9e3779b97f4a7c15UL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
  return z ^ (z >> 31);
}

static int
pick(int n)
{
  return rnd() % n;
}

// ---- the raw system call -------------------------------------------------

static uint64
rawcall(uint64 num, uint64 *a)
{
  register uint64 a0 asm("a0") = a[0];
  register uint64 a1 asm("a1") = a[1];
  register uint64 a2 asm("a2") = a[2];
  register uint64 a3 asm("a3") = a[3];
  register uint64 a4 asm("a4") = a[4];
  register uint64 a5 asm("a5") = a[5];
  register uint64 a7 asm("a7") = num;
  asm volatile("ecall"
               : "+r"(a0)
               : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
               : "memory");
  return a0;
}

static uint64
hash(uint64 h, uchar *p, uint64 n)
{
  for(uint64 i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3UL;
  return h;
}

// ---- reports ----------------------------------------------------------

static char *callnames[] = {
  [SYS_fork] "fork", [SYS_exit] "exit", [SYS_wait] "wait",
  [SYS_pipe] "pipe", [SYS_read] "read", [SYS_kill] "kill",
  [SYS_exec] "exec", [SYS_fstat] "fstat", [SYS_chdir] "chdir",
  [SYS_dup] "dup", [SYS_getpid] "getpid", [SYS_sbrk] "sbrk",
  [SYS_sleep] "sleep", [SYS_uptime] "uptime", [SYS_open] "open",
  [SYS_write] "write", [SYS_mknod] "mknod", [SYS_unlink] "unlink",
  [SYS_link] "link", [SYS_mkdir] "mkdir", [SYS_close] "close",
  [SYS_vmstat] "vmstat", [SYS_poweroff] "poweroff",
  [SYS_bootcmd] "bootcmd", [SYS_getpolicy] "getpolicy",
};

// Z found a broken contract: print it on a console of its own (its
// descriptors are being fuzzed) and exit 1.
__attribute__((noreturn)) static void
zreport(void)
{
  char *name = cur.num < NELEM(callnames) && callnames[cur.num] ?
    callnames[cur.num] : "unknown";
  for(int fd = 0; fd < NOFILE; fd++)
    close(fd);
  int fd = open("/console", O_WRONLY);
  if(fd < 0)
    exit(2);
  fprintf(fd, "FAIL fuzz seed %d round %d call %d: %s#%ld(0x%lx, 0x%lx, "
          "0x%lx, 0x%lx) [%s] returned %ld: %s\n", cur.seed, cur.round,
          cur.index, name, cur.num, cur.a[0], cur.a[1], cur.a[2], cur.a[3],
          cur.note, cur.r, why);
  exit(1);
}

#define ZFAIL(...) do { \
    snprintf(why, sizeof why, __VA_ARGS__); \
    zreport(); \
  } while(0)

// The call must have returned want.
static void
expect(int64 want, char *because)
{
  if((int64)cur.r != want)
    ZFAIL("expected %ld (%s)", want, because);
  nexact++;
}

// ---- the address space ---------------------------------------------------

// A pointer and how many bytes from it on the kernel can read (rd) and
// write (wr) before it meets a page that refuses it.
struct ptr {
  uint64 v;
  uint64 rd, wr;
};

// Classify v. Values inside the fuzzer's data or stack are first moved
// into the kernel's range: a call must never write into Z's state.
static struct ptr
classify(uint64 v)
{
  struct ptr p = { v, 0, 0 };
  if(v >= L.datalo && v < L.heapbase)
    p.v = v = KERNBASE + (v - L.datalo);
  if(v >= L.textlo && v < L.textend)
    p.rd = L.guard - v;   // text, then data and bss, are readable
  else if(v >= L.canary && v < L.brk)
    p.rd = p.wr = L.brk - v;
  return p;
}

// A pointer from the menu of hostile and good ones.
static struct ptr
genptr(void)
{
  uint64 v;
  switch(pick(20)){
  case 0: v = 0; break;
  case 1: v = pick(PGSIZE); break;                             // page 0
  case 2: v = KERNBASE + rnd() % L.ram; break;                 // RAM
  case 3: v = KERNBASE + L.ram - 1 - pick(64); break;          // top of RAM
  case 4: v = (pick(2) ? TRAPFRAME : TRAMPOLINE) + pick(PGSIZE); break;
  case 5: v = MAXVA - 1 - pick(8); break;
  case 6: v = MAXVA + (rnd() >> pick(64)); break;              // too high
  case 7: v = -(uint64)1 - pick(4096); break;                  // wraps
  case 8: v = L.codelo + rnd() % (L.codeend - L.codelo); break;
  case 9: v = L.guard + pick(PGSIZE); break;                   // guard page
  case 10: v = L.brk + pick(16*PGSIZE); break;                 // past brk
  case 11: v = L.brk - 1 - pick(64); break;                    // straddles
  case 12: v = rnd(); break;                                   // anything
  case 13: v = rnd() & 0xffffffff; break;
  case 14: v = L.canary + pick(PGSIZE); break;                 // canary
  default: v = L.scratch + pick(NSCRATCH*PGSIZE); break;       // good
  }
  return classify(v);
}

static void
filltail(void)
{
  memset((char*)L.tail, 'A', PGSIZE);
}

// ---- argument menus ----------------------------------------------------

static char *names[] = {
  "zq0", "zq1", "zq2", "zqd", "zqd/zq3", "zqd/zqe", "zqd/zqe/zq4",
  "zqd/..", ".", "..", "/fz/.", "/fz/zq0", "/fz/zqd", "/fz/zqd/zq3",
  "", "zq0/", "zqd/", "zqd//zq5", "zq0/zq6", "zqabcdefghijklmnop",
  "/", "zro", "/fz/zro", "zqd/zqe/..", "/fz/zqd/../zq1", "/nonexist/zq",
  "///fz//zq2", "zqd/zqe/zqf", "/fz/zqd/zqe",
};

// Menu names that calls succeeded on lately: half the names come from
// here, so that sequences on one name (mkdir, chdir into it, remove it,
// create in it) happen.
#define NRECENT 8
static int recent[NRECENT], nrecent;
static int lastname[2];   // menu index of the names just placed (or -1)

static char*
pickname(int h)
{
  int i = nrecent > 0 && pick(2) ? recent[pick(nrecent)] :
    pick(NELEM(names));
  lastname[h] = i;
  return names[i];
}

// The call just made succeeded: remember the names it used.
static void
remember(void)
{
  for(int h = 0; h < 2; h++){
    if(lastname[h] < 0)
      continue;
    if(nrecent < NRECENT)
      recent[nrecent++] = lastname[h];
    else
      recent[pick(NRECENT)] = lastname[h];
  }
}

// Put string s at a random offset of half h (0 or 1) of the scratch
// pages, so that the two paths of link cannot overlap. Returns its
// address.
static uint64
place(char *s, int h)
{
  int n = strlen(s) + 1;
  uint64 v = L.scratch + h*(NSCRATCH/2)*PGSIZE +
    pick((NSCRATCH/2)*PGSIZE - n);
  memmove((char*)v, s, n);
  return v;
}

// A path argument, in half h of the scratch pages. Returns 1 if it is
// a string the kernel accepts (terminated within MAXPATH bytes,
// readable), 0 if it must be refused, -1 if unknown (bytes of code).
static int
genpath(uint64 *v, int h)
{
  struct ptr p;
  int r = pick(24);
  if(r < 15){
    *v = place(pickname(h), h);
    return 1;
  }
  switch(r){
  case 15: {   // too long: MAXPATH bytes or more before the NUL
    int n = MAXPATH + pick(200);
    uint64 s = L.scratch + h*(NSCRATCH/2)*PGSIZE + pick(PGSIZE);
    memset((char*)s, 'z', n);
    ((char*)s)[n] = 0;
    *v = s;
    return 0;
  }
  case 16:     // no NUL before the break
  case 17:
    filltail();
    *v = L.tail + pick(PGSIZE);
    return 0;
  case 18:     // bytes of code: a junk name, or none
    *v = L.codelo + rnd() % (L.codeend - L.codelo);
    return -1;
  default:
    p = genptr();
    if(p.wr > 0){   // good memory: make it a name from the menu
      *v = place(pickname(h), h);
      return 1;
    }
    if(p.rd > 0){   // text: only instructions, never the program's strings
      *v = L.codelo + p.v % (L.codeend - L.codelo);
      return -1;
    }
    *v = p.v;
    return 0;
  }
}

// A descriptor argument: open ones mostly, then hostile numbers.
static uint64
genfd(void)
{
  uint64 hi = pick(8) == 0 ? rnd() << 32 : 0;   // argint drops these
  switch(pick(10)){
  case 0: return -(uint64)1;
  case 1: return NOFILE + pick(4);
  case 2: return 0x80000000UL | pick(NOFILE);   // INT_MIN and up
  case 3: return rnd();
  default: return hi | pick(NOFILE);
  }
}

// A size: small, page-sized, huge, negative, or 64-bit junk.
static uint64
gensize(void)
{
  static uint64 sizes[] = {
    0, 1, 2, 7, 16, 100, 511, 512, 513, 4095, 4096, 4097, 65536,
    1 << 20, 0x7fffffff, 0xffffffff, 0x80000000, -(uint64)1,
    -(uint64)4096, 0x100000010UL,
  };
  if(pick(10) == 0)
    return rnd();
  return sizes[pick(NELEM(sizes))];
}

// ---- descriptors ---------------------------------------------------------

// The lowest free descriptor per the shadow table, or -1.
static int
lowfree(int after)
{
  for(int fd = after + 1; fd < NOFILE; fd++)
    if(fds[fd].kind == FD_CLOSED)
      return fd;
  return -1;
}

static void
setfd(int fd, int kind, int rd, int wr)
{
  if(fd < 0 || fd >= NOFILE)
    ZFAIL("setup: descriptor %d out of range", fd);
  fds[fd].kind = kind;
  fds[fd].rd = rd;
  fds[fd].wr = wr;
}

// Check the shadow table against the kernel's: dup succeeds exactly on
// the open descriptors (if one is free for the copy).
static void
checkfds(void)
{
  if(lowfree(-1) < 0)
    return;
  for(int fd = 0; fd < NOFILE; fd++){
    int d = dup(fd);
    if(d >= 0)
      close(d);
    if((d >= 0) != (fds[fd].kind != FD_CLOSED)){
      snprintf(cur.note, sizeof cur.note, "descriptor check");
      ZFAIL("descriptor %d is %s in the kernel, %s in the shadow table",
            fd, d >= 0 ? "open" : "closed",
            fds[fd].kind != FD_CLOSED ? "open" : "closed");
    }
  }
}

static void
checktext(void)
{
  if(hash(0xcbf29ce484222325UL, (uchar*)L.textlo, L.textend - L.textlo) !=
     L.texthash){
    snprintf(cur.note, sizeof cur.note, "text check");
    ZFAIL("the program's text changed");
  }
}

// Close every descriptor but one on the drain pipe, then open the
// known set: the data file, the sandbox directory, a pipe holding
// PIPEDATA bytes whose writer is closed, a pipe whose reader is
// closed, a device with no driver and a read-only file.
static void
setup(void)
{
  int keep = -1, p[2];
  char buf[128];

  for(int fd = 0; fd < NOFILE; fd++){
    if(fds[fd].kind == FD_DRAIN && keep < 0)
      keep = fd;
    else
      close(fd);
    if(fd != keep)
      fds[fd].kind = FD_CLOSED;
  }
  if(chdir("/fz") < 0)
    ZFAIL("setup: cannot chdir to /fz");
  snprintf(cur.note, sizeof cur.note, "setup");

  int fd = open("zdata", O_CREATE | O_TRUNC | O_RDWR);
  memset(buf, 'd', sizeof buf);   // the content is not checked, the size is
  for(int i = 0; i < DATASZ; i += sizeof buf)
    write(fd, buf, DATASZ - i < sizeof buf ? DATASZ - i : sizeof buf);
  close(fd);
  setfd(open("zdata", O_RDWR), FD_DATA, 1, 1);
  data.off = 0;
  data.size = DATASZ;
  data.known = 1;
  setfd(open("/fz", O_RDONLY), FD_DIR, 1, 0);

  if(pipe(p) < 0)
    ZFAIL("setup: pipe failed");
  setfd(p[0], FD_PIPEDATA, 1, 0);
  memset(buf, 'p', sizeof buf);
  for(int i = 0; i < PIPEDATA; i += 100)
    write(p[1], buf, 100);
  close(p[1]);
  pipeleft = PIPEDATA;

  if(pipe(p) < 0)
    ZFAIL("setup: pipe failed");
  close(p[0]);
  setfd(p[1], FD_DEADPIPE, 0, 1);

  mknod("znul", 2, 0);
  setfd(open("znul", O_RDWR), FD_NUL, 1, 1);

  fd = open("zro", O_CREATE | O_WRONLY);
  write(fd, buf, 100);
  close(fd);
  setfd(open("zro", O_RDONLY), FD_OTHER, 1, 0);

  // the head of a real program: an ELF header whose program headers
  // are cut off
  int e = open("/echo", O_RDONLY);
  int n = read(e, buf, 120);
  close(e);
  fd = open("ztrunc", O_CREATE | O_WRONLY);
  write(fd, buf, n);
  close(fd);
  cur.note[0] = 0;
}

// ---- a minimal program, for exec with mutated headers ----------------------

// An ELF file with two segments: code that calls exit(0), and a page of
// data. Its only instructions are those three: whatever a mutation of
// its headers makes the kernel load and run, it can make no system
// call but exit. A mutated copy of a real program could jump into the
// code that calls kill or poweroff.
#define MINIHDR (sizeof(struct elfhdr) + 2*sizeof(struct proghdr))
static uchar mini[MINIHDR + 12];

static void
mkmini(void)
{
  struct elfhdr *e = (struct elfhdr*)mini;
  struct proghdr *ph = (struct proghdr*)(mini + sizeof *e);
  uint code[3] = {
    (10 << 7) | 0x13,                        // li a0, 0
    (SYS_exit << 20) | (17 << 7) | 0x13,     // li a7, SYS_exit
    0x73,                                    // ecall
  };
  memset(mini, 0, sizeof mini);
  e->magic = ELF_MAGIC;
  e->elf[0] = 2;       // 64-bit
  e->elf[1] = 1;       // little endian
  e->elf[2] = 1;
  e->type = 2;         // executable
  e->machine = 243;    // RISC-V
  e->version = 1;
  e->entry = PGSIZE;
  e->phoff = sizeof *e;
  e->ehsize = sizeof *e;
  e->phentsize = sizeof *ph;
  e->phnum = 2;
  ph[0].type = ELF_PROG_LOAD;
  ph[0].flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_EXEC;
  ph[0].off = MINIHDR;
  ph[0].vaddr = PGSIZE;
  ph[0].filesz = ph[0].memsz = sizeof code;
  ph[1].type = ELF_PROG_LOAD;
  ph[1].flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_WRITE;
  ph[1].vaddr = 2*PGSIZE;
  ph[1].memsz = PGSIZE;
  memmove(mini + MINIHDR, code, sizeof code);
}

// Write the minimal program to /fz/zmut with up to four bytes or
// fields of its headers changed to random or hostile values (none if
// pristine). A child with no descriptors writes it: the fuzzer's own
// may all be taken (seed 163, call 5719: open failed for want of a
// descriptor, the file kept an earlier mutation, and the pristine
// program's exec returned -1).
static void
mutate(int pristine)
{
  static uint64 vals[] = {
    0, 1, 0x1000, 0xfff, -(uint64)1, 0x7fffffff, 0x80000000, MAXVA,
    TRAPFRAME, 0x100000000UL, 0x3fffffffff, 0x8000000000000000UL,
  };
  uchar h[sizeof mini];
  memmove(h, mini, sizeof h);
  for(int i = pristine ? 0 : 1 + pick(4); i > 0; i--){
    int at = pick(MINIHDR);
    if(pick(2))
      h[at] = rnd();
    else {
      uint64 v = vals[pick(NELEM(vals))];
      memmove(h + (at & ~7), &v, 8);
    }
  }
  int pid = fork();
  if(pid < 0)
    ZFAIL("fork to write /fz/zmut failed");
  if(pid == 0){
    for(int fd = 0; fd < NOFILE; fd++)
      close(fd);
    int fd = open("/fz/zmut", O_CREATE | O_TRUNC | O_WRONLY);
    exit(fd >= 0 && write(fd, h, sizeof h) == sizeof h ? 0 : 1);
  }
  if(waitpid(pid) != 0)
    ZFAIL("cannot write /fz/zmut");
}

// ---- the calls -------------------------------------------------------------

// Make the call in cur in a grandchild of Z (with no descriptors if
// closeall) and return the grandchild's status: what it gave exit, or
// EXECFAIL if exec returned -1, EXITMARK if another call returned.
static int
inchild(uint64 num, int closeall)
{
  int pid = fork();
  if(pid < 0)
    ZFAIL("fork for a child call failed");
  if(pid == 0){
    if(closeall)
      for(int fd = 0; fd < NOFILE; fd++)
        close(fd);
    uint64 r = rawcall(num, cur.a);
    if(num == SYS_exec)
      exit(r == -(uint64)1 ? EXECFAIL : 43);
    exit(EXITMARK);
  }
  return waitpid(pid);
}

static void
callexit(void)
{
  int want = (int)cur.a[0];
  if(pick(2))
    cur.a[0] = want = pick(256) - 128;
  cur.r = inchild(SYS_exit, 0);
  expect(want, "a child's exit status is its exit argument");
}

static void
callfork(void)
{
  cur.r = rawcall(SYS_fork, cur.a);
  if(cur.r == 0)
    exit(0);
  if((int64)cur.r < 0)
    expect(1, "fork with memory and slots to spare succeeds");
  int st = waitpid(cur.r);
  if(st != 0)
    ZFAIL("the forked child exited with %d, not 0", st);
}

static void
callwait(void)
{
  int child = 0, st;
  struct ptr p = genptr();
  if(pick(4) != 0){
    child = fork();
    if(child < 0)
      ZFAIL("fork failed");
    if(child == 0)
      exit(7);
  }
  if(pick(5) == 0)
    p = classify(0);
  cur.a[0] = p.v;
  cur.r = rawcall(SYS_wait, cur.a);
  if(child == 0)
    expect(-1, "no children");
  else if(p.v == 0)
    expect(child, "a child exited");
  else if(p.wr >= 4){
    expect(child, "a child exited, the status pointer is good");
    memmove(&st, (char*)p.v, 4);
    if(st != 7)
      ZFAIL("status written %d, expected 7", st);
  } else
    expect(-1, "bad status pointer");
  if(child > 0 && wait(0) != -1)
    ZFAIL("the child was not reaped by the first wait");
}

static void
callpipe(void)
{
  struct ptr p = genptr();
  int f0 = lowfree(-1), f1 = f0 < 0 ? -1 : lowfree(f0), got[2];
  cur.a[0] = p.v;
  cur.r = rawcall(SYS_pipe, cur.a);
  if(p.wr < 8)
    expect(-1, "fd array not writable");
  else if(f1 < 0)
    expect(-1, "fewer than two free descriptors");
  else {
    expect(0, "good fd array, free descriptors");
    memmove(got, (char*)p.v, 8);
    if(got[0] != f0 || got[1] != f1)
      ZFAIL("pipe gave fds %d %d, expected %d %d", got[0], got[1], f0, f1);
    close(f0);
    close(f1);
  }
}

static int
isfile(int kind)
{
  return kind == FD_DATA || kind == FD_DIR || kind == FD_NUL ||
    kind == FD_OTHER;
}

static void
callread(void)
{
  struct ptr p = genptr();
  int fd, n;
  cur.a[0] = genfd();
  cur.a[1] = p.v;
  cur.a[2] = gensize();
  fd = cur.a[0];
  n = cur.a[2];
  cur.r = rawcall(SYS_read, cur.a);
  int64 r = cur.r;
  if(fd < 0 || fd >= NOFILE || fds[fd].kind == FD_CLOSED)
    return expect(-1, "descriptor not open");
  if(n < 0)
    return expect(-1, "negative count");
  if(!fds[fd].rd)
    return expect(-1, "descriptor not readable");
  switch(fds[fd].kind){
  case FD_NUL:
    return expect(-1, "device without a driver");
  case FD_PIPEDATA: {
    int want = n < pipeleft ? n : pipeleft;
    if(want > 0 && p.wr == 0)
      return expect(-1, "pipe has data, buffer not writable");
    if(want > p.wr)
      want = p.wr;
    expect(want, "bytes left in the pipe, as far as the buffer goes");
    pipeleft -= want;
    return;
  }
  case FD_DATA:
    if(!data.known)
      break;
    if(data.off >= data.size || n == 0)
      return expect(0, "end of file");
    uint64 want = data.size - data.off < n ? data.size - data.off : n;
    if(p.wr < want)
      return expect(-1, "buffer not writable for all the data");
    expect(want, "data left in the file");
    data.off += want;
    return;
  }
  if(r < -1 || r > n)
    ZFAIL("result out of range");
  if(r > 0 && p.wr == 0)
    ZFAIL("read into memory the kernel must refuse");
}

static void
callwrite(void)
{
  struct ptr p = genptr();
  int fd, n;
  cur.a[0] = genfd();
  cur.a[1] = p.v;
  cur.a[2] = gensize();
  fd = cur.a[0];
  n = cur.a[2];
  cur.r = rawcall(SYS_write, cur.a);
  if(fd < 0 || fd >= NOFILE || fds[fd].kind == FD_CLOSED)
    return expect(-1, "descriptor not open");
  if(n < 0)
    return expect(-1, "negative count");
  if(!fds[fd].wr)
    return expect(-1, "descriptor not writable");
  int kind = fds[fd].kind;
  if(kind == FD_NUL)
    return expect(-1, "device without a driver");
  if(kind == FD_OTHER){   // a file or a device: only the range is known
    if((int64)cur.r < -1 || (int64)cur.r > n)
      ZFAIL("result out of range");
    if(n > 0 && p.rd == 0 && cur.r != -(uint64)1)
      ZFAIL("wrote from memory the kernel must refuse");
    return;
  }
  if(n == 0)
    return expect(0, "nothing to write");
  if(p.rd == 0)
    return expect(-1, "buffer not readable");
  if(kind == FD_DEADPIPE)
    return expect(-1, "no reader");
  if(p.rd < n){
    expect(-1, "buffer runs into memory the kernel must refuse");
    if(kind == FD_DATA)
      data.known = 0;   // what was written before the bad byte stays
    return;
  }
  expect(n, "whole buffer readable");
  if(kind == FD_DATA){
    data.off += n;
    if(data.off > data.size)
      data.size = data.off;
  }
}

static void
callfstat(void)
{
  struct ptr p = genptr();
  struct stat st;
  cur.a[0] = genfd();
  cur.a[1] = p.v;
  int fd = cur.a[0];
  cur.r = rawcall(SYS_fstat, cur.a);
  if(fd < 0 || fd >= NOFILE || !isfile(fds[fd].kind))
    return expect(-1, "descriptor not open or a pipe");
  if(p.wr < sizeof(struct stat))
    return expect(-1, "stat buffer not writable");
  expect(0, "open file, good buffer");
  memmove(&st, (char*)p.v, sizeof(struct stat));
  if(fds[fd].kind == FD_DATA && data.known && st.size != data.size)
    ZFAIL("fstat size %ld, expected %ld", st.size, data.size);
}

static void
calldup(void)
{
  cur.a[0] = genfd();
  int fd = cur.a[0];
  cur.r = rawcall(SYS_dup, cur.a);
  if(fd < 0 || fd >= NOFILE || fds[fd].kind == FD_CLOSED)
    return expect(-1, "descriptor not open");
  int lo = lowfree(-1);
  expect(lo, "the lowest free descriptor (-1 if none)");
  if(lo >= 0)
    fds[lo] = fds[fd];
}

static void
callclose(void)
{
  cur.a[0] = genfd();
  int fd = cur.a[0];
  cur.r = rawcall(SYS_close, cur.a);
  if(fd < 0 || fd >= NOFILE || fds[fd].kind == FD_CLOSED)
    return expect(-1, "descriptor not open");
  expect(0, "open descriptor");
  fds[fd].kind = FD_CLOSED;
}

static void
callopen(void)
{
  static int modes[] = {
    O_RDONLY, O_WRONLY, O_RDWR, O_CREATE | O_RDWR, O_CREATE | O_WRONLY,
    O_CREATE | O_TRUNC | O_RDWR, O_TRUNC | O_WRONLY, O_CREATE,
    O_WRONLY | O_RDWR, -1,
  };
  int ok = genpath(&cur.a[0], 0);
  cur.a[1] = pick(5) == 0 ? rnd() : (uint64)modes[pick(NELEM(modes))];
  int mode = cur.a[1];
  int lo = lowfree(-1);
  cur.r = rawcall(SYS_open, cur.a);
  int64 r = cur.r;
  if(ok == 0)
    return expect(-1, "path refused");
  if(r >= 0){
    if(r != lo)
      ZFAIL("open returned %ld, the lowest free descriptor is %d", r, lo);
    setfd(r, FD_OTHER, !(mode & O_WRONLY), (mode & (O_WRONLY | O_RDWR)) != 0);
  } else if(r != -1)
    ZFAIL("open returned neither a descriptor nor -1");
}

// chdir, unlink, mkdir, mknod, link: -1 for a refused path; otherwise
// the result depends on the sandbox and only its range is checked.
static void
callpath(uint64 num)
{
  int ok = genpath(&cur.a[0], 0);
  if(num == SYS_link){
    int ok2 = genpath(&cur.a[1], 1);
    if(ok2 == 0)
      ok = 0;
    else if(ok2 < 0 && ok == 1)
      ok = -1;
  }
  if(num == SYS_mknod){
    cur.a[1] = pick(4) == 0 ? rnd() : (uint64)(pick(14) - 2);
    if((int)cur.a[1] == CONSOLE)
      cur.a[1] = 2;
    cur.a[2] = rnd();
    if((int)cur.a[1] < 0 || (int)cur.a[1] >= 10)
      ok = 0;
  }
  cur.r = rawcall(num, cur.a);
  if(ok == 0)
    return expect(-1, "path or major refused");
  if(cur.r != 0 && cur.r != -(uint64)1)
    ZFAIL("result is neither 0 nor -1");
}

static void
callsbrk(void)
{
  int n;
  // A request for more than memory holds takes all free pages before
  // it fails (and gives them back): slow, so only one call in 16.
  switch(pick(16)){
  case 0: cur.a[0] = rnd() >> pick(64); break;
  case 1: case 2: case 3: cur.a[0] = gensize() & 0xffff; break;
  case 4: case 5: case 6: cur.a[0] = -gensize(); break;
  case 7: case 8: cur.a[0] = -(uint64)PGSIZE * pick(8); break;
  case 9: case 10: cur.a[0] = PGSIZE * pick(64); break;
  case 11: cur.a[0] = -(uint64)(L.brk - L.heapbase) - pick(2*PGSIZE); break;
  default: cur.a[0] = pick(3*PGSIZE) - PGSIZE; break;
  }
  n = cur.a[0];
  cur.r = rawcall(SYS_sbrk, cur.a);
  int64 r = cur.r;
  uint64 now = (uint64)sbrk(0);
  if(n < 0 && L.brk - L.heapbase < -(int64)n)
    expect(-1, "shrinks below the initial break");
  else if(n > 0 && (uint64)n / PGSIZE > L.ram / PGSIZE)
    expect(-1, "more than all of memory");
  else if(r != -1)
    expect(L.brk, "the old break");
  if(r == -1 && now != L.brk)
    ZFAIL("failed sbrk moved the break to 0x%lx", now);
  if(now != L.brk){
    if(sbrk(L.brk - now) == (char*)-1)
      ZFAIL("cannot restore the break");
    filltail();
  }
}

static void
callsleep(void)
{
  static int ns[] = { -5, 0, 1, 2, LONGSLEEP, 100000, 0x7fffffff };
  if(pick(3))
    cur.a[0] = ns[pick(NELEM(ns))];
  int n = cur.a[0];
  if(n > 2 && n < LONGSLEEP)
    cur.a[0] = n = LONGSLEEP + n;
  if(n <= 2){
    cur.r = rawcall(SYS_sleep, cur.a);
    return expect(0, "a short sleep");
  }
  int pid = fork();
  if(pid < 0)
    ZFAIL("fork failed");
  if(pid == 0){
    rawcall(SYS_sleep, cur.a);
    exit(EXITMARK);
  }
  if(kill(pid) != 0)
    ZFAIL("kill of the sleeping child failed");
  cur.r = waitpid(pid);
  expect(-1, "a killed sleeper exits with -1");
}

static void
callkill(void)
{
  int pid, st;
  switch(pick(5)){
  case 0:   // a child of Z, sleeping
    pid = fork();
    if(pid < 0)
      ZFAIL("fork failed");
    if(pid == 0){
      sleep(100000);
      exit(EXITMARK);
    }
    cur.a[0] = (rnd() << 32) | pid;
    cur.r = rawcall(SYS_kill, cur.a);
    expect(0, "kill of a live child");
    st = waitpid(pid);
    if(st != -1)
      ZFAIL("killed child exited with %d, not -1", st);
    return;
  case 1:   // itself, in a child
    cur.a[0] = 0;
    pid = fork();
    if(pid == 0){
      cur.a[0] = getpid();
      rawcall(SYS_kill, cur.a);
      exit(EXITMARK);   // not reached: killed on the way out
    }
    cur.r = waitpid(pid);
    return expect(-1, "a process that killed itself exits with -1");
  default:  // no such process
    cur.a[0] = pick(2) ? rnd() : (uint64)(pick(3) - 2);
    if((int)cur.a[0] > 0 && (int)cur.a[0] < 0x40000000)
      cur.a[0] = 0x40000000 | (cur.a[0] & 0xffff);
    cur.r = rawcall(SYS_kill, cur.a);
    return expect(-1, "no such pid");
  }
}

// Run the exec in a grandchild with no descriptors, and a killer that
// ends it after a while (a mutated program may loop). Returns the
// grandchild's status.
static int
execbounded(void)
{
  int pid = fork(), st = -1000;
  if(pid < 0)
    ZFAIL("fork failed");
  if(pid == 0){
    for(int fd = 0; fd < NOFILE; fd++)
      close(fd);
    rawcall(SYS_exec, cur.a);
    exit(EXECFAIL);
  }
  int k = fork();
  if(k == 0){
    sleep(20);
    kill(pid);
    exit(0);
  }
  for(int w; (w = wait(&st)) != pid; )
    if(w < 0)
      ZFAIL("lost the exec child");
  if(k > 0){
    kill(k);
    waitpid(k);
  }
  return st;
}

// exec, in a grandchild with no descriptors (so that a program that
// does start cannot print). It starts /echo iff path and argv are good;
// a sixth of the calls exec the minimal program with mutated headers.
static void
callexec(void)
{
  static char *paths[] = { "/echo", "/echo", "/fz/zro", "/fz/ztrunc", "/fz",
                           "/nonexist", "/fz/zdata" };
  int pathok = 0, argvok = 1, real = 0, term = 1;
  int r = pick(12);
  if(r >= 10){
    // a mutated program: any outcome, as long as it ends; unmutated,
    // it must run and exit 0
    int pristine = pick(8) == 0;
    mutate(pristine);
    cur.a[0] = place("/fz/zmut", 0);
    uint64 *av = (uint64*)(L.scratch + 2*PGSIZE);
    strcpy((char*)(L.scratch + 3*PGSIZE), "zmut");
    av[0] = L.scratch + 3*PGSIZE;
    av[1] = 0;
    cur.a[1] = (uint64)av;
    cur.r = execbounded();
    if(pristine)
      expect(0, "the unmutated minimal program exits 0");
    return;
  }
  if(r < 7){
    cur.a[0] = place(paths[pick(NELEM(paths))], 0);
    real = strcmp((char*)cur.a[0], "/echo") == 0;
    pathok = 1;
  } else
    pathok = genpath(&cur.a[0], 0) == 0 ? 0 : -1;

  // argv, in the third scratch page; strings in the fourth
  uint64 *av = (uint64*)(L.scratch + 2*PGSIZE + 8*pick(16));
  char *strs = (char*)(L.scratch + 3*PGSIZE);
  int n = pick(4);
  strcpy(strs, "echo");
  for(int i = 0; i < MAXARG + 2; i++)
    av[i] = (uint64)strs;
  switch(pick(12)){
  case 0: n = MAXARG; break;
  case 1: n = MAXARG + 1; argvok = 0; term = 0; break;
  case 2: av[pick(n + 1)] = genptr().v; argvok = -1; break;
  case 3: {   // 4000-byte strings: two fit on the stack, five do not
    memset(strs, 'x', 4000);
    strs[4000] = 0;
    n = pick(2) ? 2 : 5;
    argvok = n == 2;
    break;
  }
  case 4: {   // no terminator before the break
    av = (uint64*)(L.brk - 8*(1 + pick(8)));
    for(uint64 *q = av; (uint64)q < L.brk; q++)
      *q = (uint64)strs;
    argvok = 0;
    term = 0;
    break;
  }
  case 5: {   // the array pointer itself hostile
    struct ptr p = genptr();
    if(p.wr == 0){
      av = (uint64*)p.v;
      argvok = p.rd < 8 ? 0 : -1;
      term = 0;
    }
    break;
  }
  }
  if(term)
    av[n] = 0;
  cur.a[1] = (uint64)av;
  cur.r = inchild(SYS_exec, 1);
  if(L.tail <= (uint64)av && (uint64)av < L.brk)
    filltail();
  if(pathok == 0 || argvok == 0 || (pathok == 1 && !real))
    return expect(EXECFAIL, "bad path, not a program, or bad argv");
  if(pathok == 1 && real && argvok == 1)
    return expect(0, "echo started and exited");
}

// vmstat, bootcmd, getpolicy: copy out to a user buffer.
static void
callcopyout(uint64 num)
{
  struct ptr p = genptr();
  cur.a[0] = p.v;
  if(num == SYS_vmstat){
    cur.a[0] = pick(4) ? (uint64)pick(5) - 1 : rnd();
    cur.a[1] = p.v;
    int who = cur.a[0];
    cur.r = rawcall(num, cur.a);
    if(who < VM_SELF || who > VM_SYSTEM)
      return expect(-1, "unknown who");
    if(p.wr < sizeof(struct vmstat))
      return expect(-1, "buffer not writable");
    return expect(0, "good who and buffer");
  }
  char *s = num == SYS_bootcmd ? L.boot : L.policy;
  int len = num == SYS_bootcmd ? L.bootlen : L.policylen;
  cur.a[1] = pick(3) ? (uint64)(len + pick(3) - 1) : gensize();
  int n = cur.a[1];
  cur.r = rawcall(num, cur.a);
  if(n < len + 1)
    return expect(-1, "buffer shorter than the string");
  if(p.wr < len + 1)
    return expect(-1, "buffer not writable");
  expect(len, "the string's length");
  if(memcmp((char*)p.v, s, len + 1) != 0)
    ZFAIL("copied out \"%s\", expected \"%s\"", (char*)p.v, s);
}

// Make one call.
static void
onecall(void)
{
  static uint64 unknown[] = {
    0, 26, 27, 64, 1000, -(uint64)1, 0x100000005UL, 0x7fffffff,
    (uint64)SYS_poweroff << 32 | SYS_poweroff,
  };
  for(int i = 0; i < 6; i++)
    cur.a[i] = rnd();
  cur.note[0] = 0;
  lastname[0] = lastname[1] = -1;
  if(pick(50) == 0){
    cur.num = unknown[pick(NELEM(unknown))];
    cur.r = rawcall(cur.num, cur.a);
    return expect(-1, "no such system call");
  }
  do
    cur.num = 1 + pick(SYS_getpolicy);
  while(cur.num == SYS_poweroff);

  switch(cur.num){
  case SYS_fork: return callfork();
  case SYS_exit: return callexit();
  case SYS_wait: return callwait();
  case SYS_pipe: return callpipe();
  case SYS_read: return callread();
  case SYS_kill: return callkill();
  case SYS_exec: return callexec();
  case SYS_fstat: return callfstat();
  case SYS_dup: return calldup();
  case SYS_close: return callclose();
  case SYS_open: return callopen();
  case SYS_write: return callwrite();
  case SYS_sbrk: return callsbrk();
  case SYS_sleep: return callsleep();
  case SYS_chdir:
  case SYS_unlink:
  case SYS_link:
  case SYS_mkdir:
  case SYS_mknod:
    return callpath(cur.num);
  case SYS_getpid:
    cur.r = rawcall(cur.num, cur.a);
    return expect(mypid, "the caller's pid");
  case SYS_uptime:
    cur.r = rawcall(cur.num, cur.a);
    if(cur.r < lastup || cur.r > 0x7fffffff)
      ZFAIL("uptime went back from %ld", lastup);
    lastup = cur.r;
    return;
  case SYS_vmstat:
  case SYS_bootcmd:
  case SYS_getpolicy:
    return callcopyout(cur.num);
  }
}

// Z: make n calls of round r.
__attribute__((noreturn)) static void
fuzzer(int seed, int round, int first, int n)
{
  rs = (uint64)seed * 0x100000001b3UL + round;
  cur.seed = seed;
  cur.round = round;
  mypid = getpid();
  mkmini();
  for(int fd = 0; fd < NOFILE; fd++)
    fds[fd].kind = fd == drainfd ? FD_DRAIN : FD_CLOSED;
  fds[drainfd].wr = 1;
  setup();
  for(int i = 0; i < n; i++){
    cur.index = first + i;
    if(i % REFRESH == REFRESH - 1)
      setup();
    onecall();
    if(verbose){
      int fd = open("/console", O_WRONLY);   // the lowest free: no trace
      char *name = cur.num < NELEM(callnames) && callnames[cur.num] ?
        callnames[cur.num] : "unknown";
      char s[2][40];
      for(int j = 0; j < 2; j++){   // strings in the heap, for paths
        int k = 0;
        uint64 v = cur.a[j];
        if(v >= L.canary && v < L.brk){
          s[j][k++] = ' ';
          s[j][k++] = '"';
          for(char *c = (char*)v; k < sizeof s[j] - 2 && (uint64)c < L.brk &&
              *c; c++)
            s[j][k++] = *c;
          s[j][k++] = '"';
        }
        s[j][k] = 0;
      }
      fprintf(fd, "call %d: %s(0x%lx%s, 0x%lx%s, 0x%lx) = %ld\n", cur.index,
              name, cur.a[0], s[0], cur.a[1], s[1], cur.a[2], cur.r);
      close(fd);
    }
    if(cur.r == -(uint64)1)
      nrefused++;
    else
      remember();
    if(i % CHECKEVERY == CHECKEVERY - 1){
      checkfds();
      checktext();
    }
  }
  checkfds();
  checktext();
  for(int fd = 0; fd < NOFILE; fd++)
    close(fd);
  int fd = open("/console", O_WRONLY);
  fprintf(fd, "fuzz round %d: %d calls, %d returned -1, %d results "
          "checked exactly\n", round, n, nrefused, nexact);
  exit(0);
}

// ---- M: rounds, sandbox and checks -----------------------------------------

// The pattern of the canary page in round r.
static uchar
canarybyte(int r, int i)
{
  return (r * 131 + i * 7) ^ (i >> 8);
}

static int
canaryok(int r)
{
  uchar *c = (uchar*)L.canary;
  for(int i = 0; i < PGSIZE; i++)
    if(c[i] != canarybyte(r, i))
      return 0;
  return 1;
}

// Remove everything below directory path. Returns the number of
// entries that could not be removed.
static int
rmtree(char *path)
{
  struct { ushort inum; char name[14]; } de;
  char child[MAXPATH];
  struct stat st;
  int bad = 0;
  int fd = open(path, O_RDONLY);
  if(fd < 0)
    return 1;
  while(read(fd, &de, sizeof de) == sizeof de){
    char name[15];
    memmove(name, de.name, 14);
    name[14] = 0;
    if(de.inum == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
      continue;
    snprintf(child, sizeof child, "%s/%s", strcmp(path, "/") ? path : "",
             name);
    if(stat(child, &st) == 0 && st.type == T_DIR)
      bad += rmtree(child);
    if(unlink(child) < 0)
      bad++;
  }
  close(fd);
  return bad;
}

// The names in / when the suite started.
static char rootnames[256][15];
static int nroot;

static int
readroot(int keep)
{
  struct { ushort inum; char name[14]; } de;
  int fd = open("/", O_RDONLY), bad = 0;
  if(keep)
    nroot = 0;
  while(read(fd, &de, sizeof de) == sizeof de){
    char name[15], path[20];
    memmove(name, de.name, 14);
    name[14] = 0;
    if(de.inum == 0)
      continue;
    if(keep){
      if(nroot < NELEM(rootnames))
        strcpy(rootnames[nroot++], name);
      continue;
    }
    int known = 0;
    for(int i = 0; i < nroot; i++)
      if(strcmp(rootnames[i], name) == 0)
        known = 1;
    if(known)
      continue;
    struct stat st;
    snprintf(path, sizeof path, "/%s", name);
    if(stat(path, &st) == 0 && st.type == T_DIR)
      bad += rmtree(path);
    if(unlink(path) < 0)
      bad++;
  }
  close(fd);
  return bad;
}

// Work out the address space from the program file and the break.
// The file is read whole into the heap, which is given back after.
// Returns 0, or -1 (with why set).
static int
learn(char *prog)
{
  struct elfhdr *eh;
  struct proghdr *ph;
  struct shdr {
    uint name, type;
    uint64 flags, addr, off, size;
    uint link, info;
    uint64 align, entsize;
  } *sh;
  struct stat st;
  uint64 end = 0;

  L.heapbase = (uint64)sbrk(0);
  int fd = open(prog, O_RDONLY);
  if(fd < 0 || fstat(fd, &st) < 0)
    FAIL("cannot open %s", prog);
  char *f = sbrk(st.size);
  if(f == (char*)-1 || read(fd, f, st.size) != st.size)
    FAIL("cannot read %s", prog);
  close(fd);
  eh = (struct elfhdr*)f;
  if(eh->magic != ELF_MAGIC || eh->phoff + eh->phnum*sizeof(*ph) > st.size ||
     eh->shoff + eh->shnum*sizeof(*sh) > st.size)
    FAIL("%s is not ELF", prog);
  for(int i = 0; i < eh->phnum; i++){
    ph = (struct proghdr*)(f + eh->phoff) + i;
    if(ph->type != ELF_PROG_LOAD)
      continue;
    if(ph->flags & ELF_PROG_FLAG_EXEC){
      L.textlo = ph->vaddr;
      L.textend = ph->vaddr + ph->filesz;
      L.texthash = hash(0xcbf29ce484222325UL, (uchar*)f + ph->off,
                        ph->filesz);
    } else
      L.datalo = ph->vaddr;
    if(ph->vaddr + ph->memsz > end)
      end = ph->vaddr + ph->memsz;
  }
  // the instructions: the allocated, executable section
  for(int i = 0; i < eh->shnum; i++){
    sh = (struct shdr*)(f + eh->shoff) + i;
    if((sh->flags & 6) == 6){   // SHF_ALLOC | SHF_EXECINSTR
      L.codelo = sh->addr;
      L.codeend = sh->addr + sh->size;
    }
  }
  sbrk(-st.size);
  L.guard = (end + PGSIZE - 1) & ~(uint64)(PGSIZE - 1);
  if(L.textlo == 0 || L.datalo == 0 || L.codeend <= L.codelo)
    FAIL("cannot find text and data segments in %s", prog);
  if(L.guard + (1 + USERSTACK)*PGSIZE != L.heapbase)
    FAIL("stack not where expected: break 0x%lx, guard page 0x%lx",
         L.heapbase, L.guard);
  if(hash(0xcbf29ce484222325UL, (uchar*)L.textlo, L.textend - L.textlo) !=
     L.texthash)
    FAIL("the text in memory differs from the file");
  return 0;
}

// Run round r: n calls from call number first on. Returns 0 if it
// passed.
static int
round(int seed, int r, int first, int n)
{
  int hold[2], drain[2], st, zst = -1000, hst = -1000;
  uint64 before = freepages();
  why[0] = 0;

  for(int i = 0; i < PGSIZE; i++)
    ((uchar*)L.canary)[i] = canarybyte(r, i);
  if(pipe(hold) < 0 || pipe(drain) < 0)
    FAIL("pipe failed");
  int h = fork();
  if(h == 0){
    close(hold[1]);
    close(drain[0]);
    close(drain[1]);
    char c;
    read(hold[0], &c, 1);
    exit(canaryok(r) ? 0 : 1);
  }
  close(hold[0]);
  int d = fork();
  if(d == 0){
    char buf[512];
    for(int fd = 0; fd < NOFILE; fd++)
      if(fd != drain[0])
        close(fd);
    while(read(drain[0], buf, sizeof buf) > 0)
      ;
    exit(0);
  }
  close(drain[0]);
  drainfd = drain[1];
  int z = fork();
  if(z == 0)
    fuzzer(seed, r, first, n);
  close(drain[1]);
  int w = fork();
  if(w == 0){
    for(int fd = 0; fd < NOFILE; fd++)
      close(fd);
    sleep(WATCHDOG);
    exit(0);
  }
  if(h < 0 || d < 0 || z < 0 || w < 0)
    snprintf(why, sizeof why, "fork failed");

  int hung = 0;
  for(;;){
    int pid = wait(&st);
    if(pid < 0)
      break;
    if(pid == z){
      zst = st;
      if(w > 0)
        kill(w);
      close(hold[1]);
    } else if(pid == w && zst == -1000){
      hung = 1;
      kill(z);
    } else if(pid == h)
      hst = st;
  }
  if(hung)
    snprintf(why, sizeof why, "round did not finish in %d ticks", WATCHDOG);
  else if(zst != 0 && zst != 1)
    snprintf(why, sizeof why, "fuzzer process exited with %d", zst);
  else if(zst == 1)
    snprintf(why, sizeof why, "(reported above)");
  else if(!canaryok(r))
    snprintf(why, sizeof why, "M's canary page changed");
  else if(hst != 0)
    snprintf(why, sizeof why, "the holder's canary page changed (%d)", hst);

  int bad = rmtree("/fz") + readroot(0);
  if(bad && !why[0])
    snprintf(why, sizeof why, "%d files of the round cannot be removed", bad);
  uint64 after = freepages();
  for(int i = 0; i < 20 && after != before; i++){
    sleep(1);   // only a killed fuzzer can leave orphans for init
    after = freepages();
  }
  if(after != before && !why[0])
    snprintf(why, sizeof why, "free pages %ld before the round, %ld after "
             "(%ld lost)", before, after, before - after);
  return why[0] ? -1 : 0;
}

int
main(int argc, char *argv[])
{
  int seed = argc > 1 ? atoi(argv[1]) : 1;
  int ncalls = argc > 2 ? atoi(argv[2]) : 2*ROUNDCALLS;
  int r0 = argc > 3 ? atoi(argv[3]) : 0;
  verbose = argc > 4 && argv[4][0] == 'v';
  char prog[MAXPATH];
  struct vmstat vs;
  struct stat st;

  snprintf(prog, sizeof prog, "%s%s", argv[0][0] == '/' ? "" : "/", argv[0]);
  if(learn(prog) < 0){
    printf("FAIL fuzz: %s\n", why);
    nfail++;
    endsuite("fuzz", freepages());
  }
  // the heap: canary page, scratch pages, a tail page of 'A's
  L.canary = (uint64)sbrk((2 + NSCRATCH) * PGSIZE);
  L.scratch = L.canary + PGSIZE;
  L.tail = L.scratch + NSCRATCH*PGSIZE;
  L.brk = L.tail + PGSIZE;
  filltail();
  vmstat(VM_SYSTEM, &vs);
  L.ram = vs.total_pages * PGSIZE;
  L.policylen = getpolicy(L.policy, sizeof L.policy);
  L.bootlen = bootcmd(L.boot, sizeof L.boot);
  if(L.policylen < 0 || L.bootlen < 0){
    printf("FAIL fuzz: getpolicy or bootcmd failed\n");
    nfail++;
  }
  for(int i = 0; i < NELEM(names); i++)
    if(strncmp(names[i], "zq", 2) == 0 && stat(names[i], &st) == 0){
      printf("FAIL fuzz: %s exists in /: the sandbox names must not\n",
             names[i]);
      nfail++;
    }

  // The sandbox /fz is made after the count the suite ends with is
  // taken, and removed at the end. (A directory page holds 256
  // entries: far more than the names a round makes in /fz, or in /
  // after a chdir(".."), so a round never grows a directory by a page
  // it would keep.)
  if(stat("/fz", &st) == 0){
    rmtree("/fz");
    unlink("/fz");
  }
  testquiet();
  uint64 before = freepages();
  mkdir("/fz");
  readroot(1);
  printf("fuzz: seed %d, %d calls, policy %s\n", seed, ncalls, L.policy);

  for(int r = r0, first = r0*ROUNDCALLS; first < (r0 + 0L)*ROUNDCALLS + ncalls;
      r++, first += ROUNDCALLS){
    int n = r0*ROUNDCALLS + ncalls - first;
    if(n > ROUNDCALLS)
      n = ROUNDCALLS;
    if(round(seed, r, first, n) == 0){
      printf("PASS fuzz round %d (calls %d-%d)\n", r, first, first + n - 1);
      npass++;
    } else {
      if(strcmp(why, "(reported above)") != 0)
        printf("FAIL fuzz round %d (seed %d, calls %d-%d): %s\n", r, seed,
               first, first + n - 1, why);
      nfail++;
    }
  }
  if(rmtree("/fz") != 0 || unlink("/fz") < 0){
    printf("FAIL fuzz: cannot remove the sandbox /fz\n");
    nfail++;
  }
  endsuite("fuzz", before);
}
