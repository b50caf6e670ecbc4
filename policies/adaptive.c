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
//
// Parameters: adaptive_threshold=T (default 2), adaptive_decay=D
// (default 8 forks), adaptive_window=W (largest window, default 16 pages
// = 64 KiB; at most 512).
#include "history.h"

#define NSTREAM 4

struct stream {
  uint64 expect;   // page number a continuing fault would hit
  int window;      // pages resolved by this stream's last fault
};

struct astate {
  struct history *h;   // lineage history; 0 when memory was out
  struct stream s[NSTREAM];
  int next;            // stream to replace next (round robin)
};

static int threshold = 2;
static int decay = 8;
static int maxwin = 16;

static void
ad_init(void)
{
  threshold = policy_param("adaptive_threshold", 2);
  if(threshold < 1)
    threshold = 1;
  decay = policy_param("adaptive_decay", 8);
  maxwin = policy_param("adaptive_window", 16);
  if(maxwin < 1)
    maxwin = 1;
  if(maxwin > 512)
    maxwin = 512;
}

// Returns a fresh per-process state in lineage h (held once more by
// the caller), or 0 if memory is out.
static struct astate*
ad_new(struct history *h)
{
  struct astate *a = policy_alloc();
  if(a == 0)
    return 0;
  a->h = h;
  return a;
}

static int
ad_fork(void *parent, void **child)
{
  struct astate *p = parent;
  struct astate *c = ad_new(p ? p->h : 0);
  if(c == 0)
    return -1;
  if(p && p->h){
    hist_fork(p->h);
    hist_get(p->h);
  }
  *child = c;
  return 0;
}

static int
ad_fork_copy(void *parent, uint64 va)
{
  struct astate *p = parent;
  return p && hist_score(p->h, va) >= threshold;
}

static int
ad_limit(struct astate *a)
{
  int lim = a->h ? __atomic_load_n(&a->h->aux, __ATOMIC_RELAXED) : 1;
  return lim < 1 ? 1 : lim;
}

static int
ad_fault(void *state, uint64 va, uint64 *start)
{
  struct astate *a = state;
  *start = va;
  if(a == 0)
    return 1;
  hist_add(a->h, va, 1);
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
ad_feedback(void *state, uint64 va, int written)
{
  struct astate *a = state;
  if(a == 0 || a->h == 0)
    return;
  int lim = ad_limit(a);
  if(written){
    hist_add(a->h, va, 1);
    if(lim < maxwin)
      __atomic_store_n(&a->h->aux, lim * 2 > maxwin ? maxwin : lim * 2,
                       __ATOMIC_RELAXED);
    return;
  }
  hist_clear(a->h, va);
  __atomic_store_n(&a->h->aux, lim / 2 ? lim / 2 : 1, __ATOMIC_RELAXED);
  for(int i = 0; i < NSTREAM; i++)
    if(a->s[i].window > 1)
      a->s[i].window = 1;
}

// A new program: a new lineage, with the full fault-around limit.
static void
ad_exec(void **state)
{
  struct astate *a = *state;
  if(a == 0 && (a = *state = ad_new(0)) == 0)
    return;
  hist_put(a->h);
  a->h = hist_new(decay);
  if(a->h)
    a->h->aux = maxwin;
  for(int i = 0; i < NSTREAM; i++)
    a->s[i].window = 0;
}

static void
ad_exit(void *state)
{
  struct astate *a = state;
  if(a == 0)
    return;
  hist_put(a->h);
  policy_free(a);
}

struct cow_policy policy_adaptive = {
  .name = "adaptive",
  .init = ad_init,
  .fork = ad_fork,
  .fork_copy = ad_fork_copy,
  .fault = ad_fault,
  .feedback = ad_feedback,
  .exec = ad_exec,
  .exit = ad_exit,
};
