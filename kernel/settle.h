#ifndef SETTLE_H
#define SETTLE_H
// Settling early copies (cow.c) as a process's memory is unmapped
// (vm.c): consecutive pages that settle alike are told to the policy in
// one call, since a process that exits settles thousands. The per-page
// part is inline here, so that unmapping a page costs a few
// instructions more only when it is an early copy.
#include "page.h"
#include "policies/policy.h"

// How an early copy was made: its data page's struct page early field
// (page.h) holds one of these while a PTE maps it with PTE_EARLY.
#define EARLY_AROUND 1   // around a fault
#define EARLY_FORK   2   // at fork, the child's copy
#define EARLY_PARENT 3   // at fork, the parent's page the child's was copied from

// A run of early copies of owner's being settled: entries [first,
// first + n) of the leaf table leaf (the region at base), all alike
// (how, SETTLE_*).
struct settlerun {
  struct proc *owner;
  pagetable_t leaf;
  uint64 base;
  int first, n, how;
};

// How the early copy that pte maps settles (SETTLE_*): whether it was
// written, and how it was made.
static inline int
settle_how(pte_t pte)
{
  int kind = page_of(PTE2PA(pte))->early;
  int how = (pte & PTE_D) ? SETTLE_WRITTEN : 0;
  if(kind == EARLY_FORK)
    how |= SETTLE_FORK;
  else if(kind == EARLY_PARENT)
    how |= SETTLE_FORK | SETTLE_PARENT;
  return how;
}

void cow_settle_done(struct settlerun *r);   // cow.c: settle r's run

// Entry i of r's leaf table, pte, an early copy, is being unmapped, in
// address order. Its kind is read now, while its page is still held.
static inline void
settle_add(struct settlerun *r, int i, pte_t pte)
{
  int how = settle_how(pte);
  if(r->n && how == r->how && i == r->first + r->n){
    r->n++;
    return;
  }
  cow_settle_done(r);
  r->first = i;
  r->n = 1;
  r->how = how;
}
#endif
