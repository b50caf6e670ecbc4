// readtest [pages=1024]
//
// The seed's read test: the parent fills a heap of `pages` pages and
// forks; the child reads every filled word of every page (a checksum,
// checked, so the reads cannot be left out) and exits. Reading needs no
// copy: under cow the child takes 0 COW faults. Measured from before the
// fork to after the wait, parent and child together.

#define USAGE "readtest [pages=1024]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages;
  char *heap;
  uint64 want;
  struct meas m;
  struct delta d;

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 1024);
  argmax(argc, 1);
  getpolicyname();
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  want = fill_sum(0, pages);
  childpipe_open();

  meas_start(&m);
  int pid = fork();
  if(pid < 0)
    die("fork failed: out of memory?");
  if(pid == 0){
    if(heap_sum(heap, 0, pages) == want)
      CHILD_OK();
    exit(0);
  }
  if(wait(0) < 0)
    die("wait failed");
  meas_stop(&m, &d, -1);

  childpipe_check(1);
  result(pages, "", &d);
  exit(0);
}
