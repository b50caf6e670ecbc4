// streams [pages=4096] [k=8] [frac=50] [back=0] [seed=0]
//
// A child that writes k sequential streams at once: a column store
// appending a row to each of k columns, a k-way merge or a radix sort
// pass writing k output buckets, a program filling k arrays in one loop.
// The heap of `pages` pages is cut into k equal regions (pages/k pages
// each; the pages/k*k-th page on are not written); stream j writes the
// first frac% of region j in increasing order, or, for the last `back`
// streams, the last frac% of it in decreasing order (a stack, a buffer
// filled from the top). The streams advance in turn (round robin, one
// page each) if seed is 0; else each step advances a stream drawn at
// random (xorshift64 from seed) among those not finished, as the outputs
// of a merge advance at the pace the data dictates. Measured from before
// the fork to after the wait, parent and child.

#define USAGE "streams [pages=4096] [k=8] [frac=50] [back=0] [seed=0]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, k, frac, back, seed, region, len, n, *plan, *done, *live;
  char *heap;
  struct delta d;
  char params[96];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  k = argnum(argc, argv, 2, "k", 1, 512, 8);
  frac = argnum(argc, argv, 3, "frac", 0, 100, 50);
  back = argnum(argc, argv, 4, "back", 0, 512, 0);
  seed = argnum(argc, argv, 5, "seed", 0, 1000000000, 0);
  argmax(argc, 5);
  if(k > pages)
    die("k must be at most pages (a stream needs a page)");
  if(back > k)
    die("back must be at most k");
  getpolicyname();
  region = pages / k;
  len = (int)((int64)region * frac / 100);
  n = k * len;

  // done[j]: pages stream j wrote so far; live[0..nlive): unfinished
  // streams, in which the random order draws.
  plan = xmalloc((n + 1) * sizeof(int));
  done = xmalloc(k * sizeof(int));
  live = xmalloc(k * sizeof(int));
  for(int j = 0; j < k; j++){
    done[j] = 0;
    live[j] = j;
  }
  uint64 st = (uint64)seed * 0x9e3779b97f4a7c15ULL + 1;
  int nlive = len > 0 ? k : 0, rr = 0;
  for(int i = 0; i < n; i++){
    int at = seed == 0 ? rr++ % k : (int)(xorshift(&st) % nlive);
    int j = seed == 0 ? at : live[at];
    int t = done[j]++;
    plan[i] = j >= k - back ? j*region + region - 1 - t : j*region + t;
    if(seed != 0 && done[j] == len)
      live[at] = live[--nlive];
  }
  plan_check(plan, n, pages);
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  fork_writes(heap, plan, n, 1, &d);

  childpipe_check(1);
  snprintf(params, sizeof(params), " k=%d frac=%d back=%d seed=%d writes=%d",
           k, frac, back, seed, n);
  result(pages, params, &d);
  exit(0);
}
