// Page-table locking for processes with several threads, in three modes
// chosen at boot with ptlock= (options.c). They differ on the COW fault
// path, the one place where threads of a process change PTEs at once:
//
//   mm     one spinlock per address space (p->mmlock), held around the
//          whole fault and every other page-table change, like Linux's
//          old mm->page_table_lock. The default: simplest to reason about.
//   split  faults hold the address space for reading (p->mmrw) and lock
//          only the leaf table they change (a one-word spinlock in the
//          leaf table's struct page), like Linux's split PTE locks.
//   cas    faults hold p->mmrw for reading and take no lock at all: the
//          resolved PTE is installed with a compare-and-swap, and the
//          loser of a race frees its copy and looks again.
//
// In split and cas, changes to the structure (sbrk, fork walking the
// parent, freeing page tables) hold p->mmrw for writing. A process with
// one thread takes no lock in any mode: nothing else can reach its page
// table, and its thread count cannot grow while that thread is busy in
// the kernel. So a single-threaded workload takes the same faults and
// makes the same copies under every mode, and runs nearly the same
// instructions (the full matrix measured a 64 MiB fork differing by
// 0.2% between modes: their code paths around fork and the fault differ
// a little, though no lock is taken).
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "page.h"
#include "vmcount.h"

// ---- the reader-writer spinlock (struct rwspin, spinlock.h) ----------

static void
rw_read_lock(struct rwspin *rw)
{
  push_off();
  uint64 spins = 0;
  for(;;){
    __atomic_fetch_add(&rw->readers, 1, __ATOMIC_ACQUIRE);
    if(__atomic_load_n(&rw->writer, __ATOMIC_ACQUIRE) == 0)
      break;
    // A writer is in or waiting: step back so that it can go first.
    __atomic_fetch_sub(&rw->readers, 1, __ATOMIC_RELEASE);
    while(__atomic_load_n(&rw->writer, __ATOMIC_ACQUIRE)){
      spins++;
      spin_wait();
    }
  }
  lockstat_add(LOCK_mm, spins != 0, spins);
}

static void
rw_read_unlock(struct rwspin *rw)
{
  __atomic_fetch_sub(&rw->readers, 1, __ATOMIC_RELEASE);
  pop_off();
}

static void
rw_write_lock(struct rwspin *rw)
{
  push_off();
  uint64 spins = 0;
  uint zero = 0;
  while(!__atomic_compare_exchange_n(&rw->writer, &zero, 1, 0,
                                     __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)){
    zero = 0;
    spins++;
    spin_wait();
  }
  while(__atomic_load_n(&rw->readers, __ATOMIC_ACQUIRE) != 0){
    spins++;
    spin_wait();
  }
  lockstat_add(LOCK_mm, spins != 0, spins);
}

static void
rw_write_unlock(struct rwspin *rw)
{
  __atomic_store_n(&rw->writer, 0, __ATOMIC_RELEASE);
  pop_off();
}

// ---- a leaf table's own lock (ptlock=split) ---------------------------

static void
leaf_lock(pagetable_t leaf)
{
  push_off();
  uint64 waited = word_lock(&page_of((uint64)leaf)->lock);
  uint64 spins = waited ? waited - 1 : 0;
  lockstat_add(LOCK_pagetable, spins != 0, spins);
}

static void
leaf_unlock(pagetable_t leaf)
{
  word_unlock(&page_of((uint64)leaf)->lock);
  pop_off();
}

// ---- whole-address-space holds: sbrk and fork -------------------------

// Hold p's page table against every other change. Returns what must be
// given to pt_write_unlock.
int
pt_write_lock(struct proc *p)
{
  if(one_thread(p))
    return 0;
  if(ptlock_mode == PTLOCK_MM)
    acquire(&p->mmlock);
  else
    rw_write_lock(&p->mmrw);
  return 1;
}

void
pt_write_unlock(struct proc *p, int held)
{
  if(!held)
    return;
  if(ptlock_mode == PTLOCK_MM)
    release(&p->mmlock);
  else
    rw_write_unlock(&p->mmrw);
}

