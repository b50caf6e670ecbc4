// clusters [pages=4096] [frac=25] [lo=4] [hi=16] [seed=1]
//
// A child that writes short sequential runs at random places: a B-tree
// or an LSM tree updating a few neighbouring leaf pages at a time, an
// allocator handing out objects from arenas scattered over the heap,
// a log-structured store rewriting extents. The parent fills a heap of
// `pages` pages and forks; the child stores into frac% of the pages,
// grouped in runs of lo..hi consecutive pages (length uniform, the last
// run cut to fit) that lie at random places and do not overlap (the
// unwritten pages are spread over the gaps between them at random), and
// writes the runs in a random order, each one upwards. All drawn with
// xorshift64 from seed. Measured from before the fork to after the wait,
// parent and child.

#define USAGE "clusters [pages=4096] [frac=25] [lo=4] [hi=16] [seed=1]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, frac, lo, hi, seed, n, m, *len, *gap, *start, *order, *plan;
  char *heap;
  struct delta d;
  char params[96];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  frac = argnum(argc, argv, 2, "frac", 0, 100, 25);
  lo = argnum(argc, argv, 3, "lo", 1, MAXPAGES, 4);
  hi = argnum(argc, argv, 4, "hi", 1, MAXPAGES, 16);
  seed = argnum(argc, argv, 5, "seed", 0, 1000000000, 1);
  argmax(argc, 5);
  if(lo > hi)
    die("lo must be at most hi");
  getpolicyname();
  n = (int)((int64)pages * frac / 100);
  uint64 st = (uint64)seed * 0x9e3779b97f4a7c15ULL + 1;

  // The runs' lengths (at most n runs), then the gaps before each run
  // and after the last: the pages - n unwritten pages, each dropped into
  // one of the m + 1 gaps.
  len = xmalloc((n + 1) * sizeof(int));
  m = 0;
  for(int sum = 0; sum < n; sum += len[m++]){
    len[m] = lo + (int)(xorshift(&st) % (uint64)(hi - lo + 1));
    if(len[m] > n - sum)
      len[m] = n - sum;
  }
  gap = xmalloc((m + 1) * sizeof(int));
  memset(gap, 0, (m + 1) * sizeof(int));
  for(int i = 0; i < pages - n; i++)
    gap[xorshift(&st) % (uint64)(m + 1)]++;
  start = xmalloc((m + 1) * sizeof(int));
  for(int r = 0, at = 0; r < m; r++){
    at += gap[r];
    start[r] = at;
    at += len[r];
  }

  order = m ? permutation(m, (uint64)seed + 1) : 0;
  plan = xmalloc((n + 1) * sizeof(int));
  int k = 0;
  for(int r = 0; r < m; r++)
    for(int i = 0; i < len[order[r]]; i++)
      plan[k++] = start[order[r]] + i;
  plan_check(plan, n, pages);
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  fork_writes(heap, plan, n, 1, &d);

  childpipe_check(1);
  snprintf(params, sizeof(params), " frac=%d lo=%d hi=%d seed=%d runs=%d writes=%d",
           frac, lo, hi, seed, m, n);
  result(pages, params, &d);
  exit(0);
}
