// The copy-on-write mechanism: how pages are shared at fork, copied or
// reused at a store fault, and accounted. *Which* pages are copied and
// when is the policy's answer (policy.c, policies/policy.h).
//
// A shared page is mapped read-only with PTE_COW in every page table that
// holds it; its refcount (struct page) counts those page tables. A page
// the kernel copied before anyone wrote it (at fork or around a fault) is
// mapped with the software bit PTE_EARLY and its dirty bit clear: when it
// leaves the process (unmapped, or shared again by a fork), the dirty bit
// tells whether the copy was used or wasted (settle()). Keeping the mark
// in the PTE means fork never looks at a page's metadata to find it.
//
// Fork works a leaf page table at a time: one policy question per 2 MiB
// region, one pass over the parent's 512 PTEs filling the child's leaf
// table (or, with ptshare=1, no pass at all: ptshare.c; the copies the
// policy asks for are then left to the region's first write,
// forkplan.c), and one TLB flush for the whole fork. Each leaf table's
// struct page counts the PTE_EARLY entries in it and keeps a range that
// holds them, so that fork knows without a pass whether a table holds
// early copies to settle, and where to look.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "vmcount.h"
#include "policies/policy.h"
#include "page.h"
#include "forkplan.h"
#include "settle.h"

#define WRITABLE(pte) ((pte) & (PTE_W | PTE_COW))

// A PTE of a page its process has written since the page became its
// own: user, writable, not shared, dirty. Early copies (fault-around,
// fork, and the parent's side of a fork copy) start with the dirty bit
// clear, so they count only once stored to.
#define WRITTEN(pte) \
  (((pte) & (PTE_V | PTE_U | PTE_W | PTE_COW | PTE_D)) == \
   (PTE_V | PTE_U | PTE_W | PTE_D))

// Entries [lo, hi) of the leaf table at leaf hold count more PTE_EARLY
// entries than before (each data page already marked with its kind:
// early_mark). The table's struct page counts such entries and keeps a
// range of entries that holds every one (erange, page.h), so that fork
// looks there alone. Fault-around notes a leaf's copies once, after its
// loop: the per-page part of the bookkeeping is then one store.
static void
early_note(pagetable_t leaf, int lo, int hi, int count)
{
  struct page *pg = page_of((uint64)leaf);
  uint32 old = __atomic_load_n(&pg->erange, __ATOMIC_RELAXED), new;
  do {
    uint32 olo = old ? (old & 0xffff) : lo, ohi = old ? (old >> 16) : hi;
    new = (lo < olo ? lo : olo) | (hi > ohi ? hi : ohi) << 16;
  } while(new != old &&
          !__atomic_compare_exchange_n(&pg->erange, &old, new, 1,
                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED));
  __atomic_fetch_add(&pg->early, count, __ATOMIC_RELAXED);
}

// The data page at pa is an early copy made by kind (EARLY_* below).
static inline void
early_mark(uint64 pa, int kind)
{
  page_of(pa)->early = kind;
}

// The early copies a loop over one leaf table makes, entries in
// increasing order, to be noted once when it is done.
struct enote {
  int lo, hi, count;
};

static inline void
enote_add(struct enote *e, int i)
{
  if(e->count++ == 0)
    e->lo = i;
  e->hi = i + 1;
}

static inline void
enote_done(pagetable_t leaf, struct enote *e)
{
  if(e->count)
    early_note(leaf, e->lo, e->hi, e->count);
}

// n early copies of leaf table leaf, on the consecutive pages from va
// on, leave p alike (how): tell the policy (unless it has nothing to do
// with such settles: quiet_settles), and count them if they were
// wasted. The parent's side of a fork copy is no copy of its own: it is
// told, never counted.
static void
settled(struct proc *p, pagetable_t leaf, uint64 va, int n, int how)
{
  __atomic_fetch_sub(&page_of((uint64)leaf)->early, n, __ATOMIC_RELAXED);
  if(!(how & (SETTLE_WRITTEN | SETTLE_PARENT)))
    vmcount(p, wasted, n);
  if(p == 0 || (policy_quiet >> how) & 1)
    return;
  if(n == 1)
    policy_on_settle(p, va, how);
  else
    policy_on_settle_run(p, va, n, how);
}

// The early copy that PTE pte of leaf table leaf maps at va leaves p.
static void
settle(struct proc *p, pagetable_t leaf, uint64 va, pte_t pte)
{
  settled(p, leaf, va, 1, settle_how(pte));
}

// Settle the run r holds, if any.
void
cow_settle_done(struct settlerun *r)
{
  if(r->n)
    settled(r->owner, r->leaf, r->base + (uint64)r->first * PGSIZE, r->n, r->how);
  r->n = 0;
}

// Returns a fresh copy of the page at pa, or 0 if memory is out. The
// copy is p's doing (the forking parent, the faulting process).
static char*
dup_page(struct proc *p, uint64 pa)
{
  char *mem = kalloc();
  if(mem){
    memmove(mem, (char*)pa, PGSIZE);
    vmcount(p, pages_copied, 1);
  }
  return mem;
}

