// forkbench [maxmib=64]
//
// Not a test: the cost of the basic operations, in instructions.
//
//  op=fork      for heaps of 1, 4, 16, 64 ... MiB (x4, up to maxmib): sbrk
//               the heap, store into every page, fork; the child exits at
//               once. instr = the parent's own instructions (exp.h
//               own_instr: a timer tick, or the child run while the
//               parent was preempted, is left out) from just before
//               the fork system call to just after it returned;
//               the counters are those of the parent and child from
//               before the fork to after the wait (fork_instr: in the
//               kernel's fork).
//  op=cowfault  the child of a 256-page (1 MiB) heap stores into one page:
//               instr = the child's own instructions from just before to
//               just after that store; the counters are the child's
//               alone (fault_instr: the kernel's handling of that fault).
//  op=copy      a plain 4 KiB memmove between two private pages in user
//               space: own instructions around the memmove.
//
// A fork that fails (under copy a 64 MiB heap needs 64 MiB more free
// memory: boot with MEM=256M) is reported on stderr and the exit status
// is 1; the other results are still printed.

#define USAGE "forkbench [maxmib=64]"
#include "user/user.h"
#include "experiments/exp.h"

// fork(), with the thread's own clock (exp.h own_instr) read just before
// and just after the system call; every value stays in a register until
// the third call has returned (nothing is stored). With nofork, the same
// sequence without the fork: what the readings alone cost.
static inline __attribute__((always_inline)) int
timed_fork(uint64 *t0, uint64 *t1, int nofork)
{
  uint64 x, y, pid;

  if(nofork)
    asm volatile("li a7, %3\n\tecall\n\tmv %1, a0\n\t"
                 "li a7, %3\n\tecall\n\tmv %2, a0\n\tli %0, 1"
                 : "=&r" (pid), "=&r" (x), "=&r" (y)
                 : "i" (SYS_threadinstr)
                 : "a0", "a7", "memory");
  else
    asm volatile("li a7, %3\n\tecall\n\tmv %1, a0\n\t"
                 "li a7, %4\n\tecall\n\tmv %0, a0\n\t"
                 "li a7, %3\n\tecall\n\tmv %2, a0"
                 : "=&r" (pid), "=&r" (x), "=&r" (y)
                 : "i" (SYS_threadinstr), "i" (SYS_fork)
                 : "a0", "a7", "memory");
  *t0 = x;
  *t1 = y;
  return (int)pid;
}

int
main(int argc, char *argv[])
{
  int maxmib, failed, pages, st;
  char *heap, *src, *dst;
  uint64 t0, t1, k0, k1, kfork, kpair;
  struct meas m;
  struct delta d;

  maxmib = argnum(argc, argv, 1, "maxmib", 1, 1024, 64);
  argmax(argc, 1);
  getpolicyname();
  failed = 0;
  timed_fork(&k0, &k1, 1);
  kfork = k1 - k0;
  kpair = own_overhead();

  for(int mib = 1; mib <= maxmib; mib *= 4){
    pages = mib * 256;
    heap = sbrk(0);
    if((uint64)heap % PGSZ != 0 && sbrk(PGSZ - (uint64)heap % PGSZ) == (char*)-1)
      die("sbrk failed");
    heap = sbrk(pages * PGSZ);
    if(heap == (char*)-1){
      fprintf(2, "forkbench: sbrk of %d MiB failed: out of memory\n", mib);
      failed = 1;
      break;
    }
    for(int i = 0; i < pages; i++)
      TOUCH(heap, i, i);
    meas_start(&m);
    int pid = timed_fork(&t0, &t1, 0);
    if(pid == 0)
      exit(0);
    if(pid > 0 && wait(0) < 0)
      die("wait failed");
    meas_stop(&m, &d, -1);
    if(pid < 0){
      fprintf(2, "forkbench: fork of a %d MiB heap (%d pages) failed: "
              "out of memory (MEM too small for this policy?)\n", mib, pages);
      failed = 1;
    } else {
      d.instr = t1 - t0 - kfork;
      result(pages, " op=fork", &d);
    }
    if(sbrk(-pages * PGSZ) == (char*)-1)
      die("sbrk shrink failed");
  }

  // one COW fault
  heap = heap_alloc(256);
  heap_fill(heap, 256);
  meas_start(&m);
  int pid = fork();
  if(pid < 0)
    die("fork failed: out of memory?");
  if(pid == 0){
    uint64 a = own_instr();
    TOUCH(heap, 128, 1);
    uint64 b = own_instr();
    exit((int)(b - a - kpair));
  }
  if(wait(&st) < 0)
    die("wait failed");
  meas_stop(&m, &d, VM_CHILDREN);
  d.instr = st;
  result(1, " op=cowfault", &d);

  // a plain copy of one page in user space
  src = heap_alloc(2);
  dst = src + PGSZ;
  heap_fill(src, 2);
  meas_start(&m);
  t0 = own_instr();
  memmove(dst, src, PGSZ);
  t1 = own_instr();
  meas_stop(&m, &d, -1);
  d.instr = t1 - t0 - kpair;
  if(memcmp(dst, src, PGSZ) != 0)
    die("memmove did not copy");
  result(1, " op=copy", &d);
  exit(failed);
}
