// seqwrite [pages=1024] [frac=50]
//
// A child that writes a growing buffer from its start (a log, an array
// being filled): the parent fills a heap of `pages` pages and forks; the
// child stores into the first frac% of the pages, in increasing order,
// and exits. A sequential stream is what fault-around should catch.
// Measured from before the fork to after the wait, parent and child.

#define USAGE "seqwrite [pages=1024] [frac=50]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, frac, n;
  char *heap;
  struct meas m;
  struct delta d;
  char params[48];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 1024);
  frac = argnum(argc, argv, 2, "frac", 0, 100, 50);
  argmax(argc, 2);
  getpolicyname();
  n = (int)((int64)pages * frac / 100);
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  meas_start(&m);
  int pid = fork();
  if(pid < 0)
    die("fork failed: out of memory?");
  if(pid == 0){
    for(int i = 0; i < n; i++)
      TOUCH(heap, i, i + 1);
    CHILD_OK();
    exit(0);
  }
  if(wait(0) < 0)
    die("wait failed");
  meas_stop(&m, &d, -1);

  childpipe_check(1);
  snprintf(params, sizeof(params), " frac=%d", frac);
  result(pages, params, &d);
  exit(0);
}