struct forkcount {
  uint64 copied, shared, tables;
  uint64 reserve;   // page-table pages the rest of the fork may need
};

// The first page at or after i, below npte, that the fork answer wants
// copied (mask: FORK_SOME's), or npte if none. The pages in between are
// shared by share_run, which then never looks at the answer.
static int
next_wanted(int answer, uint64 *mask, int i, int npte)
{
  if(answer == FORK_COPY)
    return i;
  while(answer == FORK_SOME && i < npte){
    uint64 w = mask[i / 64] >> (i % 64);
    if(w){
      i += lowbit(w);
      return i < npte ? i : npte;
    }
    i = (i / 64 + 1) * 64;
  }
  return npte;
}

// Share entries [from, to) of the parent's leaf table src (sr's: the
// parent, the region's base) with the child's leaf table dst: writable
// pages become read-only and COW in both (an early copy of the parent's
// is settled first, added to sr's run: after the fork a write to it is a
// COW fault, not a use of the copy). Returns how many were writable.
static uint64
share_run(struct settlerun *sr, pagetable_t src, pagetable_t dst,
          int from, int to)
{
  uint64 shared = 0;
  for(int i = from; i < to; i++){
    pte_t pte = src[i];
    if((pte & PTE_V) == 0)
      continue;
    if(WRITABLE(pte)){
      if(pte & PTE_EARLY)
        settle_add(sr, i, pte);
      pte = (pte & ~(PTE_W | PTE_EARLY)) | PTE_COW;
      src[i] = pte;
      shared++;
    }
    dst[i] = pte;
    page_hold(PTE2PA(pte));
  }
  return shared;
}

// Give the child a copy of the page of entry i, which the policy's
// answer wants copied, if the parent may write it and a page is free.
// Returns 1 if it did, 0 if the page is to be shared instead. The early
// copies it makes are added to cn (the child's) and pn (the parent's).
static int
copy_wanted(struct settlerun *sr, pagetable_t src, pagetable_t dst,
            int i, int answer, struct forkcount *n,
            struct enote *cn, struct enote *pn)
{
  struct proc *parent = sr->owner;
  pte_t pte = src[i];
  char *mem;
  // An early copy is advice: it may not take a page that the child's
  // page tables will need later in this fork.
  if((pte & PTE_V) == 0 || !WRITABLE(pte) || !kfree_above(n->reserve) ||
     (mem = dup_page(parent, PTE2PA(pte))) == 0)
    return 0;
  dst[i] = PA2PTE(mem) | PTE_EARLY | ((PTE_FLAGS(pte) | PTE_W) & ~(PTE_COW | PTE_D));
  early_mark((uint64)mem, EARLY_FORK);
  enote_add(cn, i);
  n->copied++;
  // A copy pays off if either side writes its page; so the parent's own
  // writable page of a copy the policy picked starts clean too, and
  // settles (SETTLE_PARENT) at its next fork or unmap. A region copied
  // whole (FORK_COPY) is not followed: nothing to learn.
  if(answer == FORK_SOME && (pte & PTE_W)){
    if(pte & PTE_EARLY)
      settle_add(sr, i, pte);
    src[i] = (pte & ~PTE_D) | PTE_EARLY;
    early_mark(PTE2PA(pte), EARLY_PARENT);
    enote_add(pn, i);
  }
  return 1;
}

// Settle the early copies in parent's leaf table leaf (the region at
// base, npte entries), which fork is about to share: after the fork a
// write to one is a COW fault, not a use of the copy. Only the range
// early_note kept is looked at; the table holds none afterwards.
static void
settle_leaf(struct proc *parent, pagetable_t leaf, uint64 base, int npte)
{
  struct page *pg = page_of((uint64)leaf);
  int lo = pg->erange & 0xffff, hi = pg->erange >> 16;
  for(int i = lo; i < hi && i < npte; i++){
    pte_t pte = leaf[i];
    if((pte & (PTE_V | PTE_EARLY)) != (PTE_V | PTE_EARLY))
      continue;
    settle(parent, leaf, base + (uint64)i * PGSIZE, pte);
    leaf[i] = (pte & ~(PTE_W | PTE_EARLY)) | PTE_COW;
  }
  if(pg->early == 0)
    pg->erange = 0;
}

// Share the parent's leaf table for the region at base, which its
// level-1 entry *pl1 points at, with child (ptshare=1, ptshare.c). One
// the parent already shares and has made read-only is given to the
// child as it is; any other is left pending in both, to be made
// read-only by whoever touches it first, its early copies settled
// against the parent first. Returns
// 0, or -1 if the child's level-1 table could not be allocated.
static int
share_leaf(struct proc *parent, struct proc *child, uint64 base,
           pte_t *pl1, int npte, struct forkcount *n)
{
  pte_t *cl1 = l1_entry(child->pagetable, base, 1);
  if(cl1 == 0)
    return -1;
  pagetable_t leaf = l1_leaf(*pl1);
  int valid = (*pl1 & PTE_V) != 0;
  if(valid && page_of((uint64)leaf)->early > 0)
    settle_leaf(parent, leaf, base, npte);
  if(!(valid && leaf_shared(leaf))){
    *pl1 = PA2PTE(leaf) | PTE_PENDING;
    valid = 0;
  }
  page_ref((uint64)leaf);
  *cl1 = PA2PTE(leaf) | (valid ? PTE_V : PTE_PENDING);
  n->tables++;
  return 0;
}

