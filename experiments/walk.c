// walk [pages=4096] [frac=25] [step=3] [seed=1] [children=1]
//
// A child whose writes wander: each lands a few pages from the one
// before, forwards or backwards at random. An editor's cursor making
// edits near the last one, a simulation's particles moving a little at
// each step, a game's world updated around a moving player, a B-tree's
// hot spot that drifts. The parent fills a heap of `pages` pages and
// forks; the child moves a cursor from a random page by a random
// nonzero offset of at most `step` pages either way (turned back at
// the heap's ends) and stores into every page it lands on, until frac%
// of the pages are written. Only a page's first store faults, so the
// plan is the order of first visits: no page is next to the one before
// in the same direction for long (no stream), yet the written pages
// fill a neighbourhood densely. Drawn with xorshift64 from seed.
// Measured from before the fork to after the wait, parent and child.
//
// With children > 1 the parent is a server that forks them one after
// another, waiting for each, and each walks from a page of its own
// (child c's walk drawn from seed + 7919c): workers that each edit
// their own document, or simulate their own patch of a world. One
// line per child (child=i) and then the whole run, as forkrand's.

#define USAGE "walk [pages=4096] [frac=25] [step=3] [seed=1] [children=1]"
#include "user/user.h"
#include "experiments/exp.h"

int
main(int argc, char *argv[])
{
  int pages, frac, step, seed, children, n, **plan, *writes;
  char *heap, *seen;
  struct delta *d;
  char params[96];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  frac = argnum(argc, argv, 2, "frac", 0, 100, 25);
  step = argnum(argc, argv, 3, "step", 1, 64, 3);
  seed = argnum(argc, argv, 4, "seed", 0, 1000000000, 1);
  children = argnum(argc, argv, 5, "children", 1, 64, 1);
  argmax(argc, 5);
  if(pages < 2 && frac > 0)
    die("a walk needs 2 pages at least");
  getpolicyname();
  n = (int)((int64)pages * frac / 100);

  // The walks, until n distinct pages are visited (experiments/draw.h).
  plan = xmalloc(children * sizeof(int*));
  writes = xmalloc(children * sizeof(int));
  seen = xmalloc(pages);
  for(int c = 0; c < children; c++){
    plan[c] = xmalloc((n + 1) * sizeof(int));
    memset(seen, 0, pages);
    walk_draw(plan[c], seen, pages, n, step, seed + 7919 * c);
    plan_check(plan[c], n, pages);
    writes[c] = n;
  }
  free(seen);
  d = xmalloc(children * sizeof(*d));
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  if(children == 1)
    fork_writes(heap, plan[0], n, 1, &d[0]);
  else
    fork_series(heap, plan, n, children, d);

  childpipe_check(children);
  if(children == 1){
    // (the rows of one walker carry no children=, as before it existed)
    snprintf(params, sizeof(params), " frac=%d step=%d seed=%d writes=%d",
             frac, step, seed, n);
    result(pages, params, &d[0]);
  } else {
    snprintf(params, sizeof(params), " frac=%d step=%d seed=%d children=%d",
             frac, step, seed, children);
    result_children(pages, params, d, writes, children);
  }
  exit(0);
}
