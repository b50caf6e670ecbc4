// Sv39 page tables: the kernel's (a direct map of RAM and devices) and
// one per process (user memory, trapframe, trampoline).
// A user address space, from 0 up:
//   text (R X)   data, bss (R W)   guard page (unmapped)   stack (R W)
//   heap (R W, grown by sbrk) ... trapframe, trampoline at the top.
#include "param.h"
#include "types.h"
#include "memlayout.h"
#include "elf.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "vmcount.h"
#include "settle.h"

pagetable_t kernel_pagetable;

extern char etext[];       // end of kernel text, from kernel.ld
extern char trampoline[];  // trampoline.S

// Map sz bytes at va to pa in the kernel page table; boot only.
static void
kvmmap(pagetable_t kpt, uint64 va, uint64 pa, uint64 sz, int perm)
{
  if(mappages(kpt, va, sz, pa, perm) != 0)
    panic("kvmmap");
}

// Build the kernel page table: devices, kernel text read-only, all other
// RAM read-write, the trampoline at the top, and the kernel stacks.
void
kvminit(uint64 ramend)
{
  pagetable_t kpt = kalloc();
  if(kpt == 0)
    panic("kvminit");
  memset(kpt, 0, PGSIZE);
  kvmmap(kpt, VIRT_TEST, VIRT_TEST, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpt, CLINT, CLINT, 0x10000, PTE_R | PTE_W);
  kvmmap(kpt, UART0, UART0, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpt, PLIC, PLIC, 0x400000, PTE_R | PTE_W);
  kvmmap(kpt, KERNBASE, KERNBASE, (uint64)etext - KERNBASE, PTE_R | PTE_X);
  kvmmap(kpt, (uint64)etext, (uint64)etext, ramend - (uint64)etext,
         PTE_R | PTE_W);
  kvmmap(kpt, TRAMPOLINE, (uint64)trampoline, PGSIZE, PTE_R | PTE_X);
  proc_mapstacks(kpt);
  kernel_pagetable = kpt;
}

// Switch this hart to the kernel page table.
void
kvminithart(void)
{
  sfence_vma();   // earlier page-table writes are done
  csrw(satp, MAKE_SATP(kernel_pagetable));
  sfence_vma();   // no stale TLB entries
}

// Returns a new zeroed page, or 0 if memory is out; counted against the
// process the kernel is working for (there is none at boot).
static void*
zalloc(void)
{
  void *pg = kalloc();
  if(pg){
    memset(pg, 0, PGSIZE);
    vmcount(myproc(), pages_zeroed, 1);
  }
  return pg;
}

// Returns a new empty page-table page, or 0 if memory is out.
static pagetable_t
pt_alloc(void)
{
  return zalloc();
}

// Returns the level-1 PTE that points (or would point) at the leaf table
// for va, creating the level-1 table if alloc is set. Returns 0 if va is
// out of range, the level-1 table is missing and alloc is clear, or
// memory is out.
pte_t*
l1_entry(pagetable_t pt, uint64 va, int alloc)
{
  if(va >= MAXVA)
    return 0;
  pte_t *top = &pt[PX(2, va)];
  if((*top & PTE_V) == 0){
    pagetable_t l1;
    if(!alloc || (l1 = pt_alloc()) == 0)
      return 0;
    *top = PA2PTE(l1) | PTE_V;
  }
  return &((pagetable_t)PTE2PA(*top))[PX(1, va)];
}

// Returns the leaf page table (level 0) that maps va, or 0 if there is
// none. With alloc set the caller means to change PTEs in it: a missing
// table is created, and a table shared with other processes (ptshare.c)
// is first replaced by a private copy; 0 then means memory is out.
pagetable_t
leaf_table(pagetable_t pt, uint64 va, int alloc)
{
  pte_t *l1 = l1_entry(pt, va, alloc);
  if(l1 == 0)
    return 0;
  if(*l1 & PTE_PENDING)
    l1_resolve(0, l1);   // a table fork shared: read-only first (ptshare.c)
  if(*l1 & PTE_V){
    pagetable_t leaf = (pagetable_t)PTE2PA(*l1);
    if(alloc && leaf_shared(leaf))
      return leaf_unshare(0, l1);
    return leaf;
  }
  pagetable_t leaf;
  if(!alloc || (leaf = pt_alloc()) == 0)
    return 0;
  *l1 = PA2PTE(leaf) | PTE_V;
  return leaf;
}

