// adaptive: hot-page prediction and fault-around, each kept in check by
// feedback, so that it is never much worse than plain cow.
//
// - Hot pages, as in hot.c, from the lineage's write history; but a copy
//   that turns out wasted clears the page's score at once.
// - Fault-around that must earn its window. The process keeps a few
//   write streams (like Linux's readahead state). A fault at the page
//   right after a stream's last window continues it: the window doubles,
//   up to the lineage's limit, and the fault resolves that many pages
//   from the faulting one on. Any other fault starts a new stream with a
//   window of 1, so random writes copy nothing ahead. A wasted early copy
//   halves the lineage's limit (down to 1) and resets every window of
//   the process; a copy that was written doubles the limit again, up to
//   adaptive_window.
#include "history.h"

#define NSTREAM 4

static int threshold;
static int decay;
static int maxwin;

static const struct bootparam ad_params[] = {
  { "adaptive_threshold", "score at which fork copies a page",
    &threshold, 2, 1, HIST_MAX, 0 },
  { "adaptive_decay", "forks between halvings of every score (0: never)",
    &decay, 8, 0, 1000, 0 },
  { "adaptive_window", "largest fault-around window, pages",
    &maxwin, 16, 1, 512, 0 },
  { 0 },
};

// A lineage with its fault-around limit.
struct alineage {
  struct lineage l;
  int limit;             // largest window now; atomic
};

struct stream {
  uint64 expect;         // page number a continuing fault would hit
  int window;            // pages resolved by this stream's last fault
};

// Per process.
struct astate {
  struct alineage *lin;  // 0 when memory was out at exec
  struct stream s[NSTREAM];
  int next;              // stream to replace next (round robin)
};
POLICY_STATE_FITS(struct astate);

static void
ad_on_fork(void *parent, void *child)
{
  struct astate *p = parent, *c = child;
  if(p->lin){
    hist_fork(&p->lin->l.h);
    lineage_get(&p->lin->l);
  }
  c->lin = p->lin;
}

static int
ad_fork_region(void *parent, uint64 base, uint64 *mask)
{
  struct astate *p = parent;
  if(p->lin == 0)
    return FORK_SHARE;
  return hist_region(&p->lin->l.h, base, threshold, mask);
}

static int
ad_limit(struct astate *a)
{
  int lim = a->lin ? __atomic_load_n(&a->lin->limit, __ATOMIC_RELAXED) : 1;
  return lim < 1 ? 1 : lim;
}

static int
ad_on_fault(void *st, uint64 va, uint64 *start)
{
  struct astate *a = st;
  *start = va;
  if(a->lin)
    hist_add(&a->lin->l.h, va, 1);
  uint64 vpn = va / POLICY_PGSIZE;
  for(int i = 0; i < NSTREAM; i++){
    struct stream *s = &a->s[i];
    if(s->window > 0 && s->expect == vpn){
      int w = s->window * 2;
      if(w > ad_limit(a))
        w = ad_limit(a);
      s->window = w;
      s->expect = vpn + w;
      return w;
    }
  }
  struct stream *s = &a->s[a->next];
  a->next = (a->next + 1) % NSTREAM;
  s->window = 1;
  s->expect = vpn + 1;
  return 1;
}

static void
ad_on_settle(void *st, uint64 va, int written)
{
  struct astate *a = st;
  if(a->lin == 0)
    return;
  int lim = ad_limit(a);
  if(written){
    hist_add(&a->lin->l.h, va, 1);
    if(lim < maxwin)
      __atomic_store_n(&a->lin->limit, lim * 2 > maxwin ? maxwin : lim * 2,
                       __ATOMIC_RELAXED);
    return;
  }
  hist_clear(&a->lin->l.h, va);
  __atomic_store_n(&a->lin->limit, lim / 2 ? lim / 2 : 1, __ATOMIC_RELAXED);
  for(int i = 0; i < NSTREAM; i++)
    if(a->s[i].window > 1)
      a->s[i].window = 1;
}

// A new program: a new lineage, with the full fault-around limit.
static void
ad_on_exec(void *st)
{
  struct astate *a = st;
  lineage_put((struct lineage*)a->lin);
  a->lin = (struct alineage*)lineage_new(sizeof(struct alineage), decay);
  if(a->lin)
    a->lin->limit = maxwin;
  for(int i = 0; i < NSTREAM; i++)
    a->s[i].window = 0;
}

static void
ad_release(void *st)
{
  struct astate *a = st;
  lineage_put((struct lineage*)a->lin);
  a->lin = 0;
}

struct cow_policy policy_adaptive = {
  .name = "adaptive",
  .params = ad_params,
  .fork_region = ad_fork_region,
  .on_fork = ad_on_fork,
  .on_fault = ad_on_fault,
  .on_settle = ad_on_settle,
  .on_exec = ad_on_exec,
  .release = ad_release,
};
