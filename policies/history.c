// Lineages and their write histories (see history.h). Several harts may
// update one history at once (a parent and its children fault in
// parallel), so blocks and directories are installed with
// compare-and-swap (the loser frees its copy) and scores change by
// compare-and-swap on the 32-bit word that holds eight of them.
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
  for(int d = 0; d < HIST_NDIR; d++){
    struct hist_dir *dir = l->h.dir[d];
    if(dir == 0)
      continue;
    for(int b = 0; b < HIST_DIRSIZE; b++)
      policy_free(dir->block[b]);
    policy_free(dir);
  }
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

// The block holding va's score, created if create is set. Returns 0 if
// there is none (or memory is out, or va is beyond HIST_LIMIT).
static struct hist_block*
block_of(struct history *h, uint64 va, int create)
{
  if(va >= HIST_LIMIT)
    return 0;
  uint64 region = va / POLICY_REGION_SIZE;
  struct hist_dir **dp = &h->dir[region / HIST_DIRSIZE];
  struct hist_dir *dir = __atomic_load_n(dp, __ATOMIC_ACQUIRE);
  if(dir == 0){
    if(!create || (dir = policy_zalloc(sizeof(*dir))) == 0)
      return 0;
    dir = install((void**)dp, dir);
  }
  struct hist_block **bp = &dir->block[region % HIST_DIRSIZE];
  struct hist_block *b = __atomic_load_n(bp, __ATOMIC_ACQUIRE);
  if(b == 0){
    if(!create || (b = policy_zalloc(sizeof(*b))) == 0)
      return 0;
    b = install((void**)bp, b);
  }
  return b;
}

static uint32*
score_word(struct hist_block *b, uint64 va, int *shift)
{
  uint64 i = (va / POLICY_PGSIZE) % POLICY_REGION_PAGES;
  *shift = (i % 8) * 4;
  return &b->w[i / 8];
}

// Halve one word's eight scores at once (each nibble shifted right on
// its own: the bit that crosses into the nibble below is dropped).
static void
halve_word(uint32 *w)
{
  uint32 old = __atomic_load_n(w, __ATOMIC_RELAXED), new;
  do {
    new = (old >> 1) & 0x77777777u;
  } while(old && !__atomic_compare_exchange_n(w, &old, new, 1,
                      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

// The lineage forks once more: every decay forks, halve every score, so
// that old writes count less than new ones.
void
hist_fork(struct history *h)
{
  int n = __atomic_add_fetch(&h->forks, 1, __ATOMIC_RELAXED);
  if(h->decay <= 0 || n % h->decay != 0)
    return;
  for(int d = 0; d < HIST_NDIR; d++){
    struct hist_dir *dir = __atomic_load_n(&h->dir[d], __ATOMIC_ACQUIRE);
    for(int r = 0; dir && r < HIST_DIRSIZE; r++){
      struct hist_block *b = __atomic_load_n(&dir->block[r], __ATOMIC_ACQUIRE);
      for(int i = 0; b && i < HIST_WORDS; i++)
        halve_word(&b->w[i]);
    }
  }
}

// Returns va's score.
int
hist_score(struct history *h, uint64 va)
{
  struct hist_block *b = block_of(h, va, 0);
  if(b == 0)
    return 0;
  int shift;
  uint32 *w = score_word(b, va, &shift);
  return (__atomic_load_n(w, __ATOMIC_RELAXED) >> shift) & 0xf;
}

// Set va's score to its old value + delta within 0..HIST_MAX, or to 0
// when clear is set.
static void
update(struct history *h, uint64 va, int delta, int clear)
{
  // A score that can only go down needs no block where there is none.
  struct hist_block *b = block_of(h, va, delta > 0 && !clear);
  if(b == 0)
    return;
  int shift;
  uint32 *w = score_word(b, va, &shift);
  uint32 old = __atomic_load_n(w, __ATOMIC_RELAXED), new;
  do {
    int s = clear ? 0 : (int)((old >> shift) & 0xf) + delta;
    s = s < 0 ? 0 : s > HIST_MAX ? HIST_MAX : s;
    new = (old & ~(0xfu << shift)) | ((uint32)s << shift);
  } while(new != old && !__atomic_compare_exchange_n(w, &old, new, 1,
                          __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

void
hist_add(struct history *h, uint64 va, int delta)
{
  update(h, va, delta, 0);
}

void
hist_clear(struct history *h, uint64 va)
{
  update(h, va, 0, 1);
}

// The fork question for the region at base: the pages scoring at least
// threshold. Returns FORK_SHARE (none: at once if the region was never
// written) or FORK_SOME with their bits set in mask.
int
hist_region(struct history *h, uint64 base, int threshold, uint64 *mask)
{
  struct hist_block *b = block_of(h, base, 0);
  if(b == 0)
    return FORK_SHARE;
  int any = 0;
  for(int i = 0; i < HIST_WORDS; i++){
    uint32 w = __atomic_load_n(&b->w[i], __ATOMIC_RELAXED);
    for(int j = 0; w != 0 && j < 8; j++, w >>= 4){
      if((int)(w & 0xf) >= threshold){
        int page = i * 8 + j;
        mask[page / 64] |= 1ULL << (page % 64);
        any = 1;
      }
    }
  }
  return any ? FORK_SOME : FORK_SHARE;
}