// Returns the address of the PTE for va, creating the missing page-table
// pages if alloc is set. Returns 0 if va is out of range or memory is out.
pte_t*
walk(pagetable_t pt, uint64 va, int alloc)
{
  pagetable_t leaf = leaf_table(pt, va, alloc);
  return leaf ? &leaf[PX(0, va)] : 0;
}

// Returns the user PTE for va if it is mapped and user-accessible, else 0.
// For reading only: the PTE may lie in a leaf table shared with other
// processes.
pte_t*
walkuser(pagetable_t pt, uint64 va)
{
  pte_t *pte = walk(pt, va, 0);
  if(pte == 0 || (*pte & (PTE_V | PTE_U)) != (PTE_V | PTE_U))
    return 0;
  return pte;
}

// Is [va, va+len) memory p may read: below its size, and every page
// mapped for the user and readable? A system call checks a whole buffer
// with this before it acts, so that a bad buffer fails the call (-1)
// instead of doing part of it.
int
uvm_readable(struct proc *p, uint64 va, uint64 len)
{
  if(len == 0)
    return 1;
  if(va >= p->sz || len > p->sz - va)
    return 0;
  for(uint64 a = PGROUNDDOWN(va); a < va + len; a += PGSIZE){
    pte_t *pte = walkuser(p->pagetable, a);
    if(pte == 0 || (*pte & PTE_R) == 0)
      return 0;
  }
  return 1;
}

// Map [va, va+size) to physical pages from pa on. va and size must be
// page-aligned. Returns 0, or -1 if a page-table page could not be
// allocated (the pages mapped so far stay mapped).
int
mappages(pagetable_t pt, uint64 va, uint64 size, uint64 pa, int perm)
{
  if((va % PGSIZE) != 0 || (size % PGSIZE) != 0 || size == 0)
    panic("mappages: not aligned");
  for(uint64 a = va; a < va + size; a += PGSIZE, pa += PGSIZE){
    pte_t *pte = walk(pt, a, 1);
    if(pte == 0)
      return -1;
    if(*pte & PTE_V)
      panic("mappages: remap");
    *pte = PA2PTE(pa) | perm | PTE_V;
  }
  return 0;
}

// Does every valid PTE of leaf lie in [lo, hi)?
static int
covers_all(pagetable_t leaf, uint64 lo, uint64 hi)
{
  for(int i = 0; i < 512; i++){
    uint64 a = (lo - lo % REGION_SIZE) + (uint64)i * PGSIZE;
    if((leaf[i] & PTE_V) && (a < lo || a >= hi))
      return 0;
  }
  return 1;
}

// Remove the mappings of npages pages from va on, dropping this page
// table's hold on each user page. Unmapped pages (the stack guard, the
// tail of a failed fork) are skipped. owner is the process whose memory
// this is (0 if none): the COW mechanism settles its early copies. A
// leaf table shared with other processes is dropped whole; the caller
// must have made private any shared leaf the range covers only in part.
void
uvmunmap(pagetable_t pt, uint64 va, uint64 npages, struct proc *owner)
{
  if((va % PGSIZE) != 0)
    panic("uvmunmap: not aligned");
  uint64 end = va + npages * PGSIZE;
  for(uint64 a = va; a < end; ){
    uint64 next = a - a % REGION_SIZE + REGION_SIZE;
    if(next > end)
      next = end;
    pte_t *l1 = l1_entry(pt, a, 0);
    pagetable_t leaf = l1 ? l1_leaf(*l1) : 0;
    if(leaf){
      // A table fork shared, or one still pending from a fork (whose
      // pages hold no early copy to settle), goes whole.
      if(leaf_shared(leaf) || (*l1 & PTE_PENDING)){
        if(!covers_all(leaf, a, next))
          panic("uvmunmap: part of a shared leaf table");
        *l1 = 0;
        leaf_put(leaf);
      } else {
        // Early copies settle (settle.h), runs of them in one call.
        struct settlerun r = { owner, leaf, a - a % REGION_SIZE, 0, 0, 0 };
        for(uint64 b = a; b < next; b += PGSIZE){
          pte_t *pte = &leaf[PX(0, b)];
          if((*pte & PTE_V) == 0)
            continue;
          if(PTE_FLAGS(*pte) == PTE_V)
            panic("uvmunmap: not a leaf");
          if(*pte & PTE_EARLY)
            settle_add(&r, PX(0, b), *pte);
          kfree((void*)PTE2PA(*pte));
          *pte = 0;
        }
        cow_settle_done(&r);
      }
    }
    a = next;
  }
}

