// Small kernel objects (kmalloc/kfree_small): policy state such as a
// lineage's write history, which is far smaller than a page.
//
// Objects of one size class live in slab pages taken from kalloc(). A
// slab page starts with a header (struct slab); the rest is cut into
// equal objects, the free ones linked through their first word. Each
// class keeps a doubly linked list of its pages that have a free
// object. A page whose last object is freed goes back to kalloc() at
// once, so that memory given back by a lineage shows in the free-page
// count exactly (the test suites check it). Requests larger than the
// biggest class get whole pages.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "defs.h"

#define SLAB_HDR 64          // bytes reserved for the header
#define MINCLASS 16
#define MAXCLASS 1024
#define NCLASS   7           // 16, 32, ..., 1024

struct slab {
  struct slab *next, *prev;  // this class's pages with a free object
  void *free;                // free objects of this page
  uint16 size;               // object size
  uint16 inuse;              // objects handed out
  uint16 cap;                // objects the page holds
};

static struct {
  struct spinlock lock;      // protects the lists and every slab header
  struct slab *avail[NCLASS];
} km;

static uint64 npages;        // pages held (slabs and whole pages); atomic

// Returns the number of pages kmalloc holds now.
uint64
kmalloc_pages(void)
{
  return __atomic_load_n(&npages, __ATOMIC_RELAXED);
}

static void*
getpage(void)
{
  void *pg = kalloc();
  if(pg)
    __atomic_fetch_add(&npages, 1, __ATOMIC_RELAXED);
  return pg;
}

static void
putpage(void *pg)
{
  __atomic_fetch_sub(&npages, 1, __ATOMIC_RELAXED);
  kfree(pg);
}

void
kmallocinit(void)
{
  initlock(&km.lock, "kmalloc", LOCK_kmalloc);
}

static int
class_of(uint64 n)
{
  int c = 0;
  for(uint64 sz = MINCLASS; sz < n; sz *= 2)
    c++;
  return c;
}

static void
unlink_slab(struct slab **head, struct slab *s)
{
  if(s->prev)
    s->prev->next = s->next;
  else
    *head = s->next;
  if(s->next)
    s->next->prev = s->prev;
  s->next = s->prev = 0;
}

// A new slab page of objects of size sz, all free. Returns 0 if memory
// is out. Caller holds km.lock.
static struct slab*
slab_new(uint64 sz)
{
  struct slab *s = getpage();
  if(s == 0)
    return 0;
  s->size = sz;
  s->inuse = 0;
  s->cap = (PGSIZE - SLAB_HDR) / sz;
  s->free = 0;
  s->next = s->prev = 0;
  // Link the objects so that the lowest address is handed out first.
  for(int i = s->cap - 1; i >= 0; i--){
    void **obj = (void**)((char*)s + SLAB_HDR + (uint64)i * sz);
    *obj = s->free;
    s->free = obj;
  }
  return s;
}

// Returns n zeroed bytes, or 0 if memory is out.
void*
kmalloc(uint64 n)
{
  if(n == 0)
    n = 1;
  if(n > MAXCLASS){
    if(n > PGSIZE)
      return 0;
    void *pg = getpage();
    if(pg)
      memset(pg, 0, PGSIZE);
    return pg;
  }
  int c = class_of(n);
  acquire(&km.lock);
  struct slab *s = km.avail[c];
  if(s == 0){
    if((s = slab_new(MINCLASS << c)) == 0){
      release(&km.lock);
      return 0;
    }
    km.avail[c] = s;
  }
  void **obj = s->free;
  s->free = *obj;
  s->inuse++;
  if(s->free == 0)
    unlink_slab(&km.avail[c], s);   // full: no longer offers objects
  release(&km.lock);
  memset(obj, 0, s->size);
  return obj;
}

// Free an object from kmalloc (0 is ignored).
void
kmfree(void *v)
{
  if(v == 0)
    return;
  if((uint64)v % PGSIZE == 0){
    putpage(v);   // a whole page: small objects never start a page
    return;
  }
  struct slab *s = (struct slab*)PGROUNDDOWN((uint64)v);
  int c = class_of(s->size);
  acquire(&km.lock);
  if(s->inuse == 0)
    panic("kmfree: slab page has nothing in use");
  int wasfull = s->free == 0;
  *(void**)v = s->free;
  s->free = v;
  s->inuse--;
  if(s->inuse == 0){
    if(!wasfull)
      unlink_slab(&km.avail[c], s);
    release(&km.lock);
    putpage(s);
    return;
  }
  if(wasfull){
    s->next = km.avail[c];
    s->prev = 0;
    if(s->next)
      s->next->prev = s;
    km.avail[c] = s;
  }
  release(&km.lock);
}
