// threadtest: threads of one process (kernel/thread.c): create and join,
// shared memory and sbrk, fork and exec from a threaded process, exit
// and kill while threads run, and threads racing on one COW page, which
// must end with exactly one private copy between them and nothing
// leaked, whatever the ptlock mode the kernel was booted with.
#include "user/user.h"
#pragma GCC diagnostic ignored "-Wunused-function"
#include "user/testlib.h"

#define NT 4

// A page-aligned block of n pages, written once (private).
static char*
pages(int n)
{
  char *brk = sbrk(0);
  int pad = (PGSIZE - (uint64)brk % PGSIZE) % PGSIZE;
  char *p = sbrk(pad + n * PGSIZE);
  if(p == (char*)-1)
    return 0;
  p += pad;
  for(int i = 0; i < n; i++)
    p[i * PGSIZE] = 0;
  return p;
}

static volatile int go;          // threads wait for it (spin)
static volatile int arrived;     // threads that are waiting
static char *target;             // the page threads write at once

static void
spin_until_go(void)
{
  __atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
  while(!go)
    ;
}

static void
store_tid(void *arg)
{
  int *slot = arg;
  *slot = gettid();
}

// Threads run, see the process's memory, and report back through join.
static int
createjoin(void)
{
  int got[NT], tids[NT];
  for(int i = 0; i < NT; i++){
    got[i] = 0;
    if((tids[i] = thread_spawn(store_tid, &got[i])) < 0)
      FAIL("thread_spawn %d returned -1", i);
  }
  for(int i = 0; i < NT; i++){
    int st = -1;
    if(thread_wait(tids[i], &st) != 0)
      FAIL("thread_join(%d) returned -1", tids[i]);
    if(st != 0)
      FAIL("thread %d exited with %d, want 0", tids[i], st);
    if(got[i] != tids[i])
      FAIL("thread %d stored tid %d in shared memory", tids[i], got[i]);
  }
  if(thread_join(tids[0], 0) != -1)
    FAIL("joining a thread twice returned 0, want -1");
  if(thread_join(gettid(), 0) != -1)
    FAIL("joining oneself returned 0, want -1");
  if(gettid() != getpid())
    FAIL("the first thread's tid %d is not the pid %d", gettid(), getpid());
  return 0;
}

static void
exit_with(void *arg)
{
  thread_exit((int)(uint64)arg);
}

// thread_exit's status reaches thread_join.
static int
exitstatus(void)
{
  int tid = thread_spawn(exit_with, (void*)42);
  int st = 0;
  if(tid < 0 || thread_wait(tid, &st) != 0 || st != 42)
    FAIL("thread_exit(42) gave status %d", st);
  return 0;
}

static char *grown;
static void
grow(void *arg)
{
  char *p = sbrk(PGSIZE);
  if(p != (char*)-1)
    p[100] = 'g';
  grown = p;
}

// sbrk from one thread is seen by all.
static int
sharedsbrk(void)
{
  int tid = thread_spawn(grow, 0);
  if(tid < 0 || thread_wait(tid, 0) != 0)
    FAIL("thread failed");
  if(grown == (char*)-1 || grown == 0)
    FAIL("sbrk in a thread failed");
  if(grown[100] != 'g')
    FAIL("the memory a thread sbrk'd reads %d here", grown[100]);
  if(sbrk(0) < grown + PGSIZE)
    FAIL("the break seen here is below the thread's sbrk");
  return 0;
}

static void
forever(void *arg)
{
  __atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
  for(;;)
    ;
}

// Start n threads spinning forever; return once they all run.
static int
spinners(int n)
{
  arrived = 0;
  for(int i = 0; i < n; i++)
    if(thread_spawn(forever, 0) < 0)
      return -1;
  while(arrived < n)
    sleep(1);
  return 0;
}

// exit() from one thread ends the threads still running.
static int
exitrunning(void)
{
  int pid = fork();
  if(pid == 0){
    if(spinners(NT - 1) < 0)
      exit(2);
    exit(7);
  }
  int st = waitpid(pid);
  if(st != 7)
    FAIL("a process exiting with running threads: status %d, want 7", st);
  return 0;
}

