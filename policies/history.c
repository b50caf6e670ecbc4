// Write history of a process lineage (see history.h). Several harts may
// update one history at once (a parent and its children fault in
// parallel), so every field that changes after creation is changed with
// atomic operations; a lost race costs at most one recorded write.
#include "history.h"

// Returns a new history held once, or 0 if memory is out.
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
  if(h == 0 || __atomic_sub_fetch(&h->ref, 1, __ATOMIC_ACQ_REL) != 0)
    return;
  for(int i = 0; i < HIST_NPAGES; i++)
    if(h->page[i])
      policy_free(h->page[i]);
  policy_free(h);
}

// Halve every score (old writes count less than new ones).
static void
hist_age(struct history *h)
{
  for(int i = 0; i < HIST_NPAGES; i++){
    struct hent *t = __atomic_load_n(&h->page[i], __ATOMIC_ACQUIRE);
    for(int j = 0; t && j < HIST_SLOTS; j++){
      uint32 s = __atomic_load_n(&t[j].score, __ATOMIC_RELAXED);
      if(s)
        __atomic_store_n(&t[j].score, s / 2, __ATOMIC_RELAXED);
    }
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

// Returns the slot of va, creating it if create is set; 0 if va has none
// (or, when creating, if memory is out or its neighbourhood is full).
static struct hent*
hist_slot(struct history *h, uint64 va, int create)
{
  uint32 key = (uint32)(va / POLICY_PGSIZE) + 1;
  uint32 hash = key * 2654435761u;   // Knuth's multiplicative hash
  int pi = (hash >> 24) % HIST_NPAGES;
  struct hent *t = __atomic_load_n(&h->page[pi], __ATOMIC_ACQUIRE);
  if(t == 0){
    if(!create || (t = policy_alloc()) == 0)
      return 0;
    struct hent *old = 0;
    if(!__atomic_compare_exchange_n(&h->page[pi], &old, t, 0,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)){
      policy_free(t);   // another hart installed one first
      t = old;
    }
  }
  for(int i = 0; i < HIST_PROBE; i++){
    struct hent *e = &t[(hash + i) % HIST_SLOTS];
    uint32 k = __atomic_load_n(&e->key, __ATOMIC_ACQUIRE);
    if(k == key)
      return e;
    if(k == 0){
      if(!create)
        return 0;
      uint32 empty = 0;
      if(__atomic_compare_exchange_n(&e->key, &empty, key, 0,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)){
        __atomic_fetch_add(&h->used, 1, __ATOMIC_RELAXED);
        return e;
      }
      if(empty == key)
        return e;
    }
  }
  return 0;
}

// Returns va's score: how often, lately, it was written while shared.
int
hist_score(struct history *h, uint64 va)
{
  // Fork asks about every page: a lineage that never recorded a write
  // (most forks are a lineage's first) answers without hashing.
  if(h == 0 || __atomic_load_n(&h->used, __ATOMIC_RELAXED) == 0)
    return 0;
  struct hent *e = hist_slot(h, va, 0);
  return e ? __atomic_load_n(&e->score, __ATOMIC_RELAXED) : 0;
}

// Add delta (may be negative) to va's score, within 0..HIST_MAX.
void
hist_add(struct history *h, uint64 va, int delta)
{
  struct hent *e = h ? hist_slot(h, va, delta > 0) : 0;
  if(e == 0)
    return;
  int s = (int)__atomic_load_n(&e->score, __ATOMIC_RELAXED) + delta;
  if(s < 0)
    s = 0;
  if(s > HIST_MAX)
    s = HIST_MAX;
  __atomic_store_n(&e->score, (uint32)s, __ATOMIC_RELAXED);
}

void
hist_clear(struct history *h, uint64 va)
{
  struct hent *e = h ? hist_slot(h, va, 0) : 0;
  if(e)
    __atomic_store_n(&e->score, 0, __ATOMIC_RELAXED);
}
