// stride [pages=4096] [stride=16] [passes=1]
//
// A child that writes every stride-th page: a row-major matrix whose
// rows are `stride` pages long updated column by column, a hash table or
// a ring of records probed with a fixed stride, one field of an array of
// large structures. The parent fills a heap of `pages` pages and forks;
// the child makes `passes` passes (1 <= passes <= stride), pass p storing
// into pages p, p + stride, p + 2*stride, ... below `pages`, and exits.
// With passes = stride it writes every page, in column order: `stride`
// interleaved streams that each advance by `stride` pages. Measured from
// before the fork to after the wait, parent and child.

#define USAGE "stride [pages=4096] [stride=16] [passes=1]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, stride, passes, n, *plan;
  char *heap;
  struct delta d;
  char params[80];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  stride = argnum(argc, argv, 2, "stride", 1, MAXPAGES, 16);
  passes = argnum(argc, argv, 3, "passes", 1, MAXPAGES, 1);
  argmax(argc, 3);
  if(passes > stride)
    die("passes must be at most stride (pass stride would be pass 0 again)");
  getpolicyname();
  plan = xmalloc((pages + 1) * sizeof(int));
  n = 0;
  for(int p = 0; p < passes; p++)
    for(int i = p; i < pages; i += stride)
      plan[n++] = i;
  plan_check(plan, n, pages);
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  fork_writes(heap, plan, n, 1, &d);

  childpipe_check(1);
  snprintf(params, sizeof(params), " stride=%d passes=%d writes=%d",
           stride, passes, n);
  result(pages, params, &d);
  exit(0);
}
