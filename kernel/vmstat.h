#ifndef VMSTAT_H
#define VMSTAT_H
// Memory counters reported by the vmstat system call (DESIGN.md,
// "Measurements"). The list below is the one definition of the
// counters: struct vmstat, the kernel's folding and reading, user
// vmstat's names and the workloads' @result lines are all generated
// from it, so a counter added here appears everywhere.

#define VM_SELF     0   // the calling process
#define VM_CHILDREN 1   // its waited-for descendants, folded in at wait
#define VM_SYSTEM   2   // everything since boot

// X(name, meaning) for every counter; all are 64-bit event counts.
#define VMSTAT_COUNTERS(X) \
  X(faults,        "user page faults of any cause") \
  X(cow_faults,    "store faults on COW pages (includes reuses)") \
  X(reuses,        "COW faults resolved without a copy") \
  X(copies_fork,   "pages copied at fork time") \
  X(copies_fault,  "faulting pages copied in a COW fault") \
  X(copies_around, "neighbour pages copied by fault-around") \
  X(wasted,        "early copies never written before unmap") \
  X(shared,        "pages shared at fork") \
  X(tables_shared, "leaf page tables shared at fork (ptshare=1)") \
  X(tables_copied, "shared leaf page tables made private again") \
  X(tlb_flushes,   "TLB flushes after COW and fork page-table changes") \
  X(shootdowns,    "flushes asked of other harts running the process") \
  X(fork_instr,    "instructions spent in fork") \
  X(fault_instr,   "instructions spent handling COW faults")

struct vmstat {
#define VMSTAT_FIELD(name, doc) uint64 name;
  VMSTAT_COUNTERS(VMSTAT_FIELD)
#undef VMSTAT_FIELD
  uint64 free_pages;     // free physical pages now (same for every who)
  uint64 total_pages;    // physical pages managed by the allocator
  uint64 policy_pages;   // pages holding policy state now (histories)
};
#endif
