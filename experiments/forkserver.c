// forkserver [pages=1024] [children=20] [frac=10] [seed=0]
//
// A preforking server (or Android's zygote): a parent with a heap of
// `pages` pages forks `children` children one after another; each child
// stores into the same hot set of frac% of the pages and exits, and the
// parent waits for it before the next fork. The hot set is the first
// pages if seed is 0, else a fixed scattered set drawn with xorshift64
// from seed. A policy that learns which pages a lineage writes can copy
// them at fork for the later children.
//
// Prints one line per child (child=i: the counters from before its fork
// to after its wait, parent and child) and then the whole run (no child=
// key): the sum of the per-child lines.

#define USAGE "forkserver [pages=1024] [children=20] [frac=10] [seed=0]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, children, frac, seed, n, *hot;
  char *heap;
  struct meas m;
  struct delta *d, sum;
  char params[80];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 1024);
  children = argnum(argc, argv, 2, "children", 1, 500, 20);
  frac = argnum(argc, argv, 3, "frac", 0, 100, 10);
  seed = argnum(argc, argv, 4, "seed", 0, 1000000000, 0);
  argmax(argc, 4);
  getpolicyname();
  n = (int)((int64)pages * frac / 100);
  hot = permutation(pages, seed);
  if(seed == 0)
    for(int i = 0; i < pages; i++)
      hot[i] = i;
  d = malloc(children * sizeof(*d));
  if(d == 0)
    die("malloc failed");
  memset(&sum, 0, sizeof(sum));
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  for(int c = 0; c < children; c++){
    meas_start(&m);
    int pid = fork();
    if(pid < 0)
      die("fork failed: out of memory?");
    if(pid == 0){
      for(int i = 0; i < n; i++)
        TOUCH(heap, hot[i], c + 1);
      CHILD_OK();
      exit(0);
    }
    if(wait(0) < 0)
      die("wait failed");
    meas_stop(&m, &d[c], -1);
  }

  childpipe_check(children);
  for(int c = 0; c < children; c++){
    snprintf(params, sizeof(params), " frac=%d children=%d seed=%d child=%d",
             frac, children, seed, c);
    result(pages, params, &d[c]);
    delta_add(&sum, &d[c]);
  }
  snprintf(params, sizeof(params), " frac=%d children=%d seed=%d",
           frac, children, seed);
  result(pages, params, &sum);
  exit(0);
}
