// The copy-on-write mechanism: how pages are shared at fork, copied or
// reused at a store fault, and accounted. *Which* pages are copied and
// when is decided by the policy chosen at boot (policies/policy.h).
//
// A shared page is mapped read-only with PTE_COW in every page table that
// holds it; its refcount (struct page) counts those page tables. A page
// the kernel copied before anyone wrote it (at fork or around a fault) is
// marked early in its struct page, and its PTE's dirty bit starts clear:
// when it is unmapped, the dirty bit tells whether the copy was used or
// wasted.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "policies/policy.h"

struct cow_policy *policy;   // chosen at boot, fixed until power-off
struct vmstat sysvm;         // system-wide counters, updated atomically

// Add n to counter f of process p (if any) and of the system. Only the
// process itself updates p->vm, so that part needs no lock.
#define vmcount(p, f, n) do { \
    if(p) (p)->vm.f += (n); \
    __atomic_fetch_add(&sysvm.f, (n), __ATOMIC_RELAXED); \
  } while(0)

// Choose the policy named by policy=NAME on the command line (default
// cow). An unknown name stops the machine with the list of valid ones.
void
policy_select(void)
{
  char name[32];
  if(bootarg("policy", name, sizeof(name)) == 0)
    safestrcpy(name, "cow", sizeof(name));
  for(int i = 0; cow_policies[i]; i++){
    if(strncmp(cow_policies[i]->name, name, sizeof(name)) == 0){
      policy = cow_policies[i];
      if(policy->init)
        policy->init();
      return;
    }
  }
  printf("unknown cow policy '%s'; valid policies:", name);
  for(int i = 0; cow_policies[i]; i++)
    printf(" %s", cow_policies[i]->name);
  printf("\n");
  poweroff(1);
}

int
policy_param(const char *name, int def)
{
  char buf[24];
  if(bootarg(name, buf, sizeof(buf)) == 0 || buf[0] < '0' || buf[0] > '9')
    return def;
  int n = 0;
  for(char *s = buf; *s; s++){
    if(*s < '0' || *s > '9')
      return def;
    n = n*10 + (*s - '0');
  }
  return n;
}

void*
policy_alloc(void)
{
  void *pg = kalloc();
  if(pg)
    memset(pg, 0, PGSIZE);
  return pg;
}

void
policy_free(void *pg)
{
  kfree(pg);
}

// An early copy at va is leaving p's hands (unmapped, or shared again by
// a fork): tell the policy whether it was written, count it if wasted.
static void
early_settle(struct proc *p, uint64 va, pte_t pte)
{
  struct page *pg = pa2page(PTE2PA(pte));
  pg->early = 0;
  int written = (pte & PTE_D) != 0;
  if(!written)
    vmcount(p, wasted, 1);
  if(p && policy->feedback)
    policy->feedback(p->policy, va, written);
}

// Called by uvmunmap for each user page it is about to drop.
void
cow_unmap(pte_t pte, uint64 va)
{
  if((pte & PTE_U) && is_ram(PTE2PA(pte)) && pa2page(PTE2PA(pte))->early)
    early_settle(myproc(), va, pte);
}

// Give child a copy of parent's user memory: share or copy each page as
// the policy says. Returns 0, or -1 if memory ran out; then the caller
// frees what was mapped in the child (uvmfree) and the policy state has
// been released.
int
cow_fork(struct proc *parent, struct proc *child)
{
  uint64 t0 = r_instret();
  uint64 ncopied = 0, nshared = 0;   // counted once, not per page
  if(policy->fork(parent->policy, &child->policy) != 0)
    return -1;
  for(uint64 va = 0; va < parent->sz; va += PGSIZE){
    pte_t *pte = walk(parent->pagetable, va, 0);
    if(pte == 0 || (*pte & PTE_V) == 0)
      continue;
    uint64 pa = PTE2PA(*pte);
    int flags = PTE_FLAGS(*pte);
    if((flags & (PTE_W | PTE_COW)) && policy->fork_copy(parent->policy, va)){
      char *mem = kalloc();
      if(mem == 0)
        goto fail;
      memmove(mem, (char*)pa, PGSIZE);
      flags = (flags | PTE_W) & ~(PTE_COW | PTE_D);
      if(mappages(child->pagetable, va, PGSIZE, (uint64)mem, flags) != 0){
        kfree(mem);
        goto fail;
      }
      pa2page((uint64)mem)->early = 1;
      ncopied++;
      continue;
    }
    if(flags & (PTE_W | PTE_COW)){
      if(pa2page(pa)->early)
        early_settle(parent, va, *pte);
      *pte = (*pte & ~PTE_W) | PTE_COW;
      flags = PTE_FLAGS(*pte);
      nshared++;
    }
    if(mappages(child->pagetable, va, PGSIZE, pa, flags) != 0)
      goto fail;
    page_ref(pa);
  }
  sfence_vma();   // the parent's PTEs lost PTE_W
  vmcount(parent, copies_fork, ncopied);
  vmcount(parent, shared, nshared);
  vmcount(parent, fork_instr, r_instret() - t0);
  return 0;

fail:
  sfence_vma();
  vmcount(parent, copies_fork, ncopied);
  vmcount(parent, shared, nshared);
  if(policy->exit)
    policy->exit(child->policy);
  child->policy = 0;
  return -1;
}

