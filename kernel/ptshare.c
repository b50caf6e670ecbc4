// On-demand page-table sharing (ptshare=1; after On-demand-fork, Zhao et
// al., EuroSys'21). At fork, a leaf page table whose 2 MiB region the
// policy does not want copied is not filled in for the child: parent
// and child point at the same leaf table. The leaf table's own refcount
// (its struct page) counts the page tables that point at it; the data
// pages it maps are held once, by the table, however many processes
// share it.
//
// The writable pages of a shared table must become read-only and COW.
// Sv39 has no write-protect bit in a level-1 entry (x86's PMD has one),
// so doing that at fork would cost a pass over 512 PTEs per region. Fork
// defers it instead: it clears V in the parent's and the child's
// level-1 entries and marks them PTE_PENDING. The first touch of the
// region by either process (a fault, or a kernel walk such as copyin)
// resolves the entry (l1_resolve): it makes the table's writable PTEs
// COW, in place (idempotent, so whoever comes first does the work and
// the rest find nothing to change), and sets V again. Fork is then
// O(regions), not O(pages). Early copies in the table (PTE_EARLY,
// counted in its struct page with a range that holds them) are settled
// against the parent at fork and made COW there and then (cow.c); a
// region the policy wants some pages of copied is shared too, its
// copies left to the first write there (forkplan.c).
//
// A shared leaf is never otherwise changed in place. Whoever means to
// change a PTE in it (a COW fault, sbrk growing into it, a partial
// unmap) first gives its page table a private copy (leaf_copy, then
// leaf_unshare or ptlock.c), taking a hold on each data page; the shared
// one loses a holder. The last holder of a shared table drops the data
// pages with it (leaf_put).
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "vmcount.h"
#include "page.h"

// Is the leaf table at leaf held by more than one process?
int
leaf_shared(pagetable_t leaf)
{
  return page_refcount((uint64)leaf) > 1;
}

// Make every writable PTE of leaf read-only and COW. Idempotent: several
// processes may do it at once.
static void
leaf_protect(pagetable_t leaf)
{
  for(int i = 0; i < 512; i++){
    pte_t e = leaf[i];
    if((e & (PTE_V | PTE_W)) == (PTE_V | PTE_W))
      leaf[i] = (e & ~PTE_W) | PTE_COW;
  }
}

// Is *l1 a level-1 entry that points at a leaf table, pending or valid?
// Returns the table, or 0.
pagetable_t
l1_leaf(pte_t e)
{
  if((e & PTE_V) || (e & PTE_PENDING))
    return (pagetable_t)PTE2PA(e);
  return 0;
}

// If *l1 is pending, resolve it: make its leaf table's writable pages
// COW and mark the entry valid. Returns the leaf table *l1 points at, or
// 0 if none. owner (may be 0) is counted as having taken the fault.
pagetable_t
l1_resolve(struct proc *owner, pte_t *l1)
{
  for(;;){
    pte_t e = __atomic_load_n(l1, __ATOMIC_ACQUIRE);
    if((e & PTE_V) || !(e & PTE_PENDING))
      return (e & PTE_V) ? (pagetable_t)PTE2PA(e) : 0;
    pagetable_t leaf = (pagetable_t)PTE2PA(e);
    leaf_protect(leaf);
    pte_t valid = PA2PTE(leaf) | PTE_V;
    if(__atomic_compare_exchange_n(l1, &e, valid, 0, __ATOMIC_ACQ_REL,
                                   __ATOMIC_ACQUIRE)){
      vmcount(owner, table_faults, 1);
      return leaf;
    }
  }
}

// A page fault of p at va: if it is the first touch of a region whose
// table fork shared, resolve it. Returns 1 if it was, 0 if not.
int
l1_fault(struct proc *p, uint64 va)
{
  pte_t *l1 = va < MAXVA ? l1_entry(p->pagetable, va, 0) : 0;
  if(l1 == 0 || !(*l1 & PTE_PENDING) || (*l1 & PTE_V))
    return 0;
  l1_resolve(p, l1);
  return 1;
}

// Drop one holder of the leaf table; the last one also drops the
// table's hold on every page it maps, then frees it.
void
leaf_put(pagetable_t leaf)
{
  if(page_unref((uint64)leaf) > 0)
    return;
  for(int i = 0; i < 512; i++){
    if(leaf[i] & PTE_V){
      kfree((void*)PTE2PA(leaf[i]));
      leaf[i] = 0;
    }
  }
  page_free((uint64)leaf);
}

// Returns a private copy of the leaf table old, holding each page it
// maps once more; or 0 if memory is out.
pagetable_t
leaf_copy(pagetable_t old)
{
  pagetable_t new = kalloc();
  if(new == 0)
    return 0;
  vmcount(myproc(), pages_copied, 1);
  for(int i = 0; i < 512; i++){
    new[i] = old[i];
    if(old[i] & PTE_V)
      page_hold(PTE2PA(old[i]));
  }
  return new;
}

// The leaf table that *l1 points at is shared: give the page table that
// holds l1 a private copy of it (owner, if not 0, is the process whose
// table it is, for the counters). The caller keeps siblings threads away
// (ptlock.c does this for the fault path). Returns the copy, or 0 if
// memory is out (nothing changed).
pagetable_t
leaf_unshare(struct proc *owner, pte_t *l1)
{
  pagetable_t old = (pagetable_t)PTE2PA(*l1);
  pagetable_t new = leaf_copy(old);
  if(new == 0)
    return 0;
  *l1 = PA2PTE(new) | PTE_V;
  leaf_put(old);
  vmcount(owner, tables_copied, 1);
  return new;
}