// Fork the parent's leaf table for the region at base (its level-1 entry
// is *pl1) into child: pages the parent may write are copied now if the
// policy says so (ask: the policy is asked; else the region is shared)
// and a page is free, else shared (both PTEs read-only and COW);
// read-only pages are shared. Only pages below end (the parent's size)
// are looked at. Returns 0, or -1 if the child's leaf table could not
// be allocated.
static int
fork_leaf(struct proc *parent, struct proc *child, uint64 base,
          pte_t *pl1, uint64 end, int ask, struct forkcount *n)
{
  uint64 mask[POLICY_MASK_WORDS];
  int answer = ask ? policy_fork_region(parent, base, mask) : FORK_SHARE;
  int npte = end - base >= REGION_SIZE ? 512 : (end - base) / PGSIZE;
  if(ptshare && answer != FORK_SHARE && !kfree_above(n->reserve))
    answer = FORK_SHARE;   // a private table for copies: no page for it
  if(ptshare && answer == FORK_SHARE)
    return share_leaf(parent, child, base, pl1, npte, n);
  // Some copies, with ptshare: left to the region's first write
  // (forkplan.c), so that the table is shared all the same. A region
  // copied whole gets its private table now (its copies dwarf the
  // table's), and so does one no plan can be made for.
  if(ptshare && answer == FORK_SOME && plan_make(parent, child, base, mask) == 0){
    if(share_leaf(parent, child, base, pl1, npte, n) == 0)
      return 0;
    plan_put(plan_take(parent, base));   // the child's goes with it
    return -1;
  }
  if(!ptshare && n->reserve > 0)
    n->reserve--;   // this region's table, taken now
  pagetable_t src = l1_resolve(parent, pl1);
  pagetable_t dst = leaf_table(child->pagetable, base, 1);
  if(src == 0 || dst == 0)
    return -1;
  uint64 shared = 0;
  struct enote cn = { 0, 0, 0 }, pn = { 0, 0, 0 };
  // The parent's early copies here settle in runs (settle.h), as at
  // unmap: one call to the policy for pages that settle alike.
  struct settlerun sr = { parent, src, base, 0, 0, 0 };
  for(int i = 0; i < npte; ){
    int j = next_wanted(answer, mask, i, npte);
    shared += share_run(&sr, src, dst, i, j);
    if(j == npte)
      break;
    if(!copy_wanted(&sr, src, dst, j, answer, n, &cn, &pn))
      shared += share_run(&sr, src, dst, j, j + 1);
    i = j + 1;
  }
  cow_settle_done(&sr);
  enote_done(dst, &cn);
  enote_done(src, &pn);
  n->shared += shared;
  return 0;
}

// Tell the policy, region by region, which of the parent's pages below
// end were written since they were last shared (bit i of the region's
// mask, as fork_region's): its own pages it dirtied (an early copy too,
// once stored to), and pages it still shares that another process
// copied away at a write fault (marked by wp_copy; the marks read are
// cleared). One pass over the parent's leaf tables before this fork's
// questions, made only for a policy that asks (adaptive, at a lineage's
// second fork: what the first child wrote); some 14 instructions a
// page. In a leaf table the parent shares and has not touched since
// (ptshare=1: its entry still pending) only the marks count: its
// writable PTEs, if another process has not made them COW yet, hold the
// dirty bits of before that fork.
static void
tell_written(struct proc *parent, uint64 end)
{
  struct page *pg0 = pages - (page_base >> PGSHIFT);   // pg0[pa >> PGSHIFT]
  uint64 mask[POLICY_MASK_WORDS];
  for(uint64 base = 0; base < end; base += REGION_SIZE){
    pte_t *pl1 = l1_entry(parent->pagetable, base, 0);
    pagetable_t leaf = pl1 ? l1_leaf(*pl1) : 0;
    if(leaf == 0)
      continue;
    int own = (*pl1 & PTE_V) != 0;
    int npte = end - base >= REGION_SIZE ? 512 : (end - base) / PGSIZE;
    int any = 0;
    for(int w = 0; w < POLICY_MASK_WORDS; w++)
      mask[w] = 0;
    for(int i = 0; i < npte; i++){
      pte_t pte = leaf[i];
      if((pte & (PTE_V | PTE_COW)) == (PTE_V | PTE_COW)){
        uint *mark = &pg0[PTE2PA(pte) >> PGSHIFT].erange;
        if(__atomic_load_n(mark, __ATOMIC_RELAXED) == 0)
          continue;
        __atomic_store_n(mark, 0, __ATOMIC_RELAXED);
      } else if(!own || !WRITTEN(pte)){
        continue;
      }
      mask[i / 64] |= 1ULL << (i % 64);
      any = 1;
    }
    if(any)
      policy_fork_written(parent, base, mask);
  }
}

