// The copy-on-write mechanism: how pages are shared at fork, copied or
// reused at a store fault, and accounted. *Which* pages are copied and
// when is the policy's answer (policy.c, policies/policy.h).
//
// A shared page is mapped read-only with PTE_COW in every page table that
// holds it; its refcount (struct page) counts those page tables. A page
// the kernel copied before anyone wrote it (at fork or around a fault) is
// marked early in its struct page and mapped with its dirty bit clear:
// when it leaves the process (unmapped, or shared again by a fork), the
// dirty bit tells whether the copy was used or wasted (settle()).
//
// Fork works a leaf page table at a time: one policy question per 2 MiB
// region, one pass over the parent's 512 PTEs filling the child's leaf
// table, and one TLB flush for the whole fork.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "vmcount.h"
#include "policies/policy.h"

#define WRITABLE(pte) ((pte) & (PTE_W | PTE_COW))

// An early copy at va leaves p: tell the policy whether it was written,
// and count it if it was not.
static void
settle(struct proc *p, uint64 va, pte_t pte)
{
  pa2page(PTE2PA(pte))->early = 0;
  int written = (pte & PTE_D) != 0;
  if(!written)
    vmcount(p, wasted, 1);
  if(p)
    policy_on_settle(p, va, written);
}

// The user page behind pte at va is being unmapped from owner's page
// table (owner may be 0 for a page table no process runs on).
void
cow_unmap(struct proc *owner, pte_t pte, uint64 va)
{
  if((pte & PTE_U) && page_early(PTE2PA(pte)))
    settle(owner, va, pte);
}

// Returns a fresh copy of the page at pa, or 0 if memory is out.
static char*
dup_page(uint64 pa)
{
  char *mem = kalloc();
  if(mem)
    memmove(mem, (char*)pa, PGSIZE);
  return mem;
}

struct forkcount {
  uint64 copied, shared;
};

static int
wants_copy(int answer, uint64 *mask, int i)
{
  if(answer == FORK_COPY)
    return 1;
  return answer == FORK_SOME && ((mask[i / 64] >> (i % 64)) & 1);
}

// Fork the leaf table src of parent, which maps the region at base, into
// child: pages the parent may write are copied now if the policy says so
// and a page is free, else shared (both PTEs read-only and COW); read-only
// pages are shared. Only pages below end (the parent's size) are looked
// at. Returns 0, or -1 if the child's leaf table could not be allocated.
static int
fork_leaf(struct proc *parent, struct proc *child, uint64 base,
          pagetable_t src, uint64 end, struct forkcount *n)
{
  uint64 mask[POLICY_MASK_WORDS];
  int answer = policy_fork_region(parent, base, mask);
  pagetable_t dst = leaf_table(child->pagetable, base, 1);
  if(dst == 0)
    return -1;
  int npte = end - base >= REGION_SIZE ? 512 : (end - base) / PGSIZE;
  for(int i = 0; i < npte; i++){
    pte_t pte = src[i];
    if((pte & PTE_V) == 0)
      continue;
    uint64 pa = PTE2PA(pte);
    if(WRITABLE(pte)){
      char *mem;
      if(wants_copy(answer, mask, i) && (mem = dup_page(pa)) != 0){
        pa2page((uint64)mem)->early = 1;
        dst[i] = PA2PTE(mem) | ((PTE_FLAGS(pte) | PTE_W) & ~(PTE_COW | PTE_D));
        n->copied++;
        continue;
      }
      // Share it. An early copy of the parent's is settled now: after
      // the fork, a write to it is a COW fault, not a use of the copy.
      if(page_early(pa))
        settle(parent, base + (uint64)i * PGSIZE, pte);
      pte = (pte & ~PTE_W) | PTE_COW;
      src[i] = pte;
      n->shared++;
    }
    dst[i] = pte;
    page_ref(pa);
  }
  return 0;
}

