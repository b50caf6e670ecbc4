// writetest [pages=1024]
//
// The seed's write test: the parent fills a heap of `pages` pages and
// forks; the child stores one byte into one page (the middle one) and
// exits. Under cow that is exactly one COW fault. Measured from before
// the fork to after the wait, parent and child together.

#define USAGE "writetest [pages=1024]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages;
  char *heap;
  struct meas m;
  struct delta d;

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 1024);
  argmax(argc, 1);
  getpolicyname();
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  meas_start(&m);
  int pid = fork();
  if(pid < 0)
    die("fork failed: out of memory?");
  if(pid == 0){
    volatile char *b = heap + (uint64)(pages/2)*PGSZ + 100;
    *b = 0x77;
    if(*b == 0x77)
      CHILD_OK();
    exit(0);
  }
  if(wait(0) < 0)
    die("wait failed");
  meas_stop(&m, &d, -1);

  childpipe_check(1);
  // the child's store must not have reached the parent's page
  if(heap[(uint64)(pages/2)*PGSZ + 100] != 0)
    die("the child's write is visible in the parent");
  result(pages, "", &d);
  exit(0);
}