// Give child a copy of parent's user memory [0, parent->sz), sharing or
// copying each page as the policy says. Returns 0, or -1 if memory ran
// out for the child's page tables; then the caller frees what was mapped
// in the child (with child as the owner, so that early copies settle
// against the child).
int
cow_fork(struct proc *parent, struct proc *child)
{
  uint64 t0 = thread_instr();
  struct forkcount n = { 0, 0, 0, 0 };
  int err = 0;
  plan_drop_all(parent);   // this fork's questions replace them
  parent->ask_faults = policy_faults;   // a hush lasts until a fork
  parent->skip_faults = 0;              // and so does a skip
  policy_on_fork(parent, child);
  uint64 end = PGROUNDUP(parent->sz);
  if(policy_tells && policy_fork_tells(parent))
    tell_written(parent, end);
  // What the child's page tables will need at least: a level-1 table per
  // GiB, and (unless fork may share leaf tables) a leaf table per region
  // the parent maps. Early copies and private tables must leave it.
  for(uint64 base = 0; base < end && !ptshare; base += REGION_SIZE){
    pte_t *pl1 = l1_entry(parent->pagetable, base, 0);
    if(pl1 && l1_leaf(*pl1))
      n.reserve++;
  }
  n.reserve += (end + (1UL << 30) - 1) >> 30;
  uint64 ask = policy_fork_next(parent, 0);
  for(uint64 base = 0; base < end && err == 0; base += REGION_SIZE){
    pte_t *pl1 = l1_entry(parent->pagetable, base, 0);
    if(pl1 && l1_leaf(*pl1))
      err = fork_leaf(parent, child, base, pl1, end, base >= ask, &n);
    if(base >= ask)
      ask = policy_fork_next(parent, base + REGION_SIZE);
  }
  tlb_flush(parent);   // the parent's PTEs lost PTE_W
  vmcount(parent, copies_fork, n.copied);
  vmcount(parent, shared, n.shared);
  vmcount(parent, tables_shared, n.tables);
  if(err == 0)
    vmcount(parent, fork_instr, thread_instr() - t0);
  return err;
}

// What resolving one COW PTE came to.
enum { WP_FAILED = -1, WP_NONE, WP_REUSED, WP_COPIED };

// The outcome when no one else holds the page: make it writable in
// place. Returns 1, or 0 if a sibling thread changed the PTE first (cas).
static int
wp_reuse(struct ptguard *g, pte_t *pte, pte_t old)
{
  return pt_set(g, pte, old, (old | PTE_W) & ~PTE_COW);
}

// The outcome when the page is shared: give this page table a private
// copy and drop its hold on the shared page. An early copy (made on the
// policy's advice, for a page not written yet; early is how, EARLY_*)
// starts clean, so that its dirty bit later tells whether it was used;
// its data page is marked, and the caller notes the entry in the leaf
// table (early_note). Returns 1, 0 if a sibling
// thread changed the PTE first (cas: the copy is freed), or -1 if memory
// is out. Inlined into wp_page and run_plan, so into every loop that
// copies pages: as a call it cost some 26 instructions a page copied,
// saving and restoring registers (seqwrite 100% under adaptive: 1.5%).
static inline __attribute__((always_inline)) int
wp_copy(struct ptguard *g, pte_t *pte, pte_t old, int early)
{
  uint64 pa = PTE2PA(old);
  char *mem = dup_page(g->p, pa);
  if(mem == 0)
    return -1;
  int flags = (PTE_FLAGS(old) | PTE_W) & ~PTE_COW;
  if(early)
    flags = (flags & ~PTE_D) | PTE_EARLY;
  if(!pt_set(g, pte, old, PA2PTE(mem) | flags)){
    kfree(mem);
    return 0;
  }
  // Settling (which reads the kind) holds the page table for writing:
  // no one reads it before it is set.
  if(early)
    early_mark((uint64)mem, early);
  // The page stays with the others sharing it: a fork of theirs that
  // asks (tell_written) learns it was written. Marked while still held,
  // so never a page freed meanwhile (kalloc clears it), and only under
  // a policy that may ask. A fork plan's copy is fork's doing, not a
  // write.
  struct page *pg = page_of(pa);
  if(policy_tells && early != EARLY_FORK)
    __atomic_store_n(&pg->erange, 1, __ATOMIC_RELAXED);
  if(page_drop_rec(pg) == 0)
    page_free(pa);
  return 1;
}

// Resolve the COW PTE *pte (like Linux's do_wp_page): the refcount
// decides between taking the page over and copying it. early (an
// EARLY_* kind, or 0) marks a page resolved on the policy's advice. Returns WP_REUSED or
// WP_COPIED; WP_NONE if a sibling thread resolved it first; WP_FAILED if
// it is not a COW page or memory is out. Inlined into its two callers
// (the fault's own page, a window's pages): as a call it cost some 30
// instructions a page resolved, mostly saving and restoring registers.
static inline __attribute__((always_inline)) int
wp_page(struct ptguard *g, pte_t *pte, int early)
{
  for(;;){
    pte_t old = __atomic_load_n(pte, __ATOMIC_ACQUIRE);
    if((old & PTE_COW) == 0)
      return (old & PTE_W) ? WP_NONE : WP_FAILED;
    if(page_holders(PTE2PA(old)) == 1){
      if(wp_reuse(g, pte, old))
        return WP_REUSED;
      continue;
    }
    int r = wp_copy(g, pte, old, early);
    if(r < 0)
      return WP_FAILED;
    if(r > 0)
      return WP_COPIED;
  }
}