// ---- the COW fault path -----------------------------------------------

void
pt_fault_begin(struct proc *p, struct ptguard *g)
{
  g->p = p;
  g->leaf = 0;
  g->held = !one_thread(p);
  g->mode = g->held ? ptlock_mode : -1;
  if(g->mode == PTLOCK_MM)
    acquire(&p->mmlock);
  else if(g->held)
    rw_read_lock(&p->mmrw);
}

void
pt_fault_end(struct ptguard *g)
{
  if(g->leaf)
    leaf_unlock(g->leaf);
  g->leaf = 0;
  if(g->mode == PTLOCK_MM)
    release(&g->p->mmlock);
  else if(g->held)
    rw_read_unlock(&g->p->mmrw);
  g->held = 0;
}

// Point *l1 at fresh, a private copy of the shared leaf old, unless
// another thread of the process already replaced it (cas: decided by
// compare-and-swap; other modes: the caller's lock decides). Returns the
// leaf *l1 points at afterwards.
static pagetable_t
install_copy(struct ptguard *g, pte_t *l1, pagetable_t old, pagetable_t fresh)
{
  pte_t want = PA2PTE(old) | PTE_V, mine = PA2PTE(fresh) | PTE_V;
  if(g->mode == PTLOCK_CAS){
    if(!__atomic_compare_exchange_n(l1, &want, mine, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)){
      leaf_put(fresh);   // lost: drop the copy and its holds
      return (pagetable_t)PTE2PA(want);
    }
  } else {
    *l1 = mine;
  }
  leaf_put(old);
  vmcount(g->p, tables_copied, 1);
  return fresh;
}

// Returns the PTE of user page va of the process in a leaf table private
// to it (a shared one is copied first, ptshare.c), with that leaf locked
// in split mode (until the next call or pt_fault_end); or 0 if va is not
// mapped or memory is out.
pte_t*
pt_fault_pte(struct ptguard *g, uint64 va)
{
  pte_t *l1 = l1_entry(g->p->pagetable, va, 0);
  if(g->leaf){
    // Still in the leaf locked last time (fault-around): keep it.
    if(l1 && PTE2PA(*l1) == (uint64)g->leaf && (*l1 & PTE_V)){
      pte_t *pte = &g->leaf[PX(0, va)];
      return (*pte & (PTE_V | PTE_U)) == (PTE_V | PTE_U) ? pte : 0;
    }
    leaf_unlock(g->leaf);
    g->leaf = 0;
  }
  if(l1 == 0)
    return 0;
  l1_resolve(g->p, l1);   // a table fork shared and left pending
  pagetable_t leaf;
  for(;;){
    pte_t e = __atomic_load_n(l1, __ATOMIC_ACQUIRE);
    if((e & PTE_V) == 0)
      return 0;
    leaf = (pagetable_t)PTE2PA(e);
    if(g->mode != PTLOCK_SPLIT)
      break;
    leaf_lock(leaf);
    if(__atomic_load_n(l1, __ATOMIC_ACQUIRE) == e)
      break;
    leaf_unlock(leaf);   // replaced meanwhile by a sibling: look again
  }
  if(leaf_shared(leaf)){
    pagetable_t fresh = leaf_copy(leaf);
    if(fresh == 0){
      if(g->mode == PTLOCK_SPLIT)
        leaf_unlock(leaf);
      return 0;
    }
    if(g->mode == PTLOCK_SPLIT)
      leaf_lock(fresh);   // before a sibling can see it
    pagetable_t now = install_copy(g, l1, leaf, fresh);
    if(g->mode == PTLOCK_SPLIT)
      leaf_unlock(leaf);
    leaf = now;
  }
  if(g->mode == PTLOCK_SPLIT)
    g->leaf = leaf;
  pte_t *pte = &leaf[PX(0, va)];
  if((*pte & (PTE_V | PTE_U)) != (PTE_V | PTE_U))
    return 0;
  return pte;
}

