// seqwrite [pages=1024] [frac=50] [skip=0] [seed=1]
//
// A child that writes a growing buffer from its start (a log, an array
// being filled): the parent fills a heap of `pages` pages and forks; the
// child stores into the first frac% of the pages, in increasing order,
// and exits. A sequential stream is what fault-around should catch.
// With skip > 0 the child passes over each page of that range with
// probability skip% (drawn with xorshift64 from seed) and stores into
// the others: a scan with holes, as a pass that updates the rows a
// predicate picks, a collector's pass that touches the pages holding
// live objects, a sparse array filled in order (what a policy whose
// windows wait for pages written in a row must not lose at each hole).
// Measured from before the fork to after the wait, parent and child.

#define USAGE "seqwrite [pages=1024] [frac=50] [skip=0] [seed=1]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, frac, skip, seed, n;
  char *heap;
  struct meas m;
  struct delta d;
  char params[64];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 1024);
  frac = argnum(argc, argv, 2, "frac", 0, 100, 50);
  skip = argnum(argc, argv, 3, "skip", 0, 99, 0);
  seed = argnum(argc, argv, 4, "seed", 0, 1000000000, 1);
  argmax(argc, 4);
  getpolicyname();
  n = (int)((int64)pages * frac / 100);
  // The pages passed over, drawn before the fork (the same for every
  // policy, and none of the drawing in the measured child).
  char *over = malloc(n > 0 ? n : 1);
  if(over == 0)
    die("malloc failed");
  holes_draw(over, n, skip, seed);
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  meas_start(&m);
  int pid = fork();
  if(pid < 0)
    die("fork failed: out of memory?");
  if(pid == 0){
    for(int i = 0; i < n; i++)
      if(!over[i])
        TOUCH(heap, i, i + 1);
    CHILD_OK();
    exit(0);
  }
  if(wait(0) < 0)
    die("wait failed");
  meas_stop(&m, &d, -1);

  childpipe_check(1);
  // skip= and seed= only where set: the rows of plain streams are the
  // configurations they always were.
  if(skip)
    snprintf(params, sizeof(params), " frac=%d skip=%d seed=%d", frac, skip, seed);
  else
    snprintf(params, sizeof(params), " frac=%d", frac);
  result(pages, params, &d);
  exit(0);
}