// Carry out the fork plan pl (forkplan.c) in leaf, the leaf table of
// its region now private to g's process, except on entry skip (the
// faulting page, which the fault itself resolves). A page whose other
// holder is gone (the other side of the fork took its copy, or exited)
// is made writable in place, as fork marks the parent's side of a copy;
// one still shared is copied by the first side to reach it. Returns the
// number of pages copied.
static int
run_plan(struct ptguard *g, pagetable_t leaf, struct forkplan *pl, int skip)
{
  int copied = 0;
  struct enote e = { 0, 0, 0 };
  for(int w = 0; w < PLAN_WORDS; w++){
    for(uint64 m = pl->mask[w]; m; m &= m - 1){
      int i = w * 64 + lowbit(m);
      int first = plan_first(pl, i);   // the faulting page too: it is reached
      pte_t old = __atomic_load_n(&leaf[i], __ATOMIC_ACQUIRE);
      if(i == skip || (old & (PTE_V | PTE_U | PTE_COW)) != (PTE_V | PTE_U | PTE_COW))
        continue;
      uint64 pa = PTE2PA(old);
      if(page_holders(pa) == 1){
        pte_t mine = (old | PTE_W | PTE_EARLY) & ~(PTE_COW | PTE_D);
        if(pt_set(g, &leaf[i], old, mine)){
          early_mark(pa, EARLY_PARENT);
          enote_add(&e, i);
        }
      } else if(first && wp_copy(g, &leaf[i], old, EARLY_FORK) > 0){
        enote_add(&e, i);
        copied++;
      }
    }
  }
  enote_done(leaf, &e);
  vmcount(g->p, copies_fork, copied);
  return copied;
}

// A window of pages let go (WINDOW_UNSHARED), pages [i, last) of leaf:
// those still COW that no other process holds are made writable in
// place, no copies. Not through wp_page, which reads the PTE and the
// holders again, and out of line, so that fault_around's copying loop
// keeps its registers: some 20 instructions a page taken over, where
// they cost some 38 (`forkexec 4096 21 5 16`, adaptive taking over
// 86,000 pages: 1.085 -> 0.971 of cow). A page taken over starts
// clean, as an early copy does, so that its dirty bit says whether the
// process wrote it after (policy_written_count: the policy judges its
// let-go windows by it; a bit set by an old write said nothing). A page
// a sibling thread changed meanwhile (cas) is left: it faults if still
// COW. Returns 1 if a page was taken over.
static __attribute__((noinline)) int
take_over(struct ptguard *g, pagetable_t leaf, int i, int last)
{
  int took = 0;
  for(; i < last; i++){
    pte_t old = leaf[i];
    if((old & PTE_COW) && page_holders(PTE2PA(old)) == 1)
      took |= pt_set(g, &leaf[i], old, (old | PTE_W) & ~(PTE_COW | PTE_D));
  }
  return took;
}

// Resolve the still-COW neighbours of the faulting page fva (itself
// resolved already, in the leaf table fleaf) in the policy's window
// [start, start + n pages), within p's memory, a leaf table at a time:
// a look without the lock finds the first COW page of the table's part
// of the window (a part with none is left alone, and a shared table is
// not copied for nothing), then one locked lookup gives the private
// table, whose PTEs are resolved in place; the faulting page's own
// table needs neither. A neighbour is advice: when memory runs short
// the rest stay COW and fault later. With unshared (WINDOW_UNSHARED)
// only pages no other process holds are resolved. Returns 1 if a page
// was copied (moved), plus 2 if one was taken over without a copy.
static int
fault_around(struct ptguard *g, uint64 fva, pagetable_t fleaf, uint64 start, int n,
             int unshared)
{
  struct proc *p = g->p;
  start = PGROUNDDOWN(start);
  uint64 end = start + (uint64)n * PGSIZE;
  int moved = 0, away = 0, took = 0;
  if(end > p->sz)
    end = PGROUNDUP(p->sz);
  uint64 next;
  for(uint64 a = start; a < end; a = next){
    next = (a + REGION_SIZE) & ~(REGION_SIZE - 1);
    if(next > end)
      next = end;
    // The faulting page's own leaf table (fleaf) is private and held
    // already, unless another table was taken since.
    int mine = !away && (a & ~(REGION_SIZE - 1)) == (fva & ~(REGION_SIZE - 1));
    pagetable_t look = mine ? fleaf : leaf_table(p->pagetable, a, 0);
    if(look == 0)
      continue;
    int i = PX(0, a), last = i + (next - a) / PGSIZE;
    while(i < last && (look[i] & PTE_COW) == 0)
      i++;
    if(i == last)
      continue;
    pagetable_t leaf = fleaf;
    if(!mine){
      away = 1;
      pte_t *q = pt_fault_pte(g, (a & ~(REGION_SIZE - 1)) + (uint64)i * PGSIZE);
      if(q == 0)
        break;
      leaf = (pagetable_t)PGROUNDDOWN((uint64)q);
    }
    if(unshared){
      took |= take_over(g, leaf, i, last);
      continue;
    }
    struct enote e = { 0, 0, 0 };
    int r = WP_NONE;
    for(; i < last; i++){
      if((leaf[i] & PTE_COW) == 0)
        continue;
      if((r = wp_page(g, &leaf[i], EARLY_AROUND)) == WP_FAILED)
        break;
      if(r == WP_COPIED)
        enote_add(&e, i);
      took |= r == WP_REUSED;
    }
    enote_done(leaf, &e);
    vmcount(p, copies_around, e.count);
    moved |= e.count > 0;
    if(r == WP_FAILED)
      break;
  }
  return moved | took << 1;
}

