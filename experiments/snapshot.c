// snapshot [pages=4096] [frac=10] [seed=0]
//
// Redis BGSAVE: a parent with a heap of `pages` pages forks a child that
// serialises the heap as it was at the fork: it checksums it chunk by
// chunk (64 chunks, or one per page if fewer) and sends each chunk's
// checksum through a pipe. Meanwhile the parent keeps updating its hot
// set (frac% of the pages: the first ones if seed is 0, else a fixed
// scattered set drawn from seed): after each checksum it reads it makes
// one pass of stores over the hot set and acknowledges through a second
// pipe; the child waits for the acknowledgement before its next chunk,
// so the two interleave the same way on one hart or several (without
// it, on one hart, the child would fill the pipe and finish before the
// parent ran). When the pipe reports end of file the child is done and
// is waited for. The checksums are then checked
// against the fork-time contents (the child must not see the parent's
// updates).
//
// Reports the parent's own counters (VM_SELF) from before the fork to
// after the wait: the cost the serving process pays for the snapshot.
// instr is the whole interval on the hart (the child's work included
// when there is one hart).

#define USAGE "snapshot [pages=4096] [frac=10] [seed=0]"
#include "user/user.h"
#include "experiments/exp.h"

#define NCHUNK 64

int
main(int argc, char *argv[])
{
  int pages, frac, seed, n, *hot, nchunk, per, fds[2], ack[2], got;
  char *heap;
  uint64 *sums;
  struct meas m;
  struct delta d;
  char params[48];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  frac = argnum(argc, argv, 2, "frac", 0, 100, 10);
  seed = argnum(argc, argv, 3, "seed", 0, 1000000000, 0);
  argmax(argc, 3);
  getpolicyname();
  n = (int)((int64)pages * frac / 100);
  hot = permutation(pages, seed);
  if(seed == 0)
    for(int i = 0; i < pages; i++)
      hot[i] = i;
  nchunk = pages < NCHUNK ? pages : NCHUNK;
  per = pages / nchunk;   // the last chunk takes the rest
  sums = malloc(nchunk * sizeof(uint64));
  if(sums == 0)
    die("malloc failed");
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  if(pipe(fds) < 0 || pipe(ack) < 0)
    die("pipe failed");

  meas_start(&m);
  int pid = fork();
  if(pid < 0)
    die("fork failed: out of memory?");
  if(pid == 0){
    char a;
    close(fds[0]);
    close(ack[1]);
    for(int c = 0; c < nchunk; c++){
      int first = c * per;
      uint64 s = heap_sum(heap, first, c == nchunk-1 ? pages - first : per);
      if(write(fds[1], &s, sizeof(s)) != sizeof(s) || read(ack[0], &a, 1) != 1)
        exit(1);
    }
    exit(0);
  }
  close(fds[1]);
  close(ack[0]);
  got = 0;
  for(int pass = 1; ; pass++){
    if(got >= nchunk || read(fds[0], &sums[got], sizeof(uint64)) != sizeof(uint64))
      break;
    got++;
    for(int i = 0; i < n; i++)
      TOUCH(heap, hot[i], (uint64)pass);
    if(write(ack[1], &okbyte, 1) != 1)
      break;
  }
  close(ack[1]);
  if(wait(0) < 0)
    die("wait failed");
  meas_stop(&m, &d, VM_SELF);

  close(fds[0]);
  if(got != nchunk)
    die("the child did not send every checksum");
  for(int c = 0; c < nchunk; c++){
    int first = c * per;
    if(sums[c] != fill_sum(first, c == nchunk-1 ? pages - first : per))
      die("the snapshot saw the parent's later updates");
  }
  snprintf(params, sizeof(params), " frac=%d seed=%d", frac, seed);
  result(pages, params, &d);
  exit(0);
}