// kill() ends a process whose threads all run in user mode.
static int
killthreads(void)
{
  int p[2];
  if(pipe(p) < 0)
    FAIL("pipe");
  int pid = fork();
  if(pid == 0){
    if(spinners(NT - 1) < 0)
      exit(2);
    write(p[1], "r", 1);
    for(;;)
      ;
  }
  char c;
  if(read(p[0], &c, 1) != 1)
    FAIL("the threaded child did not start");
  if(kill(pid) != 0)
    FAIL("kill returned -1");
  int st = waitpid(pid);
  if(st != -1)
    FAIL("killed threaded process: status %d, want -1", st);
  close(p[0]);
  close(p[1]);
  return 0;
}

static void
forker(void *arg)
{
  int *result = arg;
  int pid = fork();
  if(pid == 0){
    // Only the forking thread is copied: the spinner is not here.
    exit(thread_join(*result, 0) == -1 ? 5 : 6);
  }
  *result = pid < 0 ? -1 : waitpid(pid);
}

// fork() from a thread copies the address space with that thread only.
static int
forkthread(void)
{
  int pid = fork();
  if(pid == 0){
    if(spinners(1) < 0)
      exit(2);
    int result = getpid() + 1;   // a tid the child will not have
    int tid = thread_spawn(forker, &result);
    if(tid < 0 || thread_wait(tid, 0) != 0)
      exit(3);
    exit(result == 5 ? 0 : 4);
  }
  int st = waitpid(pid);
  if(st != 0)
    FAIL("fork from a thread: status %d (3: thread failed, 4: the child "
         "saw another thread)", st);
  return 0;
}

// Forks again and again while other threads of the process run: with
// ptshare=1 every fork leaves the process's leaf tables pending, and a
// running sibling's next access (an instruction fetch, a load) may fault
// on one just as another hart resolves it; that fault must not kill the
// process.
static int
forkspin(void)
{
  int pid = fork();
  if(pid == 0){
    if(spinners(2) < 0)
      exit(2);
    for(int i = 0; i < 60; i++){
      int c = fork();
      if(c < 0)
        exit(3);
      if(c == 0)
        exit(0);
      if(waitpid(c) != 0)
        exit(4);
    }
    exit(0);
  }
  int st = waitpid(pid);
  if(st != 0)
    FAIL("forks beside running threads: status %d (-1: killed by a fault, "
         "3: fork failed, 4: a child failed)", st);
  return 0;
}

static void
execer(void *arg)
{
  char *argv[] = { "echo", "exec-from-thread", 0 };
  exec("/echo", argv);
  exit(9);
}

// exec() from a thread ends the other threads and runs the program.
static int
execthread(void)
{
  int pid = fork();
  if(pid == 0){
    close(1);
    if(open("/threadtest.out", O_CREATE | O_WRONLY | O_TRUNC) != 1)
      exit(8);
    if(spinners(NT - 2) < 0)
      exit(2);
    if(thread_spawn(execer, 0) < 0)
      exit(3);
    for(;;)
      sleep(1);
  }
  int st = waitpid(pid);
  char buf[32];
  memset(buf, 0, sizeof(buf));
  int fd = open("/threadtest.out", O_RDONLY);
  int n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
  close(fd);
  unlink("/threadtest.out");
  if(st != 0)
    FAIL("exec from a thread: status %d, want echo's 0", st);
  if(n <= 0 || strcmp(buf, "exec-from-thread\n") != 0)
    FAIL("exec'd program wrote '%s'", buf);
  return 0;
}

static void
racer(void *arg)
{
  int i = (int)(uint64)arg;
  spin_until_go();
  target[64 * i] = 'a' + i;   // all at once: one COW fault each
}

