// randwrite [pages=1024] [frac=50] [seed=1] [then=0]
//
// A child that updates scattered data (a hash table, a tree): the parent
// fills a heap of `pages` pages and forks; the child stores into frac% of
// the pages, distinct pages in a random order (a permutation drawn with
// xorshift64 from `seed`, the same for every policy), and exits. A random
// stream is what fault-around should not be fooled by. With then > 0 the
// heap has `then` pages more, above, and the child, its random updates
// done, writes them in order: a phase change, as a database that updates
// records at random and then writes its log or a checkpoint of a table
// (what a policy that stopped looking at a random writer's faults must
// notice). Measured from before the fork to after the wait, parent and
// child.

#define USAGE "randwrite [pages=1024] [frac=50] [seed=1] [then=0]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, frac, seed, then, n, *order;
  char *heap;
  struct meas m;
  struct delta d;
  char params[48];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 1024);
  frac = argnum(argc, argv, 2, "frac", 0, 100, 50);
  seed = argnum(argc, argv, 3, "seed", 0, 1000000000, 1);
  then = argnum(argc, argv, 4, "then", 0, MAXPAGES - pages, 0);
  argmax(argc, 4);
  getpolicyname();
  n = (int)((int64)pages * frac / 100);
  order = permutation(pages, seed);
  heap = heap_alloc(pages + then);
  heap_fill(heap, pages + then);
  childpipe_open();

  meas_start(&m);
  int pid = fork();
  if(pid < 0)
    die("fork failed: out of memory?");
  if(pid == 0){
    for(int i = 0; i < n; i++)
      TOUCH(heap, order[i], i + 1);
    for(int i = 0; i < then; i++)
      TOUCH(heap, pages + i, n + i + 1);
    CHILD_OK();
    exit(0);
  }
  if(wait(0) < 0)
    die("wait failed");
  meas_stop(&m, &d, -1);

  childpipe_check(1);
  // then= only where set: the rows of plain random writers are the
  // configurations they always were.
  int k = snprintf(params, sizeof(params), " frac=%d seed=%d", frac, seed);
  if(then)
    snprintf(params + k, sizeof(params) - k, " then=%d", then);
  result(pages, params, &d);
  exit(0);
}
