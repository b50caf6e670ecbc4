// Physical page allocator over all of RAM, with one metadata record
// (struct page) per physical page. A page's refcount counts the page
// tables (and kernel users) holding it: kalloc() returns a page with
// refcount 1, page_ref() adds a holder, kfree() drops one and frees the
// page when none is left. Refcounts change with atomic operations, so the
// COW fault path takes no global lock.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "riscv.h"
#include "defs.h"

extern char end[];   // first address after the kernel, from kernel.ld

struct run {
  struct run *next;
};

static struct {
  struct spinlock lock;   // protects freelist and nfree
  struct run *freelist;
  uint64 nfree;
} kmem;

struct page *pages;       // one per physical page of RAM
static uint64 rambase, ramend, npages;

// Returns pa's metadata record; pa must be a RAM page.
struct page*
pa2page(uint64 pa)
{
  if(pa < rambase || pa >= ramend || (pa % PGSIZE) != 0)
    panic("pa2page");
  return &pages[(pa - rambase) / PGSIZE];
}

// Hand all RAM after the kernel and the page table to the allocator.
void
kinit(uint64 base, uint64 size)
{
  initlock(&kmem.lock, "kmem");
  rambase = base;
  ramend = base + size;
  npages = size / PGSIZE;
  pages = (struct page*)PGROUNDUP((uint64)end);
  uint64 first = PGROUNDUP((uint64)(pages + npages));
  if(first >= ramend)
    panic("kinit: no memory");
  memset(pages, 0, (uint64)(pages + npages) - (uint64)pages);
  for(uint64 pa = first; pa + PGSIZE <= ramend; pa += PGSIZE){
    pa2page(pa)->ref = 1;
    kfree((void*)pa);
  }
}

// Allocate one 4096-byte page of physical memory. Returns its kernel
// address (equal to its physical address), or 0 if memory is out.
void*
kalloc(void)
{
  acquire(&kmem.lock);
  struct run *r = kmem.freelist;
  if(r){
    kmem.freelist = r->next;
    kmem.nfree--;
  }
  release(&kmem.lock);
  if(r){
    struct page *pg = pa2page((uint64)r);
    if(pg->ref != 0)
      panic("kalloc: page in use");
    memset(pg, 0, sizeof(*pg));
    pg->ref = 1;
  }
  return r;
}

// Add a holder to a page.
void
page_ref(uint64 pa)
{
  if(__atomic_fetch_add(&pa2page(pa)->ref, 1, __ATOMIC_ACQ_REL) < 1)
    panic("page_ref: free page");
}

// Returns the number of holders of a page.
int
page_refcount(uint64 pa)
{
  return __atomic_load_n(&pa2page(pa)->ref, __ATOMIC_ACQUIRE);
}

// Drop one holder of the page at pa; free it when it was the last.
void
kfree(void *pa)
{
  int left = __atomic_sub_fetch(&pa2page((uint64)pa)->ref, 1, __ATOMIC_ACQ_REL);
  if(left < 0)
    panic("kfree: page already free");
  if(left > 0)
    return;
  struct run *r = (struct run*)pa;
  acquire(&kmem.lock);
  r->next = kmem.freelist;
  kmem.freelist = r;
  kmem.nfree++;
  release(&kmem.lock);
}

uint64
kfreepages(void)
{
  acquire(&kmem.lock);
  uint64 n = kmem.nfree;
  release(&kmem.lock);
  return n;
}

uint64
ktotalpages(void)
{
  return npages;
}

int
is_ram(uint64 pa)
{
  return pa >= rambase && pa < ramend;
}

// Is the page at pa an early copy not yet settled (cow.c)?
int
page_early(uint64 pa)
{
  return is_ram(pa) && pa2page(pa)->early;
}
