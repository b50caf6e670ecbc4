// Lineages and their write histories (see history.h). Several harts may
// update one history at once (a parent and its children fault in
// parallel), so blocks and directories are installed with
// compare-and-swap (the loser frees its copy), scores change by
// compare-and-swap on the 32-bit word that holds eight of them, and
// tags, parent bits and rates by atomic and/or/add. A race between two
// updates of one page's tag can count a use twice or not at all: rates
// are estimates, and nothing but performance rests on them.
#include "history.h"

// Returns a new lineage of size bytes (size >= sizeof(struct lineage),
// the rest zeroed), held once; or 0 if memory is out.
struct lineage*
lineage_new(uint64 size, int decay)
{
  struct lineage *l = policy_zalloc(size);
  if(l == 0)
    return 0;
  l->ref = 1;
  l->h.decay = decay;
  return l;
}

void
lineage_get(struct lineage *l)
{
  if(l)
    __atomic_fetch_add(&l->ref, 1, __ATOMIC_RELAXED);
}

// Drop one hold; the last one frees the lineage and its history.
void
lineage_put(struct lineage *l)
{
  if(l == 0 || __atomic_sub_fetch(&l->ref, 1, __ATOMIC_ACQ_REL) != 0)
    return;
  int ndir = __atomic_load_n(&l->h.ndir, __ATOMIC_RELAXED);
  for(int d = 0; d < ndir; d++){
    struct hist_dir *dir = l->h.dir[d];
    if(dir == 0)
      continue;
    for(int b = 0; b < HIST_DIRSIZE; b++)
      policy_free(dir->block[b]);
    policy_free(dir);
  }
  policy_free(l->h.dir);
  policy_free(l);
}

// Install *slot = fresh unless another hart got there first. Returns
// what the slot holds afterwards.
static void*
install(void **slot, void *fresh)
{
  void *old = 0;
  if(__atomic_compare_exchange_n(slot, &old, fresh, 0, __ATOMIC_ACQ_REL,
                                 __ATOMIC_ACQUIRE))
    return fresh;
  policy_free(fresh);
  return old;
}

// The block holding va's page, if it exists: three loads, no call
// (every COW fault of a lineage that learns comes here when its
// process's shortcut misses, which is most faults of a random writer).
static inline struct hist_block*
block_find(struct history *h, uint64 va)
{
  uint64 region = va / POLICY_REGION_SIZE;
  struct hist_dir **top = __atomic_load_n(&h->dir, __ATOMIC_ACQUIRE);
  if(top == 0 || va >= HIST_LIMIT)
    return 0;
  struct hist_dir *dir = __atomic_load_n(&top[region / HIST_DIRSIZE], __ATOMIC_ACQUIRE);
  if(dir == 0)
    return 0;
  return __atomic_load_n(&dir->block[region % HIST_DIRSIZE], __ATOMIC_ACQUIRE);
}

// The block holding va's page, created (with its directory, and the
// directory table) if missing. Returns 0 if memory is out or va is
// beyond HIST_LIMIT.
static __attribute__((noinline)) struct hist_block*
block_make(struct history *h, uint64 va)
{
  if(va >= HIST_LIMIT)
    return 0;
  uint64 region = va / POLICY_REGION_SIZE;
  struct hist_dir **top = __atomic_load_n(&h->dir, __ATOMIC_ACQUIRE);
  if(top == 0){
    if((top = policy_zalloc(HIST_NDIR * sizeof(*top))) == 0)
      return 0;
    top = install((void**)&h->dir, top);
  }
  struct hist_dir **dp = &top[region / HIST_DIRSIZE];
  struct hist_dir *dir = __atomic_load_n(dp, __ATOMIC_ACQUIRE);
  if(dir == 0){
    if((dir = policy_zalloc(sizeof(*dir))) == 0)
      return 0;
    dir = install((void**)dp, dir);
    uint32 n = region / HIST_DIRSIZE + 1, seen = __atomic_load_n(&h->ndir, __ATOMIC_RELAXED);
    while(seen < n && !__atomic_compare_exchange_n(&h->ndir, &seen, n, 0,
                                                   __ATOMIC_RELEASE, __ATOMIC_RELAXED))
      ;
  }
  struct hist_block **bp = &dir->block[region % HIST_DIRSIZE];
  struct hist_block *b = __atomic_load_n(bp, __ATOMIC_ACQUIRE);
  if(b == 0){
    if((b = policy_zalloc(sizeof(*b))) == 0)
      return 0;
    b = install((void**)bp, b);
    int r = region % HIST_DIRSIZE;
    __atomic_fetch_or(&dir->have[r / 64], 1ULL << (r % 64), __ATOMIC_RELEASE);
  }
  return b;
}

