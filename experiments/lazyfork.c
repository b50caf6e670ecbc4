// lazyfork [pages=1024] [iters=50]
//
// The seed's lazyfork: a process with a heap of `pages` pages forks
// `iters` times, one child after another; each child stores into every
// page of its heap and exits, and the parent waits for it before the next
// fork. Under cow each child takes one COW fault per page: with the
// defaults 50 x 1024 = 51,200, the same order as the seed's "about 56,000
// page faults". Measured over the whole loop, parent and children.

#define USAGE "lazyfork [pages=1024] [iters=50]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, iters;
  char *heap;
  struct meas m;
  struct delta d;
  char params[48];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 1024);
  iters = argnum(argc, argv, 2, "iters", 1, 500, 50);
  argmax(argc, 2);
  getpolicyname();
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  meas_start(&m);
  for(int it = 0; it < iters; it++){
    int pid = fork();
    if(pid < 0)
      die("fork failed: out of memory?");
    if(pid == 0){
      for(int i = 0; i < pages; i++)
        TOUCH(heap, i, i + 1);
      CHILD_OK();
      exit(0);
    }
    if(wait(0) < 0)
      die("wait failed");
  }
  meas_stop(&m, &d, -1);

  childpipe_check(iters);
  snprintf(params, sizeof(params), " iters=%d", iters);
  result(pages, params, &d);
  exit(0);
}