// Returns an empty user page table, or 0 if out of memory.
pagetable_t
uvmcreate(void)
{
  return pt_alloc();
}

// Grow user memory from oldsz to newsz with zeroed pages mapped with
// PTE_R|PTE_U|perm. Returns the new size, or 0 (with nothing changed) if
// memory is out.
uint64
uvmalloc(pagetable_t pt, uint64 oldsz, uint64 newsz, int perm)
{
  if(newsz < oldsz)
    return oldsz;
  if(newsz > USERTOP)
    return 0;
  for(uint64 a = PGROUNDUP(oldsz); a < newsz; a += PGSIZE){
    char *mem = zalloc();
    if(mem == 0 ||
       mappages(pt, a, PGSIZE, (uint64)mem, PTE_R | PTE_U | perm) != 0){
      if(mem)
        kfree(mem);
      uvmdealloc(pt, a, oldsz, 0);
      return 0;
    }
  }
  return newsz;
}

// Returns 1 if page-table page t maps nothing.
static int
ptempty(pagetable_t t)
{
  for(int i = 0; i < 512; i++)
    if(t[i])
      return 0;
  return 1;
}

// Free the page-table pages under [lo, hi) that map nothing any more,
// so that memory given back (sbrk shrink, a failed sbrk) comes back
// whole, page tables included.
static void
uvmprune(pagetable_t pt, uint64 lo, uint64 hi)
{
  if(lo >= hi)
    return;
  for(int i2 = PX(2, lo); i2 <= PX(2, hi - 1); i2++){
    if((pt[i2] & PTE_V) == 0 || PTE_FLAGS(pt[i2]) != PTE_V)
      continue;
    pagetable_t l1 = (pagetable_t)PTE2PA(pt[i2]);
    uint64 base = (uint64)i2 << PXSHIFT(2);
    for(int i1 = 0; i1 < 512; i1++){
      uint64 a = base + ((uint64)i1 << PXSHIFT(1));
      if(a + (1UL << PXSHIFT(1)) <= lo || a >= hi)
        continue;
      if((l1[i1] & PTE_V) && PTE_FLAGS(l1[i1]) == PTE_V &&
         ptempty((pagetable_t)PTE2PA(l1[i1]))){
        kfree((void*)PTE2PA(l1[i1]));
        l1[i1] = 0;
      }
    }
    if(ptempty(l1)){
      kfree(l1);
      pt[i2] = 0;
    }
  }
  sfence_vma();   // the caller flushes other harts (tlb_flush)
}

// Shrink owner's user memory from oldsz to newsz, freeing the page-table
// pages left empty. Returns the new size, or oldsz with nothing changed if
// a shared leaf table cut in part could not be made private (memory out).
uint64
uvmdealloc(pagetable_t pt, uint64 oldsz, uint64 newsz, struct proc *owner)
{
  if(newsz >= oldsz)
    return oldsz;
  uint64 cut = PGROUNDUP(newsz);
  if(cut % REGION_SIZE != 0 && cut < PGROUNDUP(oldsz)){
    // Only the leaf holding the new end is cut in part.
    pte_t *l1 = l1_entry(pt, cut, 0);
    if(l1 && (*l1 & PTE_PENDING))
      l1_resolve(owner, l1);
    if(l1 && (*l1 & PTE_V) && leaf_shared((pagetable_t)PTE2PA(*l1)) &&
       leaf_unshare(owner, l1) == 0)
      return oldsz;
  }
  if(PGROUNDUP(newsz) < PGROUNDUP(oldsz)){
    uvmunmap(pt, PGROUNDUP(newsz),
             (PGROUNDUP(oldsz) - PGROUNDUP(newsz)) / PGSIZE, owner);
    uvmprune(pt, PGROUNDUP(newsz), PGROUNDUP(oldsz));
  }
  return newsz;
}

