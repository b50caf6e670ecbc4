// wakelat [n=20]: how long a thread made runnable waits for an idle
// hart. A second thread blocks reading a pipe; the main thread writes a
// byte into it and spins, counting its own instructions (rdinstret),
// until the woken thread has run and said so through memory; n times.
// Prints "wakelat n=N max=M total=T", the most and the sum of
// instructions spun (without -icount rdinstret counts host cycles: the
// numbers are host-dependent, to be compared within one host). On
// several harts the woken thread runs at once on an idle one: the
// kernel kicks that hart with an IPI (sched.c); without the kick it
// waited for the idle hart's next timer tick. Measured on one host
// (make run CPUS=2 CMD='wakelat 20'), the sum was 4 to 6 times smaller
// with the kick. Under -icount QEMU runs the harts in turn and does not
// switch to the kicked one before the spinner's slice ends, so there
// every round waits about a tick (10 million instructions) either way:
// this is not a test. On one hart the reader waits for the spinner's
// tick, by design.
#include "user/user.h"

static int fds[2];
static volatile int woke;     // rounds the reader has finished

static void
reader(void *arg)
{
  int n = (int)(uint64)arg;
  char c;
  for(int i = 0; i < n; i++){
    if(read(fds[0], &c, 1) != 1)
      thread_exit(1);
    __atomic_store_n(&woke, i + 1, __ATOMIC_RELEASE);
  }
  thread_exit(0);
}

int
main(int argc, char *argv[])
{
  int n = 20;
  if(argc > 2 || (argc == 2 && (n = atoi(argv[1])) <= 0)){
    fprintf(2, "usage: wakelat [n=20]\n");
    exit(1);
  }
  if(pipe(fds) < 0){
    fprintf(2, "wakelat: pipe\n");
    exit(1);
  }
  int tid = thread_spawn(reader, (void*)(uint64)n);
  if(tid < 0){
    fprintf(2, "wakelat: thread_spawn\n");
    exit(1);
  }
  uint64 max = 0, total = 0;
  for(int i = 0; i < n; i++){
    // Let the reader block in read first: spin until it is asleep is
    // not observable, so give it a moment (sleep a tick), then write.
    sleep(1);
    uint64 t0 = rdinstret();
    if(write(fds[1], "x", 1) != 1){
      fprintf(2, "wakelat: write\n");
      exit(1);
    }
    while(__atomic_load_n(&woke, __ATOMIC_ACQUIRE) != i + 1)
      ;
    uint64 d = rdinstret() - t0;
    total += d;
    if(d > max)
      max = d;
  }
  int st = -1;
  if(thread_wait(tid, &st) != 0 || st != 0){
    fprintf(2, "wakelat: reader failed\n");
    exit(1);
  }
  printf("wakelat n=%d max=%lu total=%lu\n", n, max, total);
  exit(0);
}
