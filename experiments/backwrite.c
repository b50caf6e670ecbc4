// backwrite [pages=1024] [frac=50]
//
// A child that writes downwards: a stack growing down, a heap or a
// buffer filled from its top, a reverse scan that updates as it goes.
// The parent fills a heap of `pages` pages and forks; the child stores
// into the last frac% of the pages in decreasing order (the top page
// first) and exits. Each fault is on the page just below the previous
// one: a fault-around window that starts at the faulting page and
// extends upwards resolves nothing new, one that covers pages below it
// does. Measured from before the fork to after the
// wait, parent and child.

#define USAGE "backwrite [pages=1024] [frac=50]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, frac, n, *plan;
  char *heap;
  struct delta d;
  char params[64];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 1024);
  frac = argnum(argc, argv, 2, "frac", 0, 100, 50);
  argmax(argc, 2);
  getpolicyname();
  n = (int)((int64)pages * frac / 100);
  plan = xmalloc((n + 1) * sizeof(int));
  for(int i = 0; i < n; i++)
    plan[i] = pages - 1 - i;
  plan_check(plan, n, pages);
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  fork_writes(heap, plan, n, 1, &d);

  childpipe_check(1);
  snprintf(params, sizeof(params), " frac=%d writes=%d", frac, n);
  result(pages, params, &d);
  exit(0);
}