// Free the page-table pages; every leaf must already be unmapped.
static void
freewalk(pagetable_t pt)
{
  for(int i = 0; i < 512; i++){
    pte_t pte = pt[i];
    if((pte & PTE_V) && PTE_FLAGS(pte) == PTE_V){
      freewalk((pagetable_t)PTE2PA(pte));
      pt[i] = 0;
    } else if(pte & PTE_V){
      panic("freewalk: leaf");
    }
  }
  kfree(pt);
}

// Free owner's user memory [0, sz) and the page table itself.
void
uvmfree(pagetable_t pt, uint64 sz, struct proc *owner)
{
  if(sz > 0)
    uvmunmap(pt, 0, PGROUNDUP(sz) / PGSIZE, owner);
  freewalk(pt);
}

// Copy memory between user and kernel. Every user address is checked:
// it must lie below MAXVA, not wrap, and be mapped with PTE_U (and
// readable for copyin, writable or COW for copyout). A bad address makes
// the call return -1; nothing is copied past it.

// Copy len bytes from src to user address dstva. Returns 0 or -1.
int
copyout(pagetable_t pt, uint64 dstva, const void *src, uint64 len)
{
  const char *s = src;
  if(dstva + len < dstva)
    return -1;
  while(len > 0){
    uint64 va0 = PGROUNDDOWN(dstva);
    pte_t *pte = walkuser(pt, va0);
    if(pte == 0)
      return -1;
    if((*pte & PTE_W) == 0){
      // A page shared copy-on-write is written through the same path as
      // a store fault; anything else read-only is an error.
      // The process is the one whose page table this is: only the
      // current process's own memory is written through copyout.
      struct proc *p = myproc();
      if((*pte & PTE_COW) == 0 || p == 0 || p->pagetable != pt ||
         cow_fault(p, va0) != 0)
        return -1;
      pte = walkuser(pt, va0);   // the fault may have moved it (ptshare)
    }
    uint64 n = PGSIZE - (dstva - va0);
    if(n > len)
      n = len;
    memmove((char*)PTE2PA(*pte) + (dstva - va0), s, n);
    *pte |= PTE_A | PTE_D;
    len -= n;
    s += n;
    dstva = va0 + PGSIZE;
  }
  return 0;
}

// Copy len bytes from user address srcva to dst. Returns 0 or -1.
int
copyin(pagetable_t pt, void *dst, uint64 srcva, uint64 len)
{
  char *d = dst;
  if(srcva + len < srcva)
    return -1;
  while(len > 0){
    uint64 va0 = PGROUNDDOWN(srcva);
    pte_t *pte = walkuser(pt, va0);
    if(pte == 0 || (*pte & PTE_R) == 0)
      return -1;
    uint64 n = PGSIZE - (srcva - va0);
    if(n > len)
      n = len;
    memmove(d, (char*)PTE2PA(*pte) + (srcva - va0), n);
    len -= n;
    d += n;
    srcva = va0 + PGSIZE;
  }
  return 0;
}

// Copy a NUL-terminated string of at most max bytes (NUL included) from
// user address srcva to dst. Returns 0, or -1 if the address is bad or no
// NUL was found within max bytes.
int
copyinstr(pagetable_t pt, char *dst, uint64 srcva, uint64 max)
{
  while(max > 0){
    uint64 va0 = PGROUNDDOWN(srcva);
    pte_t *pte = walkuser(pt, va0);
    if(pte == 0 || (*pte & PTE_R) == 0)
      return -1;
    char *p = (char*)PTE2PA(*pte) + (srcva - va0);
    uint64 n = PGSIZE - (srcva - va0);
    if(n > max)
      n = max;
    for(uint64 i = 0; i < n; i++){
      *dst = p[i];
      if(p[i] == 0)
        return 0;
      dst++;
    }
    max -= n;
    srcva = va0 + PGSIZE;
  }
  return -1;
}

// Copy to a user address of the current process (user_dst set) or to a
// kernel address. Returns 0 or -1.
int
either_copyout(int user_dst, uint64 dst, void *src, uint64 len)
{
  if(user_dst)
    return copyout(myproc()->pagetable, dst, src, len);
  memmove((char*)dst, src, len);
  return 0;
}

// Copy from a user address of the current process (user_src set) or
// from a kernel address. Returns 0 or -1.
int
either_copyin(void *dst, int user_src, uint64 src, uint64 len)
{
  if(user_src)
    return copyin(myproc()->pagetable, dst, src, len);
  memmove(dst, (char*)src, len);
  return 0;
}
