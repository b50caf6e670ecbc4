// On-demand page-table sharing (ptshare=1; after On-demand-fork, Zhao et
// al., EuroSys'21). At fork, a leaf page table whose 2 MiB region the
// policy does not want copied is not filled in for the child: parent
// and child point at the same leaf table, its writable entries made
// read-only and COW once, in place (cow.c). The leaf table's own
// refcount (its struct page) counts the page tables that point at it;
// the data pages it maps are held once, by the table, however many
// processes share it.
//
// A shared leaf is never changed in place. Whoever means to change a
// PTE in it (a COW fault, sbrk growing into it, a partial unmap) first
// calls leaf_unshare(): a private copy of the table, taking a hold on
// each data page, replaces it in the process's level-1 table, and the
// shared one loses a holder. The last holder of a shared table drops
// the data pages with it (leaf_put).
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "vmcount.h"

// Is the leaf table at leaf held by more than one process?
int
leaf_shared(pagetable_t leaf)
{
  return page_refcount((uint64)leaf) > 1;
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
      page_ref(PTE2PA(old[i]));
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