// A strided window (a policy following a stride, step != 1 pages): the
// still-COW pages start + k*step pages, k < n, other than the faulting
// page fva (in the leaf table fleaf), in window order. As in
// fault_around, a table is taken (and copied, if fork shared it) only
// for a page a look without the lock finds COW, and then kept while the
// window stays in its 2 MiB: a small step resolves many pages of one
// table for one lookup. Pages outside p's memory end the window.
// Returns 1 if a page was copied.
static int
fault_stride(struct ptguard *g, uint64 fva, pagetable_t fleaf, uint64 start,
             int n, int step)
{
  struct proc *p = g->p;
  uint64 fregion = fva & ~(REGION_SIZE - 1), held = 1;   // 1: no table held
  pagetable_t leaf = 0;
  struct enote e = { 0, 0, 0 };
  int away = 0, copied = 0;
  for(int k = 0; k < n; k++){
    uint64 a = PGROUNDDOWN(start) + (long)k * step * PGSIZE;
    if(a >= p->sz)   // past the top, or (step < 0) wrapped below 0
      break;
    uint64 region = a & ~(REGION_SIZE - 1);
    if(a == fva)
      continue;
    if(region != held){
      // Another table: the last one's copies are noted first.
      if(leaf)
        enote_done(leaf, &e);
      e = (struct enote){ 0, 0, 0 };
      leaf = 0;
      held = 1;
      if(!away && region == fregion){
        leaf = fleaf;   // private and held already
      } else {
        pagetable_t look = leaf_table(p->pagetable, a, 0);
        if(look == 0 || (look[PX(0, a)] & PTE_COW) == 0)
          continue;
        away = 1;   // fleaf is no longer held once another is taken
        pte_t *q = pt_fault_pte(g, a);
        if(q == 0)
          break;
        leaf = (pagetable_t)PGROUNDDOWN((uint64)q);
      }
      held = region;
    }
    if((leaf[PX(0, a)] & PTE_COW) == 0)
      continue;
    int r = wp_page(g, &leaf[PX(0, a)], EARLY_AROUND);
    if(r == WP_FAILED)
      break;
    if(r == WP_COPIED){
      // Window order may go down a table: the note keeps lo..hi (not
      // enote_add, whose loops go up; taking min and max there cost
      // contiguous windows some 0.2%).
      if(e.count++ == 0 || PX(0, a) < e.lo)
        e.lo = PX(0, a);
      if(PX(0, a) + 1 > e.hi)
        e.hi = PX(0, a) + 1;
      copied++;
    }
  }
  if(leaf)
    enote_done(leaf, &e);
  vmcount(p, copies_around, copied);
  return copied > 0;
}

// The leaf table mapping va in pt, or 0 (none, or a shared table not yet
// taken over: its PTEs are not the process's own writes). No allocation
// and no lock: what the policy is told below is a hint, and a PTE a
// sibling thread changes meanwhile only makes it stale.
static pagetable_t
leaf_of(pagetable_t pt, uint64 va)
{
  pte_t e = __atomic_load_n(&pt[PX(2, va)], __ATOMIC_RELAXED);
  if((e & PTE_V) == 0)
    return 0;
  e = __atomic_load_n(&((pagetable_t)PTE2PA(e))[PX(1, va)], __ATOMIC_RELAXED);
  if((e & PTE_V) == 0 || leaf_shared((pagetable_t)PTE2PA(e)))
    return 0;
  return (pagetable_t)PTE2PA(e);
}

// The process whose policy state st is (the helpers of policy.h are
// given the state, not the process).
static inline struct proc*
state_proc(void *st)
{
  return (struct proc*)((char*)st - __builtin_offsetof(struct proc, policy_state));
}

// policy.h: the top of the memory of the process whose policy state is st.
uint64
policy_memtop(void *st)
{
  return state_proc(st)->sz;
}

