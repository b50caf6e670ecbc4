#ifndef PAGE_H
#define PAGE_H
// The metadata record of a physical page (kalloc.c): one per page of
// RAM, found by address arithmetic.
struct page {
  int ref;     // page tables and kernel users holding the page; atomic
  uint lock;   // of a leaf page table: its lock (ptlock=split), 1 while
               // held, taken like spinlock.c's; one word because every
               // page of RAM has one
  int early;   // of a leaf page table: how many of its PTEs carry
               // PTE_EARLY (cow.c), so that fork can tell without a scan
               // whether the table may be shared as it is; atomic. Of a
               // data page mapped with PTE_EARLY: how the copy was made
               // (cow.c's EARLY_*)
  uint erange; // of a leaf page table: entries [lo, hi) hold every
               // PTE_EARLY one (lo in the low half, hi in the high; 0:
               // none yet): fork's settle pass looks there alone. Only
               // widens while the table is private; atomic. Of a shared
               // data page: 1 if a process sharing it copied it away at
               // a write fault since a fork last told of it (cow.c's
               // tell_written); atomic
};

extern struct page *pages;
extern uint64 page_base;    // physical address described by pages[0]

// The record of the RAM page at pa. No check: pa must be a RAM page
// (the fork and fault paths know it is; pa2page() checks).
static inline struct page*
page_of(uint64 pa)
{
  return &pages[(pa - page_base) >> 12];
}

// Add a holder to the RAM page at pa: the fork path's unchecked form of
// page_ref(). A new holder orders nothing, so the add is relaxed.
static inline void
page_hold(uint64 pa)
{
  __atomic_fetch_add(&page_of(pa)->ref, 1, __ATOMIC_RELAXED);
}

// The number of holders of the RAM page at pa: the COW paths' unchecked
// form of page_refcount().
static inline int
page_holders(uint64 pa)
{
  return __atomic_load_n(&page_of(pa)->ref, __ATOMIC_ACQUIRE);
}

// Drop a holder of the RAM page at pa, which is not the last one: the
// COW copy's unchecked form of kfree(), for the shared page it copied.
// Returns the holders left (0 only if another holder let go meanwhile:
// the caller then frees the page).
static inline int
page_drop_rec(struct page *pg)
{
  return __atomic_sub_fetch(&pg->ref, 1, __ATOMIC_ACQ_REL);
}

static inline int
page_drop(uint64 pa)
{
  return page_drop_rec(page_of(pa));
}
#endif
