#ifndef VMCOUNT_H
#define VMCOUNT_H
// Counting events into the vmstat counters (vmstat.c). Every event is
// counted twice: in the process it happened to and in the system-wide
// total. Several threads of a process and several harts update the
// same counters, so both adds are atomic (relaxed: a counter orders
// nothing).
extern struct vmstat sysvm;

#define vmcount(p, f, n) do { \
    uint64 n_ = (n); \
    if(p) __atomic_fetch_add(&(p)->vm.f, n_, __ATOMIC_RELAXED); \
    __atomic_fetch_add(&sysvm.f, n_, __ATOMIC_RELAXED); \
  } while(0)
#endif
