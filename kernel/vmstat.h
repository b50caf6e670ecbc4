#ifndef VMSTAT_H
#define VMSTAT_H
// Memory counters reported by the vmstat system call (DESIGN.md,
// "Measurements"). The trap, flush, zero and copy counts are the inputs
// of the analysis's cost model; the TLB flushes of the trampoline at
// every crossing between user and kernel mode are part of a trap, not
// counted as sfence_all. The list below is the one definition of the
// counters: struct vmstat, the kernel's folding and reading, user
// vmstat's names and the workloads' @result lines are all generated
// from it, so a counter added here appears everywhere.

#define VM_SELF     0   // the calling process
#define VM_CHILDREN 1   // its waited-for descendants, folded in at wait
#define VM_SYSTEM   2   // everything since boot

// X(name, meaning) for every counter; all are 64-bit event counts.
#define VMSTAT_COUNTERS(X) \
  X(faults,        "user page faults of any cause") \
  X(cow_faults,    "stores to COW pages resolved: user store faults, and copyout into a COW page (no trap); includes reuses") \
  X(reuses,        "COW faults resolved without a copy") \
  X(copies_fork,   "pages copied at fork time") \
  X(copies_fault,  "faulting pages copied in a COW fault") \
  X(copies_around, "neighbour pages copied by fault-around") \
  X(wasted,        "early copies never written before unmap") \
  X(shared,        "pages shared at fork") \
  X(tables_shared, "leaf page tables shared at fork (ptshare=1)") \
  X(tables_copied, "shared leaf page tables made private again") \
  X(table_faults,  "first touches of a region whose table fork shared") \
  X(traps_syscall, "traps from user mode: system calls") \
  X(traps_fault,   "traps from user mode: exceptions (page faults, ...)") \
  X(traps_intr,    "interrupts taken (timer, devices, IPIs)") \
  X(sfence_all,    "whole-TLB flushes after page-table changes") \
  X(sfence_page,   "one-page TLB flushes after page-table changes") \
  X(shootdowns,    "flushes asked of other harts running the process") \
  X(pages_zeroed,  "pages the kernel zeroed (new memory, page tables)") \
  X(pages_copied,  "pages the kernel copied (COW, fork, page tables)") \
  X(fork_instr,    "instructions spent in fork") \
  X(fault_instr,   "instructions spent handling COW faults") \
  X(intr_instr,    "instructions spent on interrupts and the preemption they cause (one hart only)")

struct vmstat {
#define VMSTAT_FIELD(name, doc) uint64 name;
  VMSTAT_COUNTERS(VMSTAT_FIELD)
#undef VMSTAT_FIELD
  uint64 free_pages;     // free physical pages now (same for every who)
  uint64 total_pages;    // physical pages managed by the allocator
  uint64 policy_pages;   // pages holding policy state now (histories)
  uint64 alloc_failures; // page allocations that found memory out, since boot
};
#endif
