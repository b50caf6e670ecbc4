// The vmstat counters: per process (p->vm), per process for its
// waited-for descendants (p->vmchild, like getrusage's RUSAGE_CHILDREN)
// and system-wide (sysvm). Events are counted with vmcount()
// (vmcount.h); this file folds and reads them.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "vmcount.h"

struct vmstat sysvm;

// A waited-for child's counters, its own and its descendants', go into
// its parent's children totals.
void
vmstat_fold(struct proc *parent, struct proc *child)
{
#define FOLD(name, doc) \
  parent->vmchild.name += child->vm.name + child->vmchild.name;
  VMSTAT_COUNTERS(FOLD)
#undef FOLD
}

// Fill st with the counters of who (VM_SELF, VM_CHILDREN, VM_SYSTEM) as
// seen by p. Returns 0, or -1 for an unknown who.
int
vmstat_get(struct proc *p, int who, struct vmstat *st)
{
  struct vmstat *src;
  if(who == VM_SELF)
    src = &p->vm;
  else if(who == VM_CHILDREN)
    src = &p->vmchild;
  else if(who == VM_SYSTEM)
    src = &sysvm;
  else
    return -1;
#define READ(name, doc) st->name = __atomic_load_n(&src->name, __ATOMIC_RELAXED);
  VMSTAT_COUNTERS(READ)
#undef READ
  st->free_pages = kfreepages();
  st->total_pages = ktotalpages();
  st->policy_pages = kmalloc_pages();
  st->alloc_failures = kallocfailures();
  return 0;
}
