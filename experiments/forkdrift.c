// forkdrift [pages=4096] [children=40] [frac=10] [period=5] [drift=50] [seed=1]
//
// A preforking server whose working set drifts: the requests move on to
// other users, other files, newer parts of a log, so the pages its
// children write change over time. A parent with a heap of `pages` pages
// forks `children` children one after another, waiting for each; every
// child writes the hot set of its epoch (frac% of the pages), and every
// `period` children a new epoch begins whose hot set drops the drift%
// oldest pages of the previous one and takes as many new ones.
//
// The hot sets are windows sliding over a list of all pages: a random
// permutation drawn with xorshift64 from seed (a scattered set whose
// members are replaced), or, if seed is 0, the pages in order (a
// contiguous window moving up through the heap, wrapping around at the
// top). Epoch e's set is the list's entries e*m .. e*m + n - 1 (modulo
// pages), with n the set's size and m = n*drift/100; a child writes them
// in that order. drift=0 is a fixed hot set (as forkserver), drift=100
// a new set every epoch. A policy that learns from history must follow
// the drift and forget the pages that left the set.
//
// One line per child (child=i) and then the whole run (no child= key),
// the sum.

#define USAGE "forkdrift [pages=4096] [children=40] [frac=10] [period=5] [drift=50] [seed=1]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, children, frac, period, drift, seed, n, m, epochs;
  int *list, **plan, **child, *writes;
  char *heap;
  struct delta *d;
  char params[112];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  children = argnum(argc, argv, 2, "children", 1, 500, 40);
  frac = argnum(argc, argv, 3, "frac", 0, 100, 10);
  period = argnum(argc, argv, 4, "period", 1, 500, 5);
  drift = argnum(argc, argv, 5, "drift", 0, 100, 50);
  seed = argnum(argc, argv, 6, "seed", 0, 1000000000, 1);
  argmax(argc, 6);
  getpolicyname();
  n = (int)((int64)pages * frac / 100);
  m = (int)((int64)n * drift / 100);
  epochs = (children + period - 1) / period;

  list = permutation(pages, seed);
  if(seed == 0)
    for(int i = 0; i < pages; i++)
      list[i] = i;
  plan = xmalloc(epochs * sizeof(int*));
  for(int e = 0; e < epochs; e++){
    plan[e] = xmalloc((n + 1) * sizeof(int));
    for(int i = 0; i < n; i++)
      plan[e][i] = list[((int64)e*m + i) % pages];
    plan_check(plan[e], n, pages);
  }
  child = xmalloc(children * sizeof(int*));
  writes = xmalloc(children * sizeof(int));
  for(int c = 0; c < children; c++){
    child[c] = plan[c / period];
    writes[c] = n;
  }
  d = xmalloc(children * sizeof(*d));
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  fork_series(heap, child, n, children, d);

  childpipe_check(children);
  snprintf(params, sizeof(params),
           " children=%d frac=%d period=%d drift=%d seed=%d",
           children, frac, period, drift, seed);
  result_children(pages, params, d, writes, children);
  exit(0);
}