// NT threads store into the same COW page at once. Exactly one copy of
// it must be made (the others find the page already writable, or lose a
// compare-and-swap and free theirs), every store must survive, and the
// parent's page is untouched. The target lies in the middle of a block
// nothing else writes, so that no fault-around before the race resolves
// it (fault-around may copy its neighbours during the race: those count
// as copies_around, not as copies of the faulting page).
static int
cowrace(void)
{
  char *block = pages(96);
  if(block == 0)
    FAIL("sbrk");
  target = block + 48 * PGSIZE;
  memset(target, 'p', PGSIZE);
  int pid = fork();
  if(pid == 0){
    go = 0;
    arrived = 0;
    int tids[NT];
    for(int i = 0; i < NT; i++)
      if((tids[i] = thread_spawn(racer, (void*)(uint64)i)) < 0)
        exit(2);
    while(arrived < NT)
      ;
    struct vmstat s0, s1;
    vmstat(VM_SELF, &s0);
    go = 1;
    for(int i = 0; i < NT; i++)
      if(thread_wait(tids[i], 0) != 0)
        exit(3);
    vmstat(VM_SELF, &s1);
    for(int i = 0; i < NT; i++)
      if(target[64 * i] != 'a' + i)
        exit(4);
    uint64 copies = s1.copies_fault - s0.copies_fault;
    // Under a policy that shares nothing (copy) the page was private
    // already: no COW fault, no copy.
    uint64 want = s1.cow_faults > s0.cow_faults ? 1 : 0;
    exit(copies == want ? 0 : 10 + (int)copies);
  }
  int st = waitpid(pid);
  if(st != 0)
    FAIL("threads racing on a COW page: status %d (2: spawn, 3: join, 4: a "
         "store was lost, 10+n: n copies of the page)", st);
  for(int i = 0; i < PGSIZE; i++)
    if(target[i] != 'p')
      FAIL("the parent's page changed at %d", i);
  return 0;
}

static void
hammer(void *arg)
{
  char *mine = arg;
  spin_until_go();
  for(int round = 0; round < 8; round++)
    for(int i = 0; i < 8; i++)
      mine[i * PGSIZE] = round;
}

// Threads fault on their own COW pages at once, on the same leaf table;
// each sees its own writes, the parent none of them.
static int
parallelcow(void)
{
  char *h = pages(8 * NT);
  if(h == 0)
    FAIL("sbrk");
  int pid = fork();
  if(pid == 0){
    go = 0;
    arrived = 0;
    int tids[NT];
    for(int i = 0; i < NT; i++)
      if((tids[i] = thread_spawn(hammer, h + (uint64)i * 8 * PGSIZE)) < 0)
        exit(2);
    while(arrived < NT)
      ;
    go = 1;
    for(int i = 0; i < NT; i++)
      if(thread_wait(tids[i], 0) != 0)
        exit(3);
    for(int i = 0; i < 8 * NT; i++)
      if(h[i * PGSIZE] != 7)
        exit(4);
    exit(0);
  }
  int st = waitpid(pid);
  if(st != 0)
    FAIL("threads writing their own COW pages: status %d", st);
  for(int i = 0; i < 8 * NT; i++)
    if(h[i * PGSIZE] != 0)
      FAIL("the parent's page %d changed", i);
  return 0;
}

// The last thread's thread_exit ends the process with its status.
static int
lastexit(void)
{
  int pid = fork();
  if(pid == 0)
    thread_exit(33);
  int st = waitpid(pid);
  if(st != 33)
    FAIL("thread_exit of the only thread: status %d, want 33", st);
  return 0;
}

static struct test tests[] = {
  { "createjoin", createjoin },
  { "exitstatus", exitstatus },
  { "sharedsbrk", sharedsbrk },
  { "exitrunning", exitrunning },
  { "killthreads", killthreads },
  { "forkthread", forkthread },
  { "forkspin", forkspin },
  { "execthread", execthread },
  { "cowrace", cowrace },
  { "parallelcow", parallelcow },
  { "lastexit", lastexit },
};

int
main(int argc, char *argv[])
{
  testsetup(tests, NELEM(tests), argc, argv);
  uint64 before = freepages();
  runtests(tests, NELEM(tests), argc, argv);
  endsuite("threadtest", before);
}