// Written pages dir pages apart (a stride, dir other than 1 and -1):
// policy_written_run's answer, one page at a time. (It would serve
// dir 1 and -1 too, but the loop over a table's entries below costs
// half as much a page, and judging a stream's window counts up to 64:
// one loop for both cost some 0.2% on backwrite and streams.)
static int
written_strided(struct proc *p, uint64 va, int dir, int max)
{
  uint64 a = PGROUNDDOWN(va), region = 1;   // 1: no leaf looked up yet
  pagetable_t leaf = 0;
  int n = 0;
  while(n < max){
    a += (long)dir * PGSIZE;
    if(a >= p->sz)   // past the top, or wrapped below 0
      break;
    if((a & ~(REGION_SIZE - 1)) != region){
      region = a & ~(REGION_SIZE - 1);
      leaf = leaf_of(p->pagetable, a);
    }
    if(leaf == 0 || !WRITTEN(__atomic_load_n(&leaf[PX(0, a)], __ATOMIC_RELAXED)))
      break;
    n++;
  }
  return n;
}

// policy.h: how many pages from va + dir*PGSIZE on, dir pages apart and
// at most max, has the process whose policy state is st written? One
// leaf-table lookup per 2 MiB crossed.
int
policy_written_run(void *st, uint64 va, int dir, int max)
{
  struct proc *p = state_proc(st);
  if(dir != 1 && dir != -1)
    return dir ? written_strided(p, va, dir, max) : 0;
  uint64 a = PGROUNDDOWN(va);
  int n = 0;
  while(n < max){
    a = dir > 0 ? a + PGSIZE : a - PGSIZE;   // below 0 wraps past p->sz
    if(a >= p->sz)
      break;
    pagetable_t leaf = leaf_of(p->pagetable, a);
    if(leaf == 0)
      break;
    // From a on to the end of its leaf table (or of p's memory, whose
    // last page may be partly above p->sz: counted rounded down, that
    // page gave no room, a did not move, and the loop never ended).
    int i = PX(0, a), room = dir > 0 ? 512 - i : i + 1;
    if(dir > 0 && (PGROUNDUP(p->sz) - a) / PGSIZE < room)
      room = (PGROUNDUP(p->sz) - a) / PGSIZE;
    for(int k = 0; k < room; k++){
      if(!WRITTEN(__atomic_load_n(&leaf[i + k * dir], __ATOMIC_RELAXED)) || ++n == max)
        return n;
    }
    a = dir > 0 ? a + (uint64)(room - 1) * PGSIZE : a - (uint64)(room - 1) * PGSIZE;
  }
  return n;
}

// policy.h: how many of the n pages from va on has the process whose
// policy state is st written? One leaf-table lookup: the pages lie in
// one region.
int
policy_written_count(void *st, uint64 va, int n)
{
  struct proc *p = state_proc(st);
  uint64 a = PGROUNDDOWN(va);
  if(n <= 0 || a >= p->sz)
    return 0;
  pagetable_t leaf = leaf_of(p->pagetable, a);
  int i = PX(0, a), got = 0;
  if(leaf == 0)
    return 0;
  if(n > 512 - i)
    n = 512 - i;
  if((PGROUNDUP(p->sz) - a) / PGSIZE < (uint64)n)
    n = (PGROUNDUP(p->sz) - a) / PGSIZE;
  for(int k = 0; k < n; k++)
    got += WRITTEN(__atomic_load_n(&leaf[i + k], __ATOMIC_RELAXED)) != 0;
  return got;
}

// What on_fault is told (policy.h): how many pages just below and just
// above the faulting page va (whose PTE is pte) p has written in a row,
// each up to NEAR_MAX. Away from its table's edges, read next to pte: a
// random write costs a few loads.
static inline int
cow_near(struct proc *p, uint64 va, pte_t *pte)
{
  int i = PX(0, va), below = 0, above = 0;
  if(i < NEAR_MAX || i > 511 - NEAR_MAX){
    if(va >= PGSIZE)
      below = policy_written_run(p->policy_state, va, -1, NEAR_MAX);
    above = policy_written_run(p->policy_state, va, 1, NEAR_MAX);
    return below | above << 2;
  }
  while(below < NEAR_MAX && WRITTEN(pte[-1 - below]))
    below++;
  while(above < NEAR_MAX && WRITTEN(pte[1 + above]))
    above++;
  return below | above << 2;
}

// Ask the policy (one with on_fault: policy_faults) about a COW fault of
// p at va (its PTE pte), whose written neighbours are near: returns the
// window to resolve, n pages *step pages apart from *start (set to va
// and 1 by the caller). A process with one thread needs no lock
// (one_thread): its hook is called from here, with no wrapper's frame
// in between (every COW fault comes here). The PTE is left where
// policy_fault_shared finds it: one store a fault, where reading the
// page's holders for every fault would cost some 6 instructions.
static inline int
policy_on_fault(struct proc *p, pte_t *pte, uint64 va, int near, uint64 *start,
                int *step)
{
  if(one_thread(p)){
    p->fault_pte = pte;
    return policy_fault_hook(p->policy_state, va, near, start, step);
  }
  return policy_on_fault_locked(p, pte, va, near, start, step);
}

