// mtcow [pages=4096] [threads=4] [layout=0]
//
// COW faults of several threads on one page table: a parent fills a heap
// of `pages` pages and forks; the child runs `threads` threads (its
// first thread and threads-1 it creates), each storing into its own part
// of the heap, which is all shared with the parent. So the child's COW
// faults run at once on as many harts as there are (CPUS = threads), and
// meet on the page-table locks (ptlock=), the page allocator (kalloc=)
// and the TLB shootdowns of a multi-threaded process. With threads=1 the
// child stays single-threaded and takes no page-table lock at all: the
// baseline.
//
// layout 0: thread j writes a contiguous block, pages [j*pages/threads,
// (j+1)*pages/threads); with 512 pages or more per thread the threads
// mostly fault in leaf tables of their own. layout 1: thread j writes
// pages j, j+threads, j+2*threads, ...: every thread faults in every
// leaf table, so ptlock=split's per-leaf locks are contended too.
//
// Every page is written by exactly one thread, once: writes=pages (so
// plain cow takes exactly `pages` COW faults). Measured from before the
// fork to after the wait, parent and child, with the lock statistics
// (exp.h). The child creates its threads on pages it takes with sbrk
// after the fork (stacks, and a page for the thread ids and a start
// barrier), which belong to it alone: no store of the harness lands on
// a shared page. The threads start writing together, after the barrier:
// the waiting there (until every thread has a hart) is in instr.

#define USAGE "mtcow [pages=4096] [threads=4] [layout=0]"
#include "user/user.h"
#include "experiments/exp.h"

#define TSTACK (2 * PGSZ)   // a thread's stack

// Read by every thread of the child; written before the fork only.
static char *heap;
static int npages, nthreads, layout;

// Store into thread j's part of the heap. Inlined: the child's first
// thread runs it inline and must store nothing on its (shared) stack.
static inline __attribute__((always_inline)) void
write_part(int j)
{
  if(layout == 0){
    int lo = (int)((int64)npages * j / nthreads);
    int hi = (int)((int64)npages * (j + 1) / nthreads);
    for(int i = lo; i < hi; i++)
      TOUCH(heap, i, j + 1);
  } else {
    for(int i = j; i < npages; i += nthreads)
      TOUCH(heap, i, j + 1);
  }
}

// Wait until all nthreads threads of the child are here, so that their
// stores start together: a new thread waits on the run queue until an
// idle hart next looks (at its timer tick), and without this the first
// threads would be done before the last ones start. *count lives on a
// page of the child's own.
static inline __attribute__((always_inline)) void
barrier(volatile int *count)
{
  __atomic_fetch_add(count, 1, __ATOMIC_ACQ_REL);
  while(__atomic_load_n(count, __ATOMIC_ACQUIRE) < nthreads)
    ;
}

// What the child's threads share, on a page of the child's own (taken
// with sbrk after the fork, so that storing into it faults nothing).
struct shared {
  int arrived;                // threads at the barrier
  int tids[8];                // tids[j] of thread j (j >= 1)
};

// A created thread: arg is the shared page's address plus j, the
// thread's number. Its stack is the child's own, so it may store there.
static void
worker(void *arg)
{
  struct shared *sh = (struct shared*)((uint64)arg & ~(uint64)(PGSZ - 1));
  barrier(&sh->arrived);
  write_part((int)((uint64)arg & (PGSZ - 1)));
  thread_exit(0);
}

int
main(int argc, char *argv[])
{
  struct meas m;
  struct delta d;
  char params[64];

  npages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  nthreads = argnum(argc, argv, 2, "threads", 1, 8, 4);
  layout = argnum(argc, argv, 3, "layout", 0, 1, 0);
  argmax(argc, 3);
  getpolicyname();
  lockstat_report();
  heap = heap_alloc(npages);
  heap_fill(heap, npages);
  childpipe_open();

  meas_start(&m);
  int pid = fork();
  if(pid < 0)
    die("fork failed: out of memory?");
  if(pid == 0){
    struct shared *sh = 0;
    if(nthreads > 1){
      // the shared page, then the stacks, all past the shared break
      char *mem = sbrk(PGSZ + (nthreads - 1) * TSTACK + PGSZ);
      if(mem == (char*)-1)
        exit(1);
      mem += (PGSZ - (uint64)mem % PGSZ) % PGSZ;
      sh = (struct shared*)mem;
      for(int j = 1; j < nthreads; j++){
        sh->tids[j] = thread_create(worker, mem + j, mem + PGSZ + j * TSTACK);
        if(sh->tids[j] < 0)
          exit(1);
      }
      barrier(&sh->arrived);
    }
    write_part(0);
    for(int j = 1; j < nthreads; j++)
      if(thread_join(sh->tids[j], 0) < 0)
        exit(1);
    CHILD_OK();
    exit(0);
  }
  if(wait(0) < 0)
    die("wait failed");
  meas_stop(&m, &d, -1);

  childpipe_check(1);
  snprintf(params, sizeof(params), " threads=%d layout=%d writes=%d",
           nthreads, layout, npages);
  result(npages, params, &d);
  exit(0);
}
