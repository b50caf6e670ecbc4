// The mechanism's boot options (DESIGN.md, "Boot"): orthogonal
// to the policy, valid with every policy, declared here with their
// ranges and defaults and checked with the policy's own parameters
// (bootparam.c). Compiled into the kernel and into the host tool
// user/bootcheck.c.
#include "types.h"
#include "bootparam.h"

int ptshare;       // share leaf page tables at fork (ptshare.c)
int ptlock_mode;   // PTLOCK_*: page-table locking (ptlock.c)
int kalloc_mode;   // KALLOC_*: the page allocator's free lists (kalloc.c)
int heapoff;       // pages left unmapped between a program and its heap

static const struct bootparam options[] = {
  { "ptshare", "fork shares leaf page tables, copied on the first write",
    &ptshare, 0, 0, 1, 0 },
  { "ptlock", "page-table locking of threads' COW faults",
    &ptlock_mode, 0, 0, 0, 0, "mm|split|cas" },
  { "kalloc", "page allocator: one free list, or a cache per hart too",
    &kalloc_mode, 0, 0, 0, 0, "global|percpu" },
  { "heapoff", "pages between a program's end and its heap (exec)",
    &heapoff, 0, 0, 4096, 0 },
  { 0 },
};

const struct bootparam *const mech_params = options;