// Make the COW page behind pte writable for p: take it over if no one
// else holds it, else copy it. around is set for a neighbour resolved by
// fault-around. Returns 0, or -1 if memory is out.
static int
cow_resolve(struct proc *p, pte_t *pte, int around)
{
  uint64 pa = PTE2PA(*pte);
  int flags = (PTE_FLAGS(*pte) | PTE_W) & ~PTE_COW;
  if(page_refcount(pa) == 1){
    *pte = PA2PTE(pa) | flags;
    if(!around)
      vmcount(p, reuses, 1);
    return 0;
  }
  char *mem = kalloc();
  if(mem == 0)
    return -1;
  memmove(mem, (char*)pa, PGSIZE);
  if(around){
    flags &= ~PTE_D;
    pa2page((uint64)mem)->early = 1;
    vmcount(p, copies_around, 1);
  } else {
    vmcount(p, copies_fault, 1);
  }
  *pte = PA2PTE(mem) | flags;
  kfree((void*)pa);   // drop this page table's hold on the shared page
  return 0;
}

// A store to user address va of the current process (a store page fault,
// or copyout) found a read-only page. Returns 0 if it was a COW page and
// is now writable, -1 if the store is illegal or memory is out (the
// caller kills the process or fails the system call).
int
cow_fault(pagetable_t pt, uint64 va)
{
  struct proc *p = myproc();
  uint64 t0 = r_instret();
  va = PGROUNDDOWN(va);
  pte_t *pte = walkuser(pt, va);
  if(pte == 0 || (*pte & PTE_COW) == 0)
    return -1;
  vmcount(p, cow_faults, 1);
  uint64 start = va;
  int n = policy->fault(p->policy, va, &start);
  if(cow_resolve(p, pte, 0) != 0)
    return -1;
  if(n > 1 && start <= va && va < start + (uint64)n*PGSIZE){
    for(uint64 a = start; a < start + (uint64)n*PGSIZE && a < p->sz; a += PGSIZE){
      pte_t *q = walkuser(pt, a);
      if(a == va || q == 0 || (*q & PTE_COW) == 0)
        continue;
      if(cow_resolve(p, q, 1) != 0)
        break;   // memory is short: the neighbours can fault later
    }
  }
  sfence_vma();
  vmcount(p, fault_instr, r_instret() - t0);
  return 0;
}

// Count a user page fault of any cause.
void
cow_count_fault(struct proc *p)
{
  vmcount(p, faults, 1);
}

// Fold a waited-for child's counters into its parent's children totals.
void
vmstat_fold(struct proc *parent, struct proc *child)
{
  uint64 *dst = (uint64*)&parent->vmchild;
  uint64 *a = (uint64*)&child->vm, *b = (uint64*)&child->vmchild;
  for(int i = 0; i < sizeof(struct vmstat) / sizeof(uint64); i++)
    dst[i] += a[i] + b[i];
}

// Fill st with the counters of who (VM_SELF, VM_CHILDREN, VM_SYSTEM) as
// seen by p. Returns 0, or -1 for an unknown who.
int
vmstat_get(struct proc *p, int who, struct vmstat *st)
{
  if(who == VM_SELF)
    *st = p->vm;
  else if(who == VM_CHILDREN)
    *st = p->vmchild;
  else if(who == VM_SYSTEM){
    uint64 *d = (uint64*)st, *s = (uint64*)&sysvm;
    for(int i = 0; i < sizeof(struct vmstat) / sizeof(uint64); i++)
      d[i] = __atomic_load_n(&s[i], __ATOMIC_RELAXED);
  } else
    return -1;
  st->free_pages = kfreepages();
  st->total_pages = ktotalpages();
  return 0;
}