// policy.h: within on_fork, about the child or the parent: its COW
// faults are not asked about until it execs or forks. Read without a
// lock at each fault (a sibling thread of the parent may read the old
// value while it forks: a fault asked about, or not, the same).
void
policy_hush_faults(void *st)
{
  state_proc(st)->ask_faults = 0;
}

// policy.h: within on_fault, about the faulting process: its next n COW
// faults are not asked about (skipped counts them down).
void
policy_skip_faults(void *st, uint32 n)
{
  __atomic_store_n(&state_proc(st)->skip_faults, n, __ATOMIC_RELAXED);
}

// Is this COW fault of p one that policy_skip_faults said not to ask
// about? Counts it. Sibling threads may race: one may store over
// another's count, or a new skip (a fault more or less asked about), but
// the count only falls from a nonzero value it read, so never wraps.
static inline int
skipped(struct proc *p)
{
  uint s = __atomic_load_n(&p->skip_faults, __ATOMIC_RELAXED);
  if(s == 0)
    return 0;
  __atomic_store_n(&p->skip_faults, s - 1, __ATOMIC_RELAXED);
  return 1;
}

// policy.h: within on_fault, is the faulting page still held by another
// process (the fault will copy it), or did the others let it go (the
// fault takes it over, a trap and no copy)?
int
policy_fault_shared(void *st)
{
  struct proc *p = state_proc(st);
  return page_holders(PTE2PA(__atomic_load_n(p->fault_pte, __ATOMIC_RELAXED))) > 1;
}

// Is page va one of the window's n pages, step pages apart from start?
static int
window_holds(uint64 va, uint64 start, int n, int step)
{
  long d = (long)(va - PGROUNDDOWN(start)) / PGSIZE;   // pages, may be < 0
  return step != 0 && d % step == 0 && d / step >= 0 && d / step < n;
}

// A store by p to user address va (a store page fault, or copyout) found
// a read-only page. Returns 0 if it was a COW page and is now writable
// (or a sibling thread made it so), -1 if the store is illegal or memory
// is out (the caller kills the process or fails the system call).
int
cow_fault(struct proc *p, uint64 va)
{
  uint64 t0 = thread_instr();
  va = PGROUNDDOWN(va);
  pte_t *pte = walkuser(p->pagetable, va);
  if(pte == 0 || (*pte & (PTE_COW | PTE_W)) == 0)
    return -1;   // not a page this process may write

  struct ptguard g;
  pt_fault_begin(p, &g);
  int r = WP_FAILED, moved = 0, n = 1, planned = 0;
  if((pte = pt_fault_pte(&g, va)) != 0){
    struct forkplan *pl = plan_take(p, va & ~(REGION_SIZE - 1));
    if(pl){
      planned = run_plan(&g, (pagetable_t)PGROUNDDOWN((uint64)pte), pl, PX(0, va));
      plan_put(pl);
    }
    int cow = (*pte & PTE_COW) != 0;
    uint64 start = va;
    int step = 1;
    if(cow){
      vmcount(p, cow_faults, 1);
      if(p->ask_faults && !skipped(p))
        n = policy_on_fault(p, pte, va, cow_near(p, va, pte) | p->after_reuse,
                            &start, &step);
    }
    r = wp_page(&g, pte, 0);
    if(r == WP_REUSED){
      vmcount(p, reuses, 1);
      p->after_reuse = NEAR_AFTER_REUSE;
    }
    if(r == WP_COPIED){
      vmcount(p, copies_fault, 1);
      p->after_reuse = 0;
      moved = 1;
    }
    if(r > WP_NONE && n > 1){
      // (n's flag is taken off here, out of every fault's way.)
      int unshared = n & WINDOW_UNSHARED;
      n &= ~WINDOW_UNSHARED;
      pagetable_t leaf = (pagetable_t)PGROUNDDOWN((uint64)pte);
      if(step == 1 && start <= va && va < start + (uint64)n * PGSIZE){
        int res = fault_around(&g, va, leaf, start, n, unshared);
        moved |= res & 1;
        // A window of pages let go that found none: the pages around
        // are still shared, and the next fault hears of no reuse.
        if(unshared && !(res & 2))
          p->after_reuse = 0;
      } else if(step != 1 && !unshared && window_holds(va, start, n, step))
        moved |= fault_stride(&g, va, leaf, start, n, step);
    }
  }
  pt_fault_end(&g);
  if(r == WP_FAILED)
    return -1;
  // A copy moved a page: other harts may hold the old translation. A page
  // only made writable needs this hart's entry for it dropped (a stale
  // read-only one elsewhere costs a spurious fault at worst); after
  // fault-around several entries changed, and the whole TLB goes.
  if(planned)
    tlb_flush(p);   // the plan's copies moved pages
  else if(moved && n == 1)
    tlb_flush_page(p, va);
  else if(moved)
    tlb_flush(p);
  else if(n == 1)
    tlb_local_page(p, va);
  else
    tlb_local(p);
  vmcount(p, fault_instr, thread_instr() - t0);
  return 0;
}