// Give child a copy of parent's user memory [0, parent->sz), sharing or
// copying each page as the policy says. Returns 0, or -1 if memory ran
// out for the child's page tables; then the caller frees what was mapped
// in the child (with child as the owner, so that early copies settle
// against the child).
int
cow_fork(struct proc *parent, struct proc *child)
{
  uint64 t0 = r_instret();
  struct forkcount n = { 0, 0 };
  int err = 0;
  policy_on_fork(parent, child);
  uint64 end = PGROUNDUP(parent->sz);
  for(uint64 base = 0; base < end && err == 0; base += REGION_SIZE){
    pagetable_t src = leaf_table(parent->pagetable, base, 0);
    if(src)
      err = fork_leaf(parent, child, base, src, end, &n);
  }
  sfence_vma();   // the parent's PTEs lost PTE_W
  vmcount(parent, copies_fork, n.copied);
  vmcount(parent, shared, n.shared);
  if(err == 0)
    vmcount(parent, fork_instr, r_instret() - t0);
  return err;
}

// One store fault on a COW page being handled.
struct wpfault {
  struct proc *p;
  uint64 va;       // the page
  pte_t *pte;      // its PTE, COW
};

// The outcome when no one else holds the page: make it writable in place.
static void
wp_reuse(pte_t *pte)
{
  *pte = (*pte | PTE_W) & ~PTE_COW;
}

// The outcome when the page is shared: give this page table a private
// copy and drop its hold on the shared page. An early copy (made on the
// policy's advice, for a page not written yet) starts clean, so that its
// dirty bit later tells whether it was used. Returns 0, or -1 if memory
// is out.
static int
wp_copy(pte_t *pte, int early)
{
  uint64 pa = PTE2PA(*pte);
  char *mem = dup_page(pa);
  if(mem == 0)
    return -1;
  int flags = (PTE_FLAGS(*pte) | PTE_W) & ~PTE_COW;
  if(early){
    flags &= ~PTE_D;
    pa2page((uint64)mem)->early = 1;
  }
  *pte = PA2PTE(mem) | flags;
  kfree((void*)pa);
  return 0;
}

// Resolve the faulting page: the refcount decides between the two
// outcomes. Returns 0, or -1 if memory is out.
static int
wp_page(struct wpfault *f)
{
  if(page_refcount(PTE2PA(*f->pte)) == 1){
    wp_reuse(f->pte);
    vmcount(f->p, reuses, 1);
    return 0;
  }
  if(wp_copy(f->pte, 0) != 0)
    return -1;
  vmcount(f->p, copies_fault, 1);
  return 0;
}

// Resolve the still-COW neighbours of the faulting page in the policy's
// window [start, start + n pages), within p's memory. A neighbour is
// advice: when memory runs short the rest stay COW and fault later.
static void
fault_around(struct wpfault *f, uint64 start, int n)
{
  uint64 end = start + (uint64)n * PGSIZE;
  if(end > f->p->sz)
    end = PGROUNDUP(f->p->sz);
  for(uint64 a = start; a < end; a += PGSIZE){
    pte_t *q = walkuser(f->p->pagetable, a);
    if(a == f->va || q == 0 || (*q & PTE_COW) == 0)
      continue;
    if(page_refcount(PTE2PA(*q)) == 1){
      wp_reuse(q);
    } else {
      if(wp_copy(q, 1) != 0)
        break;
      vmcount(f->p, copies_around, 1);
    }
  }
}

// A store by p to user address va (a store page fault, or copyout) found
// a read-only page. Returns 0 if it was a COW page and is now writable,
// -1 if the store is illegal or memory is out (the caller kills the
// process or fails the system call).
int
cow_fault(struct proc *p, uint64 va)
{
  uint64 t0 = r_instret();
  struct wpfault f = { p, PGROUNDDOWN(va), 0 };
  f.pte = walkuser(p->pagetable, f.va);
  if(f.pte == 0 || (*f.pte & PTE_COW) == 0)
    return -1;
  vmcount(p, cow_faults, 1);
  uint64 start;
  int n = policy_on_fault(p, f.va, &start);
  if(wp_page(&f) != 0)
    return -1;
  if(n > 1 && start <= f.va && f.va < start + (uint64)n * PGSIZE)
    fault_around(&f, start, n);
  sfence_vma();
  vmcount(p, fault_instr, r_instret() - t0);
  return 0;
}
