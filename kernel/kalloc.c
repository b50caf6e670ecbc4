// Physical page allocator over all of RAM, with one metadata record
// (struct page, page.h) per physical page. A page's refcount counts the
// page tables (and kernel users) holding it: kalloc() returns a page
// held once, page_ref() adds a holder, kfree() drops one and frees the
// page when none is left. Refcounts change with atomic operations, so
// the COW paths take no allocator lock to share or drop a page.
//
// Free pages live on one list under kmem.lock (kalloc=global, the
// default), or, with kalloc=percpu, also in a small cache per hart that
// is refilled from and drained to that list a batch at a time, so that
// harts allocating at once meet on the shared lock once per batch
// instead of once per page. A hart's cache has a lock of its own, which
// only its hart takes, except when memory is so short that the shared
// list is empty: then a hart takes pages from the others' caches, so
// that no free page is out of reach. Either way every free page is
// counted in kfreepages().
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "riscv.h"
#include "defs.h"
#include "page.h"

extern char end[];   // first address after the kernel, from kernel.ld

#define BATCH  32    // pages moved between a hart's cache and the list
#define CACHE  (2 * BATCH)   // most pages a hart keeps

struct run {
  struct run *next;
};

static struct {
  struct spinlock lock;   // protects list and nfree
  struct run *list;
  uint64 nfree;
} kmem;

// A hart's cache (kalloc=percpu).
static struct {
  struct spinlock lock;   // protects list and n
  struct run *list;
  int n;
} cache[NCPU];

struct page *pages;       // one per physical page of RAM
uint64 page_base;
static uint64 ramend, npages;

// Returns pa's metadata record; panics if pa is not a page of RAM.
struct page*
pa2page(uint64 pa)
{
  if(pa < page_base || pa >= ramend || (pa % PGSIZE) != 0)
    panic("pa2page");
  return page_of(pa);
}

int
is_ram(uint64 pa)
{
  return pa >= page_base && pa < ramend;
}

// Move up to n pages from the list *from (holding *count) to *to.
static int
move(struct run **from, struct run **to, int n)
{
  int moved = 0;
  while(moved < n && *from){
    struct run *r = *from;
    *from = r->next;
    r->next = *to;
    *to = r;
    moved++;
  }
  return moved;
}

// Memory is short: take up to BATCH pages from other harts' caches onto
// the list *got. Returns how many. The caller holds no cache lock: two
// harts stealing from each other must not each hold its own while
// waiting for the other's.
static int
steal(int c, struct run **got)
{
  int n = 0;
  for(int h = 0; h < NCPU && n < BATCH; h++){
    if(h == c)
      continue;
    acquire(&cache[h].lock);
    int k = move(&cache[h].list, got, BATCH - n);
    cache[h].n -= k;
    release(&cache[h].lock);
    n += k;
  }
  return n;
}

// Returns a free page taken off the lists, or 0. Its refcount is 0.
static struct run*
take(void)
{
  struct run *r = 0;
  if(kalloc_mode == KALLOC_PERCPU){
    push_off();
    int c = cpuid();
    acquire(&cache[c].lock);
    if(cache[c].n == 0){
      acquire(&kmem.lock);
      int k = move(&kmem.list, &cache[c].list, BATCH);
      kmem.nfree -= k;
      cache[c].n += k;
      release(&kmem.lock);
      if(k == 0){
        struct run *got = 0;
        release(&cache[c].lock);
        int n = steal(c, &got);
        acquire(&cache[c].lock);
        cache[c].n += move(&got, &cache[c].list, n);
      }
    }
    if((r = cache[c].list) != 0){
      cache[c].list = r->next;
      cache[c].n--;
    }
    release(&cache[c].lock);
    pop_off();
    return r;
  }
  acquire(&kmem.lock);
  if((r = kmem.list) != 0){
    kmem.list = r->next;
    kmem.nfree--;
  }
  release(&kmem.lock);
  return r;
}

