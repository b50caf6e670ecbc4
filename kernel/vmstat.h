#ifndef VMSTAT_H
#define VMSTAT_H
// Memory counters reported by the vmstat system call (see DESIGN.md).
// Every field is a 64-bit count; the order is the order vmstat prints.

#define VM_SELF     0   // the calling process
#define VM_CHILDREN 1   // its waited-for descendants, folded in at wait
#define VM_SYSTEM   2   // everything since boot

struct vmstat {
  uint64 faults;         // user page faults of any cause
  uint64 cow_faults;     // store faults on COW pages (includes reuses)
  uint64 reuses;         // COW faults resolved without a copy
  uint64 copies_fork;    // pages copied at fork time
  uint64 copies_fault;   // faulting pages copied in a COW fault
  uint64 copies_around;  // neighbour pages copied by fault-around
  uint64 wasted;         // early copies never written before unmap
  uint64 shared;         // pages shared at fork
  uint64 fork_instr;     // instructions spent in fork
  uint64 fault_instr;    // instructions spent handling COW faults
  uint64 free_pages;     // free physical pages now (same for every who)
  uint64 total_pages;    // physical pages managed by the allocator
};
#endif
