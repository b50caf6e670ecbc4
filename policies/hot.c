// hot: eager-copy-hot-pages. A lineage (a process and the children it
// forks, since its last exec) keeps a write history (history.c): each COW
// fault scores the page one point, and so does each page copied early
// that was then written; a copy wasted takes a point off; every decay
// forks all scores halve. At fork, pages scoring at least threshold are
// copied for the child at once, the rest are shared. This models the
// fork-server pattern (zygote, pre-fork servers): the same parent forks
// child after child and the children write the same pages; from the
// third child on, the hot pages take no faults.
#include "history.h"

static int threshold;
static int decay;

static const struct bootparam hot_params[] = {
  { "hot_threshold", "score at which fork copies a page",
    &threshold, 2, 1, HIST_MAX, 0 },
  { "hot_decay", "forks between halvings of every score (0: never)",
    &decay, 8, 0, 1000, 0 },
  { 0 },
};

// Per process: the lineage it belongs to (0 when memory was out at exec:
// then it behaves as cow).
struct hot_state {
  struct lineage *lin;
};
POLICY_STATE_FITS(struct hot_state);

// The child joins its parent's lineage.
static void
hot_on_fork(void *parent, void *child)
{
  struct hot_state *p = parent, *c = child;
  if(p->lin){
    hist_fork(&p->lin->h);
    lineage_get(p->lin);
  }
  c->lin = p->lin;
}

static int
hot_fork_region(void *parent, uint64 base, uint64 *mask)
{
  struct hot_state *p = parent;
  if(p->lin == 0)
    return FORK_SHARE;
  return hist_region(&p->lin->h, base, threshold, mask);
}

static int
hot_on_fault(void *st, uint64 va, uint64 *start)
{
  struct hot_state *s = st;
  if(s->lin)
    hist_add(&s->lin->h, va, 1);
  *start = va;
  return 1;
}

static void
hot_on_settle(void *st, uint64 va, int written)
{
  struct hot_state *s = st;
  if(s->lin)
    hist_add(&s->lin->h, va, written ? 1 : -1);
}

// A new program starts a new lineage.
static void
hot_on_exec(void *st)
{
  struct hot_state *s = st;
  lineage_put(s->lin);
  s->lin = lineage_new(sizeof(struct lineage), decay);
}

static void
hot_release(void *st)
{
  struct hot_state *s = st;
  lineage_put(s->lin);
  s->lin = 0;
}

struct cow_policy policy_hot = {
  .name = "hot",
  .params = hot_params,
  .fork_region = hot_fork_region,
  .on_fork = hot_on_fork,
  .on_fault = hot_on_fault,
  .on_settle = hot_on_settle,
  .on_exec = hot_on_exec,
  .release = hot_release,
};