// Put a page that no one holds any more back on the free lists.
void
page_free(uint64 pa)
{
  struct run *r = (struct run*)pa;
  if(kalloc_mode == KALLOC_PERCPU){
    push_off();
    int c = cpuid();
    acquire(&cache[c].lock);
    r->next = cache[c].list;
    cache[c].list = r;
    if(++cache[c].n > CACHE){
      acquire(&kmem.lock);
      int k = move(&cache[c].list, &kmem.list, BATCH);
      kmem.nfree += k;
      cache[c].n -= k;
      release(&kmem.lock);
    }
    release(&cache[c].lock);
    pop_off();
    return;
  }
  acquire(&kmem.lock);
  r->next = kmem.list;
  kmem.list = r;
  kmem.nfree++;
  release(&kmem.lock);
}

// Hand all RAM after the kernel and the page metadata to the allocator.
void
kinit(uint64 base, uint64 size)
{
  initlock(&kmem.lock, "kmem", LOCK_kalloc);
  for(int c = 0; c < NCPU; c++)
    initlock(&cache[c].lock, "kcache", LOCK_kalloc);
  page_base = base;
  ramend = base + size;
  npages = size / PGSIZE;
  pages = (struct page*)PGROUNDUP((uint64)end);
  uint64 first = PGROUNDUP((uint64)(pages + npages));
  if(first >= ramend)
    panic("kinit: no memory");
  memset(pages, 0, (uint64)(pages + npages) - (uint64)pages);
  // Straight onto the shared list: the harts' caches fill on demand.
  for(uint64 pa = ramend - PGSIZE; pa >= first; pa -= PGSIZE){
    struct run *r = (struct run*)pa;
    r->next = kmem.list;
    kmem.list = r;
    kmem.nfree++;
  }
}

// Allocations that found memory out, since boot (vmstat's
// alloc_failures): a test can tell a round that ran short of memory.
static uint64 nfailed;

// Allocate one 4096-byte page of physical memory, held once. Returns its
// kernel address (equal to its physical address), or 0 if memory is out.
void*
kalloc(void)
{
  struct run *r = take();
  if(r == 0){
    __atomic_fetch_add(&nfailed, 1, __ATOMIC_RELAXED);
    return 0;
  }
  struct page *pg = page_of((uint64)r);
  if(pg->ref != 0)
    panic("kalloc: page in use");
  pg->ref = 1;
  pg->early = 0;
  pg->erange = 0;
  return r;
}

// Add a holder to a page.
void
page_ref(uint64 pa)
{
  if(__atomic_fetch_add(&pa2page(pa)->ref, 1, __ATOMIC_RELAXED) < 1)
    panic("page_ref: free page");
}

// Returns the number of holders of a page.
int
page_refcount(uint64 pa)
{
  return __atomic_load_n(&pa2page(pa)->ref, __ATOMIC_ACQUIRE);
}

// Drop one holder of the page at pa. Returns the number of holders left;
// a page left with none must be given to page_free() by the caller.
int
page_unref(uint64 pa)
{
  int left = __atomic_sub_fetch(&pa2page(pa)->ref, 1, __ATOMIC_ACQ_REL);
  if(left < 0)
    panic("page_unref: page already free");
  return left;
}

// Drop one holder of the page at pa; free it when it was the last.
void
kfree(void *pa)
{
  if(page_unref((uint64)pa) == 0)
    page_free((uint64)pa);
}

// Returns the number of free pages: on the shared list and in every
// hart's cache.
uint64
kfreepages(void)
{
  acquire(&kmem.lock);
  uint64 n = kmem.nfree;
  release(&kmem.lock);
  for(int c = 0; c < NCPU; c++)
    n += __atomic_load_n(&cache[c].n, __ATOMIC_RELAXED);
  return n;
}

// Are more than n pages free? A look without the lock, for advice (an
// early copy must leave the pages a fork still needs): exact when no
// other hart allocates meanwhile.
int
kfree_above(uint64 n)
{
  uint64 free = __atomic_load_n(&kmem.nfree, __ATOMIC_RELAXED);
  for(int c = 0; c < NCPU && free <= n; c++)
    free += __atomic_load_n(&cache[c].n, __ATOMIC_RELAXED);
  return free > n;
}

uint64
kallocfailures(void)
{
  return __atomic_load_n(&nfailed, __ATOMIC_RELAXED);
}

uint64
ktotalpages(void)
{
  return npages;
}
