// hot: eager-copy-hot-pages. A lineage (a process and the children it
// forks, since its last exec) keeps a write history (history.c): each COW
// fault scores the page one point; every decay forks all scores halve.
// At fork, pages scoring at least threshold and written since the last
// fork are copied for the child at once, the rest are shared. This
// models the fork-server pattern (zygote, pre-fork servers): the same
// parent forks child after child and the children write the same pages;
// from the third child on, the hot pages take no faults.
//
// A score is a count of single events, and pages written twice by
// chance reach the threshold too: so the lineage also counts how many
// of its copies were used, and stops copying while fewer than precision
// percent were. A copy is used if the child writes it, or if the parent
// writes its own page after the fork (the copy spared it a fault: the
// parent's side of each fork copy settles too). A copy unused clears
// its page's score.
#include "history.h"

static int threshold;
static int decay;
static int precision;

static const struct bootparam hot_params[] = {
  { "hot_threshold", "score at which fork copies a page",
    &threshold, 2, 1, HIST_MAX, 0 },
  { "hot_decay", "forks between halvings of every score and rate (0: never)",
    &decay, 8, 0, 1000, 0 },
  { "hot_precision", "percent of fork copies that must be used to go on copying",
    &precision, 50, 0, 100, 0 },
  { 0 },
};

// The rate counts this many predictions more, all used: a prior that a
// child's worth of a small hot set overturns.
#define EVIDENCE 16

// Per process: the lineage it belongs to (0 when memory was out at exec:
// then it behaves as cow), and a shortcut into its history.
struct hot_state {
  struct lineage *lin;
  struct hist_cache hc;
  int forked;            // has forked since exec
  int copy;              // copy at this fork (1 << HIST_AGAIN) or not (0)
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
  p->forked = 1;
  c->lin = p->lin;
  // Decided once per fork, before its questions add to the rate.
  p->copy = p->lin && hist_trust(&p->lin->h, HIST_AGAIN, 100, EVIDENCE, precision) ?
    1 << HIST_AGAIN : 0;
}

static int
hot_fork_region(void *parent, uint64 base, uint64 *mask)
{
  struct hot_state *p = parent;
  if(p->lin == 0)
    return FORK_SHARE;
  struct hist_rule r = { threshold, 0, 0, p->copy };
  return hist_region(&p->lin->h, base, &r, mask);
}

static uint64
hot_fork_next(void *parent, uint64 base)
{
  struct hot_state *p = parent;
  return p->lin ? hist_next(&p->lin->h, base) : POLICY_NO_REGION;
}

static int
hot_on_fault(void *st, uint64 va, int near, uint64 *start, int *step)
{
  struct hot_state *s = st;
  // A page no other process holds any more costs the fault of a parent
  // whose children are gone no copy: copying it at fork would spare
  // nothing (adaptive's record).
  if(s->lin && (!s->forked || __atomic_load_n(&s->lin->ref, __ATOMIC_RELAXED) > 1 ||
                policy_fault_shared(st)))
    hist_write(&s->lin->h, &s->hc, va, s->forked);
  *start = va;
  return 1;
}

// Only fork copies settle here (hot copies nothing around a fault); a
// used one was counted and scored when it was made (hist_region). The
// parent's side says whether the parent still writes the page.
static void
hot_on_settle(void *st, uint64 va, int how)
{
  struct hot_state *s = st;
  if(s->lin == 0)
    return;
  if(how & SETTLE_PARENT)
    hist_parent(&s->lin->h, &s->hc, va, how & SETTLE_WRITTEN);
  else if(!(how & SETTLE_WRITTEN))
    hist_unused(&s->lin->h, &s->hc, va, how & SETTLE_FORK);
}

// n early copies from va on settle alike: a written copy of the child's
// tells nothing, the rest page by page.
static void
hot_on_settle_run(void *st, uint64 va, int n, int how)
{
  struct hot_state *s = st;
  if(s->lin == 0 || (how & (SETTLE_PARENT | SETTLE_WRITTEN)) == SETTLE_WRITTEN)
    return;
  for(int i = 0; i < n; i++)
    hot_on_settle(st, va + (uint64)i * POLICY_PGSIZE, how);
}

// A new program starts a new lineage.
static void
hot_on_exec(void *st)
{
  struct hot_state *s = st;
  lineage_put(s->lin);
  s->lin = lineage_new(sizeof(struct lineage), decay);
  s->hc.region = 0;
  s->forked = 0;
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
  .fork_next = hot_fork_next,
  .on_fork = hot_on_fork,
  .on_fault = hot_on_fault,
  .on_settle = hot_on_settle,
  .on_settle_run = hot_on_settle_run,
  .quiet_settles = SETTLE_QUIET(SETTLE_FORK | SETTLE_WRITTEN),
  .on_exec = hot_on_exec,
  .release = hot_release,
};
