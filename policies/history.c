// Write history of a process lineage (see history.h). Several harts may
// update one history at once (a parent and its children fault in
// parallel), so scores change by compare-and-swap on the 32-bit word
// that holds eight of them, and the counters with atomic adds.
#include "history.h"

// The word holding va's score, and the score's shift within it.
static uint32*
hist_word(struct history *h, uint64 va, int *shift)
{
  uint64 i = (va / POLICY_PGSIZE) % HIST_PAGES;
  *shift = (i % 8) * 4;
  return (uint32*)((char*)h + HIST_HDR) + i / 8;
}

// Returns a new, empty history held once, or 0 if memory is out.
struct history*
hist_new(int decay)
{
  struct history *h = policy_alloc();
  if(h == 0)
    return 0;
  h->ref = 1;
  h->decay = decay;
  return h;
}

void
hist_get(struct history *h)
{
  if(h)
    __atomic_fetch_add(&h->ref, 1, __ATOMIC_RELAXED);
}

// Drop one hold; the last one frees the history.
void
hist_put(struct history *h)
{
  if(h && __atomic_sub_fetch(&h->ref, 1, __ATOMIC_ACQ_REL) == 0)
    policy_free(h);
}

// Halve every score: old writes count less than new ones. Each nibble
// is halved on its own (shift, then drop the bit shifted in from the
// nibble above).
static void
hist_age(struct history *h)
{
  uint32 *w = (uint32*)((char*)h + HIST_HDR);
  for(int i = 0; i < HIST_PAGES / 8; i++){
    uint32 old = __atomic_load_n(&w[i], __ATOMIC_RELAXED), new;
    do {
      new = (old >> 1) & 0x77777777u;
    } while(old && !__atomic_compare_exchange_n(&w[i], &old, new, 1,
                        __ATOMIC_RELAXED, __ATOMIC_RELAXED));
  }
}

// The lineage forks once more: age the scores every decay forks.
void
hist_fork(struct history *h)
{
  int n = __atomic_add_fetch(&h->forks, 1, __ATOMIC_RELAXED);
  if(h->decay > 0 && n % h->decay == 0)
    hist_age(h);
}

// Returns va's score: how often, lately, it was written while shared.
int
hist_score(struct history *h, uint64 va)
{
  // Fork asks about every page: a lineage that never recorded a write
  // (most forks are a lineage's first) answers without looking.
  if(h == 0 || __atomic_load_n(&h->used, __ATOMIC_RELAXED) == 0)
    return 0;
  int shift;
  uint32 *w = hist_word(h, va, &shift);
  return (__atomic_load_n(w, __ATOMIC_RELAXED) >> shift) & 0xf;
}

// Set va's score to f(score): add delta within 0..HIST_MAX, or clear it
// when clear is set.
static void
hist_update(struct history *h, uint64 va, int delta, int clear)
{
  int shift;
  uint32 *w = hist_word(h, va, &shift);
  uint32 old = __atomic_load_n(w, __ATOMIC_RELAXED), new;
  do {
    int s = clear ? 0 : (int)((old >> shift) & 0xf) + delta;
    if(s < 0)
      s = 0;
    if(s > HIST_MAX)
      s = HIST_MAX;
    new = (old & ~(0xfu << shift)) | ((uint32)s << shift);
  } while(!__atomic_compare_exchange_n(w, &old, new, 1,
                   __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

// Add delta (may be negative) to va's score, within 0..HIST_MAX.
void
hist_add(struct history *h, uint64 va, int delta)
{
  if(h == 0)
    return;
  if(delta > 0 && __atomic_load_n(&h->used, __ATOMIC_RELAXED) == 0)
    __atomic_store_n(&h->used, 1, __ATOMIC_RELAXED);
  hist_update(h, va, delta, 0);
}

void
hist_clear(struct history *h, uint64 va)
{
  if(h)
    hist_update(h, va, 0, 1);
}
