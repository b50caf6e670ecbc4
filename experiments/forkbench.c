// forkbench [maxmib=64]
//
// Not a test: the cost of the basic operations, in instructions.
//
//  op=fork      for heaps of 1, 4, 16, 64 ... MiB (x4, up to maxmib): sbrk
//               the heap, store into every page, fork; the child exits at
//               once. instr = instructions from just before the fork
//               system call to just after it returned in the parent;
//               the counters are those of the parent and child from
//               before the fork to after the wait (fork_instr: in the
//               kernel's fork).
//  op=cowfault  the child of a 256-page (1 MiB) heap stores into one page:
//               instr = instructions from just before to just after that
//               store, seen by the child; the counters are the child's
//               alone (fault_instr: the kernel's handling of that fault).
//  op=copy      a plain 4 KiB memmove between two private pages in user
//               space: instr around the memmove.
//
// A fork that fails (under copy a 64 MiB heap needs 64 MiB more free
// memory: boot with MEM=256M) is reported on stderr and the exit status
// is 1; the other results are still printed.

#define USAGE "forkbench [maxmib=64]"
#include "user/user.h"
#include "experiments/exp.h"

// fork(), with the instruction counter read just before and just after
// the system call; both values stay in registers (nothing is stored).
static inline __attribute__((always_inline)) int
timed_fork(uint64 *t0, uint64 *t1)
{
  register uint64 a0 asm("a0");
  uint64 x, y;

  asm volatile("rdinstret %1\n\tli a7, %3\n\tecall\n\trdinstret %2"
               : "=r" (a0), "=&r" (x), "=&r" (y)
               : "i" (SYS_fork)
               : "a7", "memory");
  *t0 = x;
  *t1 = y;
  return (int)a0;
}

int
main(int argc, char *argv[])
{
  int maxmib, failed, pages, st;
  char *heap, *src, *dst;
  uint64 t0, t1;
  struct meas m;
  struct delta d;

  maxmib = argnum(argc, argv, 1, "maxmib", 1, 1024, 64);
  argmax(argc, 1);
  getpolicyname();
  failed = 0;

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
    int pid = timed_fork(&t0, &t1);
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
      d.instr = t1 - t0;
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
    uint64 a = instret();
    TOUCH(heap, 128, 1);
    uint64 b = instret();
    exit((int)(b - a));
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
  t0 = instret();
  memmove(dst, src, PGSZ);
  t1 = instret();
  meas_stop(&m, &d, -1);
  d.instr = t1 - t0;
  if(memcmp(dst, src, PGSZ) != 0)
    die("memmove did not copy");
  result(1, " op=copy", &d);
  exit(failed);
}
