// forkrand [pages=4096] [children=20] [frac=10] [common=0] [seed=1]
//
// A preforking server whose children do unrelated work: each request
// handler touches the data of its own request (other users' records,
// other files' buffers) and, if common > 0, a hot set all of them share
// (a session table, counters). A parent with a heap of `pages` pages
// forks `children` children one after another, waiting for each; child
// c stores into the common set (common% of the pages, the same for
// every child) and into a set of frac% of the pages drawn for it alone
// from the other pages, all in a random order. Everything is drawn with
// xorshift64 from seed, child c's own set from seed and c. With
// common = 0 a lineage's write history is noise: a policy that learns
// from it should copy nothing ahead, and stay as cheap as cow.
//
// One line per child (child=i: from before its fork to after its wait,
// parent and child) and then the whole run (no child= key), the sum.

#define USAGE "forkrand [pages=4096] [children=20] [frac=10] [common=0] [seed=1]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, children, frac, common, seed, nown, ncom, n, *perm, **plan;
  int *writes;
  char *heap;
  struct delta *d;
  char params[96];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  children = argnum(argc, argv, 2, "children", 1, 500, 20);
  frac = argnum(argc, argv, 3, "frac", 0, 100, 10);
  common = argnum(argc, argv, 4, "common", 0, 100, 0);
  seed = argnum(argc, argv, 5, "seed", 0, 1000000000, 1);
  argmax(argc, 5);
  if(frac + common > 100)
    die("frac + common must be at most 100");
  getpolicyname();
  nown = (int)((int64)pages * frac / 100);
  ncom = (int)((int64)pages * common / 100);
  n = ncom + nown;

  // perm's first ncom pages are the common set. Child c takes its own
  // pages from the rest, in an order shuffled for it, and then writes
  // its whole set in another shuffled order.
  perm = permutation(pages, seed);
  plan = xmalloc(children * sizeof(int*));
  writes = xmalloc(children * sizeof(int));
  for(int c = 0; c < children; c++){
    uint64 cs = (uint64)seed * 1000003 + c + 1;
    int *rest = permutation(pages - ncom > 0 ? pages - ncom : 1, cs);
    int *mix = permutation(n > 0 ? n : 1, cs + 500);
    plan[c] = xmalloc((n + 1) * sizeof(int));
    for(int i = 0; i < n; i++){
      int j = mix[i];
      plan[c][i] = j < ncom ? perm[j] : perm[ncom + rest[j - ncom]];
    }
    plan_check(plan[c], n, pages);
    writes[c] = n;
    free(rest);
    free(mix);
  }
  d = xmalloc(children * sizeof(*d));
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  fork_series(heap, plan, n, children, d);

  childpipe_check(children);
  snprintf(params, sizeof(params), " children=%d frac=%d common=%d seed=%d",
           children, frac, common, seed);
  result_children(pages, params, d, writes, children);
  exit(0);
}
