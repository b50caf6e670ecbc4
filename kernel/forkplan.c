// Fork copies deferred to the first write (ptshare=1).
//
// With page-table sharing, a fork that copies some pages of a 2 MiB
// region would have to give the child a private leaf table for them:
// a pass over 512 PTEs, tens of thousands of instructions where sharing
// the table costs a few. The first write into a shared region faults
// anyway (ptshare.c), so fork shares the table and leaves a plan with
// both processes instead: the policy's mask of pages to copy. The first
// write fault of either process in the region carries the plan out
// (cow.c, run_plan): the first side to reach a page the plan names gets
// the copy; the second finds the page its own (the copy took the other
// hold) and makes it writable in place, the way fork marks the parent's
// side of a copy. A process that never writes the region never copies.
// When a process has no free slot or the pool is empty, fork gives the
// region a private table and copies at once, as without ptshare.
//
// A plan is shared by the two processes of one fork (refcounted) and
// lives until both have run or dropped it. A process drops its plans
// when it forks again (the new fork's question replaces them), execs or
// is freed.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "forkplan.h"

// Plans come from a fixed pool (a fork makes one per region it leaves
// copies in, and kmalloc would take and give back a slab page each
// time). Every process holding NPLAN, each plan held by one of them
// alone, would take NPROC * NPLAN: half is plenty, and running out only
// costs the deferral.
#define NPLANS (NPROC * NPLAN / 2)
static struct forkplan pool[NPLANS];
static struct forkplan *freeplans;
static struct spinlock planlock;

void
planinit(void)
{
  initlock(&planlock, "forkplan", LOCK_other);
  for(int i = 0; i < NPLANS; i++){
    pool[i].next = freeplans;
    freeplans = &pool[i];
  }
}

static struct forkplan*
plan_new(uint64 base, const uint64 *mask)
{
  acquire(&planlock);
  struct forkplan *pl = freeplans;
  if(pl)
    freeplans = pl->next;
  release(&planlock);
  if(pl == 0)
    return 0;
  pl->ref = 2;
  pl->base = base;
  for(int i = 0; i < PLAN_WORDS; i++){
    pl->mask[i] = mask[i];
    pl->taken[i] = 0;
  }
  return pl;
}

void
plan_put(struct forkplan *pl)
{
  if(pl == 0 || __atomic_sub_fetch(&pl->ref, 1, __ATOMIC_ACQ_REL) != 0)
    return;
  acquire(&planlock);
  pl->next = freeplans;
  freeplans = pl;
  release(&planlock);
}

// A free slot of p's, or -1. Only fork fills slots, with p's page table
// held for writing, so a slot found free stays free until filled.
static int
free_slot(struct proc *p)
{
  for(int s = 0; s < NPLAN; s++)
    if(__atomic_load_n(&p->plans[s], __ATOMIC_RELAXED) == 0)
      return s;
  return -1;
}

// Leave the copies mask asks for in the region at base to the first
// write there, by parent or child. Returns 0, or -1 if either has no
// free slot or memory is out (the caller then copies at once or not at
// all).
int
plan_make(struct proc *parent, struct proc *child, uint64 base,
          const uint64 *mask)
{
  int ps = free_slot(parent), cs = free_slot(child);
  if(ps < 0 || cs < 0)
    return -1;
  struct forkplan *pl = plan_new(base, mask);
  if(pl == 0)
    return -1;
  __atomic_store_n(&parent->plans[ps], pl, __ATOMIC_RELEASE);
  __atomic_store_n(&child->plans[cs], pl, __ATOMIC_RELEASE);
  __atomic_fetch_add(&parent->nplans, 1, __ATOMIC_RELAXED);
  __atomic_fetch_add(&child->nplans, 1, __ATOMIC_RELAXED);
  return 0;
}

// Take p's plan for the region at base out of p's slots, if it has
// one: only one of p's threads gets it. The caller runs it and puts it.
struct forkplan*
plan_take(struct proc *p, uint64 base)
{
  if(__atomic_load_n(&p->nplans, __ATOMIC_RELAXED) == 0)
    return 0;
  for(int s = 0; s < NPLAN; s++){
    struct forkplan *pl = __atomic_load_n(&p->plans[s], __ATOMIC_ACQUIRE);
    if(pl == 0 || pl->base != base)
      continue;
    if(__atomic_compare_exchange_n(&p->plans[s], &pl, 0, 0, __ATOMIC_ACQ_REL,
                                   __ATOMIC_RELAXED)){
      __atomic_fetch_sub(&p->nplans, 1, __ATOMIC_RELAXED);
      return pl;
    }
  }
  return 0;
}

// Drop every plan p holds (it forks again, execs or is freed).
void
plan_drop_all(struct proc *p)
{
  for(int s = 0; s < NPLAN && __atomic_load_n(&p->nplans, __ATOMIC_RELAXED); s++){
    struct forkplan *pl = __atomic_exchange_n(&p->plans[s], 0, __ATOMIC_ACQ_REL);
    if(pl){
      __atomic_fetch_sub(&p->nplans, 1, __ATOMIC_RELAXED);
      plan_put(pl);
    }
  }
}

// Is the caller the first of the plan's two sides to act on page i?
int
plan_first(struct forkplan *pl, int i)
{
  uint64 bit = 1ULL << (i % 64);
  return (__atomic_fetch_or(&pl->taken[i / 64], bit, __ATOMIC_ACQ_REL) & bit) == 0;
}