// The block holding va's page through the process's shortcut c (may be
// 0), created if create is set; 0 if there is none. Blocks live as long
// as the lineage, so a remembered pointer stays good.
static inline struct hist_block*
block_at(struct history *h, struct hist_cache *c, uint64 va, int create)
{
  uint64 region = va / POLICY_REGION_SIZE + 1;
  if(c && c->region == region)
    return c->b;
  struct hist_block *b = block_find(h, va);
  if(b == 0 && create)
    b = block_make(h, va);
  if(c && b){
    c->region = region;
    c->b = b;
  }
  return b;
}

static int
page_of(uint64 va)
{
  return (va / POLICY_PGSIZE) % POLICY_REGION_PAGES;
}

// Halve one word's eight scores at once.
static void
halve_word(uint64 *w)
{
  uint64 old = __atomic_load_n(w, __ATOMIC_RELAXED), new;
  do {
    new = (old >> 1) & 0x7f7f7f7f7f7f7f7fULL;
  } while(old && !__atomic_compare_exchange_n(w, &old, new, 1,
                      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

static void
halve_count(uint32 *n)
{
  uint32 old = __atomic_load_n(n, __ATOMIC_RELAXED);
  while(old && !__atomic_compare_exchange_n(n, &old, old / 2, 1,
                   __ATOMIC_RELAXED, __ATOMIC_RELAXED))
    ;
}

// The lineage forks once more: every decay forks, halve every score and
// every rate, so that old evidence counts less than new.
void
hist_fork(struct history *h)
{
  int n = __atomic_add_fetch(&h->forks, 1, __ATOMIC_RELAXED);
  if(h->decay <= 0 || n % h->decay != 0)
    return;
  for(int c = 0; c < HIST_NCLASS; c++){
    halve_count(&h->rate[c].pred);
    halve_count(&h->rate[c].hit);
  }
  halve_count(&h->recorded);
  halve_count(&h->asked);
  int ndir = __atomic_load_n(&h->ndir, __ATOMIC_ACQUIRE);
  struct hist_dir **top = __atomic_load_n(&h->dir, __ATOMIC_ACQUIRE);
  for(int d = 0; d < ndir; d++){
    struct hist_dir *dir = __atomic_load_n(&top[d], __ATOMIC_ACQUIRE);
    for(int r = 0; dir && r < HIST_DIRSIZE; r++){
      if((__atomic_load_n(&dir->have[r / 64], __ATOMIC_RELAXED) >> (r % 64)) == 0){
        r |= 63;   // no block from here to the end of this word
        continue;
      }
      struct hist_block *b = __atomic_load_n(&dir->block[r], __ATOMIC_ACQUIRE);
      if(b == 0)
        continue;
      for(int i = 0; i < HIST_WORDS; i++)
        halve_word(&b->w[i]);
    }
  }
}

// The lineage resumes learning after a spell without it: what its
// recent bits and tags say is about writes from before the spell, and
// would predict a working set that may have moved on long ago. Clears
// them (scores stay, halved with the rest), so that the next fork
// predicts only from what was written since this one.
void
hist_forget(struct history *h)
{
  for(uint64 base = hist_next(h, 0); base != POLICY_NO_REGION;
      base = hist_next(h, base + POLICY_REGION_SIZE)){
    struct hist_block *b = block_find(h, base);
    for(int i = 0; b && i < HIST_BITW; i++){
      __atomic_store_n(&b->recent[i], 0, __ATOMIC_RELAXED);
      __atomic_store_n(&b->tag0[i], 0, __ATOMIC_RELAXED);
      __atomic_store_n(&b->tag1[i], 0, __ATOMIC_RELAXED);
    }
  }
}

static int
score_of(struct hist_block *b, int i)
{
  return (__atomic_load_n(&b->w[i / 8], __ATOMIC_RELAXED) >> (i % 8 * 8)) & 0xff;
}

// Add one to page i's score, which was old, unless it is saturated.
// (Two harts adding at once may pass HIST_MAX by one: the byte has
// room.)
static void
bump(struct hist_block *b, int i, int old)
{
  if(old < HIST_MAX)
    __atomic_fetch_add(&b->w[i / 8], 1ULL << (i % 8 * 8), __ATOMIC_RELAXED);
}

// Widen the block's extent to page i.
static __attribute__((noinline)) void
extend(struct hist_block *b, int i)
{
  uint32 v = i + 1, old = __atomic_load_n(&b->lo, __ATOMIC_RELAXED);
  while((old == 0 || v < old) && !__atomic_compare_exchange_n(&b->lo, &old,
          v, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
    ;
  old = __atomic_load_n(&b->hi, __ATOMIC_RELAXED);
  while(v > old && !__atomic_compare_exchange_n(&b->hi, &old, v, 1,
          __ATOMIC_RELAXED, __ATOMIC_RELAXED))
    ;
}

// Page i was written (or told so): one point more, and the block's
// extent widened to it if it had never scored.
static inline void
score_page(struct hist_block *b, int i)
{
  int old = score_of(b, i);
  bump(b, i, old);
  if(old == 0 && (i + 1 < b->lo || i + 1 > b->hi))
    extend(b, i);
}

// Clear page i's tag. Returns the class it held (HIST_NONE if none);
// a use of that prediction is counted by the caller that cleared it.
// A tag bit is cleared only if it was seen set: most pages hold none.
static inline int
untag(struct hist_block *b, int i)
{
  uint32 bit = 1u << (i % 32);
  uint32 *t0 = &b->tag0[i / 32], *t1 = &b->tag1[i / 32];
  int c = 0;
  if(__atomic_load_n(t0, __ATOMIC_RELAXED) & bit)
    c = (__atomic_fetch_and(t0, ~bit, __ATOMIC_RELAXED) & bit) ? 1 : 0;
  if(__atomic_load_n(t1, __ATOMIC_RELAXED) & bit)
    c |= (__atomic_fetch_and(t1, ~bit, __ATOMIC_RELAXED) & bit) ? 2 : 0;
  return c;
}

// Page i was written by a process of the lineage (one that had forked,
// if parent): it is recent, and the parent bit says who.
static inline void
mark_written(struct hist_block *b, int i, int parent)
{
  uint32 bit = 1u << (i % 32);
  if(parent)
    __atomic_fetch_or(&b->par[i / 32], bit, __ATOMIC_RELAXED);
  __atomic_fetch_or(&b->recent[i / 32], bit, __ATOMIC_RELAXED);
}

// The class of page i's tag (HIST_NONE if none), left in place.
static inline int
tag_of(struct hist_block *b, int i)
{
  uint32 bit = 1u << (i % 32);
  return ((__atomic_load_n(&b->tag0[i / 32], __ATOMIC_RELAXED) & bit) ? 1 : 0) |
    ((__atomic_load_n(&b->tag1[i / 32], __ATOMIC_RELAXED) & bit) ? 2 : 0);
}

static void
count_hit(struct history *h, int c)
{
  if(c != HIST_NONE)
    __atomic_fetch_add(&h->rate[c].hit, 1, __ATOMIC_RELAXED);
}

// hist_write and hist_settled when va's block is not the remembered
// one, or the page widens the block's extent (it never scored, and lies
// outside the pages that did): the block found or made, the page scored
// and marked written, and its class returned; with use, its tag is
// cleared and the use counted (hist_write's), else the tag stays.
static __attribute__((noinline)) int
written_slow(struct history *h, struct hist_cache *c, uint64 va, int parent,
             int use)
{
  struct hist_block *b = block_at(h, c, va, 1);
  if(b == 0)
    return HIST_NONE;
  int i = page_of(va);
  score_page(b, i);
  mark_written(b, i, parent);
  if(!use)
    return tag_of(b, i);
  int cls = untag(b, i);
  count_hit(h, cls);
  return cls;
}

// Page i of block b was written, and scored: marked written, and its
// tag's use counted. Returns the class it was predicted in.
static inline int
written_use(struct history *h, struct hist_block *b, int i, int parent)
{
  mark_written(b, i, parent);
  int cls = untag(b, i);
  count_hit(h, cls);
  return cls;
}

// hist_write in another region than the remembered one (or with no
// shortcut): its block looked up (three loads) and remembered, the page
// scored (its extent widened if need be) and marked. A call of its
// own, with a smaller frame than written_slow's (whose is for making
// blocks): a random writer's faults, and those of streams in different
// regions taking turns, change regions at most faults.
static __attribute__((noinline)) int
written_other(struct history *h, struct hist_cache *c, uint64 va, int parent)
{
  struct hist_block *b = c ? block_find(h, va) : 0;
  if(b == 0)
    return written_slow(h, c, va, parent, 1);
  c->region = va / POLICY_REGION_SIZE + 1;
  c->b = b;
  int i = page_of(va);
  score_page(b, i);
  return written_use(h, b, i, parent);
}

// A process of the lineage wrote va: at a COW fault, or into an early
// copy (found dirty when it settled). parent says the process had
// forked before. Scores the page, and if the last fork predicted it,
// counts that prediction used. Returns its class (HIST_NONE if none).
// Called at every COW fault of a process that learns: the common path
// (the remembered block, a page within its extent) calls nothing, so
// that it needs no stack frame of its own.
int
hist_write(struct history *h, struct hist_cache *c, uint64 va, int parent)
{
  if(c == 0 || c->region != va / POLICY_REGION_SIZE + 1)
    return written_other(h, c, va, parent);
  struct hist_block *b = c->b;
  int i = page_of(va), old = score_of(b, i);
  if(old == 0 && (i + 1 < b->lo || i + 1 > b->hi))
    return written_slow(h, c, va, parent, 1);
  bump(b, i, old);
  return written_use(h, b, i, parent);
}

// The kernel told the lineage's fork that the pages set in mask (of the
// region at base, as fork_region's) were written since they were last
// shared: each is scored and made recent as if a process of the lineage
// had written it (hist_write), without a parent bit (who wrote it is
// not told) or a prediction's use (none was made). Returns how many.
int
hist_told(struct history *h, uint64 base, const uint64 *mask)
{
  struct hist_block *b = block_at(h, 0, base, 1);
  if(b == 0)
    return 0;
  // The pages come in increasing order, each new to a block the first
  // time, so past its extent so far: the extent is widened once, to the
  // first and the last, before any is scored (score_page would widen it
  // at every page, a compare-and-swap each).
  int first = -1, last = 0, n = 0;
  for(int k = 0; k < POLICY_MASK_WORDS; k++){
    if(mask[k] == 0)
      continue;
    if(first < 0)
      first = k * 64 + lowbit(mask[k]);
    last = k * 64 + highbit(mask[k]);
  }
  if(first < 0)
    return 0;
  extend(b, first);
  extend(b, last);
  for(int k = 0; k < POLICY_MASK_WORDS; k++){
    uint64 m = mask[k];
    if(m == 0)
      continue;
    __atomic_fetch_or(&b->recent[2 * k], (uint32)m, __ATOMIC_RELAXED);
    __atomic_fetch_or(&b->recent[2 * k + 1], (uint32)(m >> 32), __ATOMIC_RELAXED);
    for(; m; m &= m - 1){
      int i = k * 64 + lowbit(m);
      bump(b, i, score_of(b, i));
      n++;
    }
  }
  return n;
}

// The part of a run of n pages from va that lies in va's region: its
// pages [*i, *i + *k) there, and the region's block (0 if none; made
// if create is set).
static struct hist_block*
run_part(struct history *h, struct hist_cache *c, uint64 va, int n, int *i, int *k,
         int create)
{
  *i = page_of(va);
  *k = POLICY_REGION_PAGES - *i < n ? POLICY_REGION_PAGES - *i : n;
  return block_at(h, c, va, create);
}

// An early copy of va leaves a process of the lineage written: scores
// the page like hist_write (with the parent bit if the process had
// forked: a parent that writes through copies made around its faults
// writes the page after its forks all the same, and its children's fork
// copies of it spare it faults), and returns the class the last fork
// predicted it in (HIST_NONE if none), without counting the use: the
// caller counts it (a process's settles come by the thousand when it
// exits, and one count per page in the lineage would cost an atomic
// each). The tag stays: the next fork rewrites it, and nobody else can
// use the prediction of a page this process copied. The common path
// (the remembered block, a page that scored before) calls nothing.
int
hist_settled(struct history *h, struct hist_cache *c, uint64 va, int parent)
{
  if(c->region != va / POLICY_REGION_SIZE + 1)
    return written_slow(h, c, va, parent, 0);
  struct hist_block *b = c->b;
  int i = page_of(va);
  uint64 *w = &b->w[i / 8];
  int shift = i % 8 * 8, old = (__atomic_load_n(w, __ATOMIC_RELAXED) >> shift) & 0xff;
  if(old == 0)
    return written_slow(h, c, va, parent, 0);
  if(old < HIST_MAX)
    __atomic_fetch_add(w, 1ULL << shift, __ATOMIC_RELAXED);
  mark_written(b, i, parent);
  return tag_of(b, i);
}

// hist_settled for the n pages from va, in one call (a process's copies
// made around its faults settle in runs when it exits): hits[c] grows
// by the pages the last fork predicted in class c (c > HIST_NONE).
void
hist_settled_run(struct history *h, struct hist_cache *c, uint64 va, int n, int parent,
                 uint32 *hits)
{
  for(int done = 0, i, k; done < n; done += k){
    uint64 v = va + (uint64)done * POLICY_PGSIZE;
    struct hist_block *b = run_part(h, c, v, n - done, &i, &k, 1);
    for(int j = i; b && j < i + k; j++){
      score_page(b, j);
      mark_written(b, j, parent);
      int cls = tag_of(b, j);
      if(cls != HIST_NONE)
        hits[cls]++;
    }
  }
}

// Set (written) or clear the parent bits of block b's word set in bits.
static inline void
set_parent(struct hist_block *b, int word, uint32 bits, int written)
{
  uint32 *w = &b->par[word];
  if(written)
    __atomic_fetch_or(w, bits, __ATOMIC_RELAXED);
  else if(__atomic_load_n(w, __ATOMIC_RELAXED) & bits)
    __atomic_fetch_and(w, ~bits, __ATOMIC_RELAXED);
}

// The parent's side of a fork copy of va settled: the parent wrote its
// page since that fork (written) or not. Sets or clears the page's
// parent bit, which says whether the child's copy of it spares the
// parent a fault (hist_unused).
void
hist_parent(struct history *h, struct hist_cache *c, uint64 va, int written)
{
  struct hist_block *b = block_at(h, c, va, 0);
  if(b == 0)
    return;
  int i = page_of(va);
  set_parent(b, i / 32, 1u << (i % 32), written);
}

// hist_parent for the n pages from va, a word of parent bits at a time
// (the parent's sides of a fork's copies settle in runs at its next
// fork).
void
hist_parent_run(struct history *h, struct hist_cache *c, uint64 va, int n, int written)
{
  for(int done = 0, i, k; done < n; done += k){
    uint64 v = va + (uint64)done * POLICY_PGSIZE;
    struct hist_block *b = run_part(h, c, v, n - done, &i, &k, 0);
    for(int j = i, m; b && j < i + k; j += m){
      m = 32 - j % 32;
      if(m > i + k - j)
        m = i + k - j;
      set_parent(b, j / 32, (m == 32 ? ~0u : (1u << m) - 1) << (j % 32), written);
    }
  }
}

// Add n uses of class cls's predictions (a process's settles, counted
// by hist_settled's caller).
void
hist_hits(struct history *h, int cls, uint32 n)
{
  if(n)
    __atomic_fetch_add(&h->rate[cls].hit, n, __ATOMIC_RELAXED);
}

// An early copy of va leaves a process of the lineage unwritten; fork
// says it was copied at fork. If the last fork predicted the page and a
// parent writes it after its forks, the copy spared the parent a fault:
// a use, and the page keeps its score. Otherwise the prediction was
// wrong: a copy made at fork takes back the use hist_region counted in
// advance, and the page's score is cleared, so that a working set that
// moved on is forgotten at once. Returns the class of the prediction
// (HIST_NONE: the page was not predicted).
static inline int
unused_in(struct history *h, struct hist_block *b, int i, int fork)
{
  int cls = untag(b, i);
  if(cls == HIST_NONE)
    return HIST_NONE;
  if(__atomic_load_n(&b->par[i / 32], __ATOMIC_RELAXED) & (1u << (i % 32))){
    bump(b, i, score_of(b, i));
    if(!fork)
      count_hit(h, cls);
  } else {
    __atomic_fetch_and(&b->w[i / 8], ~(0xffULL << (i % 8 * 8)), __ATOMIC_RELAXED);
    __atomic_fetch_and(&b->recent[i / 32], ~(1u << (i % 32)), __ATOMIC_RELAXED);
    if(fork)
      __atomic_fetch_sub(&h->rate[cls].hit, 1, __ATOMIC_RELAXED);
  }
  return cls;
}

int
hist_unused(struct history *h, struct hist_cache *c, uint64 va, int fork)
{
  struct hist_block *b = block_at(h, c, va, 0);
  return b ? unused_in(h, b, page_of(va), fork) : HIST_NONE;
}

// hist_unused(h, c, va + j pages, fork) for j in [0, n), in one call:
// the unused fork copies a child leaves when it exits come in runs.
void
hist_unused_run(struct history *h, struct hist_cache *c, uint64 va, int n, int fork)
{
  for(int done = 0, i, k; done < n; done += k){
    uint64 v = va + (uint64)done * POLICY_PGSIZE;
    struct hist_block *b = run_part(h, c, v, n - done, &i, &k, 0);
    for(int j = i; b && j < i + k; j++)
      unused_in(h, b, j, fork);
  }
}

// Bit j set iff byte j of w is at least t (1 <= t <= 15; bytes below
// 128): eight scores compared at once, the results gathered.
static uint32
at_least(uint64 w, int t)
{
  uint64 x = (w + (uint64)(0x80 - t) * 0x0101010101010101ULL) & 0x8080808080808080ULL;
  return (uint32)(((x >> 7) * 0x0102040810204080ULL) >> 56);
}

// Byte j of the result is 1 iff bit j of m (8 bits) is set.
static uint64
spread(uint32 m)
{
  uint64 x = m;
  x = (x | x << 28) & 0x0000000F0000000FULL;
  x = (x | x << 14) & 0x0003000300030003ULL;
  x = (x | x << 7) & 0x0101010101010101ULL;
  return x;
}

static int
popcount(uint32 x)
{
  if(x == 0)
    return 0;   // most words of a sparse history
  x = x - ((x >> 1) & 0x55555555u);
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  x = (x + (x >> 4)) & 0x0f0f0f0fu;
  return (x * 0x01010101u) >> 24;
}

// Of the extent pages of the asked region's written extent, written
// were written since the last fork (under a rule with the once class,
// adaptive's; else only those written repeatedly): summed in h->dense
// over this fork's questions, the first of which starts the sums anew.
static void
count_dense(struct history *h, int written, int extent)
{
  int forks = __atomic_load_n(&h->forks, __ATOMIC_RELAXED);
  if(__atomic_exchange_n(&h->dense.fork, forks, __ATOMIC_RELAXED) != forks){
    __atomic_store_n(&h->dense.written, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&h->dense.extent, 0, __ATOMIC_RELAXED);
  }
  __atomic_fetch_add(&h->dense.written, written, __ATOMIC_RELAXED);
  __atomic_fetch_add(&h->dense.extent, extent, __ATOMIC_RELAXED);
}

// The fork question for the region at base: classify its pages by rule
// r (history.h), tag each with its class for this fork, count the
// predictions of each class in the lineage's rates, and set in mask the
// pages of the classes r copies. Returns FORK_SHARE (nothing to copy;
// at once if the region was never written), FORK_COPY (every page) or
// FORK_SOME.
int
hist_region(struct history *h, uint64 base, const struct hist_rule *r,
            uint64 *mask)
{
  struct hist_block *b = block_find(h, base);
  if(b == 0)
    return FORK_SHARE;
  // Scores, recent bits and tags are never set outside the extent of
  // pages ever scored: only its words are looked at.
  int lo = __atomic_load_n(&b->lo, __ATOMIC_RELAXED) - 1;
  int hi = __atomic_load_n(&b->hi, __ATOMIC_RELAXED) - 1;
  if(lo < 0 || hi < lo)
    return FORK_SHARE;
  int wlo = lo / 32, whi = hi / 32;
  uint32 again[HIST_BITW], once[HIST_BITW], fill[HIST_BITW];
  int written = 0;
  for(int i = wlo; i <= whi; i++){
    // The recent bits start again with this fork. Scores are read only
    // where they can matter: again needs recent, written needs fill.
    uint32 recent = __atomic_exchange_n(&b->recent[i], 0, __ATOMIC_RELAXED);
    uint32 a = 0, o = 0;
    for(int j = 0; j < 4 && (recent || r->fill > 0); j++){
      uint64 w = __atomic_load_n(&b->w[i * 4 + j], __ATOMIC_RELAXED);
      if(w == 0)
        continue;
      a |= at_least(w, r->again) << (j * 8);
      o |= at_least(w, 1) << (j * 8);
    }
    again[i] = a & recent;
    once[i] = r->once ? recent & ~a : 0;
    fill[i] = 0;
    written += popcount(o);
  }

  // A region whose written extent is nearly all written: the rest of
  // the extent is a class of its own.
  if(r->fill > 0 && written * 100 >= r->fill * (hi - lo + 1)){
    for(int i = wlo; i <= whi; i++){
      uint32 m = ~0u;
      if(i == wlo)
        m &= ~0u << (lo % 32);
      if(i == whi)
        m &= ~0u >> (31 - hi % 32);
      fill[i] = m & ~(again[i] | once[i]);
    }
  }

  int n[HIST_NCLASS] = { 0 }, any = 0;
  int all = wlo == 0 && whi == HIST_BITW - 1;
  for(int i = wlo; i <= whi; i++){
    __atomic_store_n(&b->tag0[i], again[i] | fill[i], __ATOMIC_RELAXED);
    __atomic_store_n(&b->tag1[i], once[i] | fill[i], __ATOMIC_RELAXED);
    if((again[i] | once[i] | fill[i]) == 0){
      all = 0;   // no prediction in these 32 pages
      continue;
    }
    n[HIST_AGAIN] += popcount(again[i]);
    n[HIST_ONCE] += popcount(once[i]);
    n[HIST_FILL] += popcount(fill[i]);
    uint32 m = 0;
    if(r->copy & (1 << HIST_AGAIN))
      m |= again[i];
    if(r->copy & (1 << HIST_ONCE))
      m |= once[i];
    if(r->copy & (1 << HIST_FILL))
      m |= fill[i];
    mask[i / 2] |= (uint64)m << (i % 2 * 32);
    all &= m == 0xffffffffu;
    any |= m != 0;
    if(m)
      __atomic_fetch_or(&b->recent[i], m, __ATOMIC_RELAXED);
    // A page copied now is taken as written by the child (the use is
    // counted below, and taken back if the copy settles unwritten): it is
    // recent, and its score is kept up as if it had been written, eight
    // scores at a time.
    for(int j = 0; m && j < 4; j++){
      uint64 *w = &b->w[i * 4 + j];
      uint32 up = (m >> (j * 8)) & 0xff & ~at_least(__atomic_load_n(w, __ATOMIC_RELAXED), HIST_MAX);
      if(up)
        __atomic_fetch_add(w, spread(up), __ATOMIC_RELAXED);
    }
  }
  count_dense(h, n[HIST_AGAIN] + n[HIST_ONCE], hi - lo + 1);
  for(int c = 1; c < HIST_NCLASS; c++){
    if(n[c] == 0)
      continue;
    __atomic_fetch_add(&h->rate[c].pred, n[c], __ATOMIC_RELAXED);
    if(r->copy & (1 << c))
      __atomic_fetch_add(&h->rate[c].hit, n[c], __ATOMIC_RELAXED);
  }

  return all ? FORK_COPY : any ? FORK_SOME : FORK_SHARE;
}

// The base of the first region at or above base that has a block (the
// only regions hist_region can answer other than FORK_SHARE for, and
// has anything to do in), or POLICY_NO_REGION if none. A fork of a
// large, never-written heap thus asks about the few regions with
// history, not about every 2 MiB of it. A block created by another
// hart meanwhile may be missed: that fork just predicts nothing there.
uint64
hist_next(struct history *h, uint64 base)
{
  uint64 r = base / POLICY_REGION_SIZE;
  uint64 end = (uint64)__atomic_load_n(&h->ndir, __ATOMIC_ACQUIRE) * HIST_DIRSIZE;
  struct hist_dir **top = __atomic_load_n(&h->dir, __ATOMIC_ACQUIRE);
  while(r < end){
    struct hist_dir *dir = __atomic_load_n(&top[r / HIST_DIRSIZE], __ATOMIC_ACQUIRE);
    if(dir == 0){
      r = (r / HIST_DIRSIZE + 1) * HIST_DIRSIZE;
      continue;
    }
    int i = r % HIST_DIRSIZE;
    uint64 w = __atomic_load_n(&dir->have[i / 64], __ATOMIC_ACQUIRE) >> (i % 64);
    if(w)
      return (r + lowbit(w)) * POLICY_REGION_SIZE;
    r += 64 - i % 64;
  }
  return POLICY_NO_REGION;
}

// Should class cls be copied? Whether at least pct percent of its
// predictions were used, its rate counting weight predictions more, of
// which prior percent used: a prior that a few pages of evidence
// confirm or overturn, and that no single page does.
int
hist_trust(struct history *h, int cls, int prior, int weight, int pct)
{
  uint64 pred = __atomic_load_n(&h->rate[cls].pred, __ATOMIC_RELAXED) + weight;
  uint64 hit = __atomic_load_n(&h->rate[cls].hit, __ATOMIC_RELAXED);
  return hit * 100 + (uint64)prior * weight >= (uint64)pct * pred;
}

// How likely, in percent, a page written twice (HIST_AGAIN) is to be
// written again, estimated from what was measured before: r1, the rate
// of pages written once that were written again (HIST_ONCE's), and d,
// the density of writes (the share of the written extents written in
// an interval, h->dense). Pages are taken to be of two kinds, those the
// lineage writes every time and those it writes at random, each in an
// interval with one probability q: the fit to d and r1 gives q and the
// share c of the first kind, and the rate of pages written twice
// follows:
//   q = d (1 - r1) / (1 - d),  c = (d - q) / (1 - q),
//   r2 = (c + (1-c) q^3) / (c + (1-c) q^2).
// Writes at random (r1 = d) give r2 = d: pages written twice by chance
// are no likelier than any; a set rewritten every time among random
// ones (r1 well above d) gives r2 near 1. -1 if HIST_ONCE has fewer
// than least predictions or no density was measured.
int
hist_repeat(struct history *h, int least)
{
  const uint64 one = 1024;   // fixed point
  uint64 pred = __atomic_load_n(&h->rate[HIST_ONCE].pred, __ATOMIC_RELAXED);
  uint64 hit = __atomic_load_n(&h->rate[HIST_ONCE].hit, __ATOMIC_RELAXED);
  uint64 w = __atomic_load_n(&h->dense.written, __ATOMIC_RELAXED);
  uint64 n = __atomic_load_n(&h->dense.extent, __ATOMIC_RELAXED);
  if(pred == 0 || pred < (uint64)least || n == 0)
    return -1;
  uint64 r1 = hit >= pred ? one : hit * one / pred;
  uint64 d = w >= n ? one : w * one / n;
  if(r1 <= d || d >= one)
    return r1 * 100 / one;   // no sign of pages of the first kind
  uint64 q = d * (one - r1) / (one - d);
  uint64 c = (d - q) * one / (one - q);
  uint64 q2 = q * q / one, q3 = q2 * q / one;
  uint64 num = c * one + (one - c) * q3;
  uint64 den = c * one + (one - c) * q2;
  return den == 0 ? 100 : (int)(num * 100 / den);
}
