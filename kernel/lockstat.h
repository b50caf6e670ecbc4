#ifndef LOCKSTAT_H
#define LOCKSTAT_H
// Lock statistics, in the spirit of Linux's lock_stat: for every class of
// lock, how often one was taken, how often the taker had to wait, and how
// many times it went round the waiting loop. Read (and reset) with the
// lockstat system call; the user program lockstat prints them. The list
// below is the one definition of the classes: the kernel's enum, the
// counters and the names the user side prints come from it.

// X(name, what the class covers)
#define LOCK_CLASSES(X) \
  X(other,     "locks given no class") \
  X(kalloc,    "the page allocator's free list") \
  X(pagetable, "page-table locks: one per address space (ptlock=mm) or per leaf table (split)") \
  X(mm,        "address-space structure (sbrk, exec) against faults (ptlock=split, cas)") \
  X(policy,    "a process's COW policy state") \
  X(proc,      "the process table: fork, exit, wait, kill") \
  X(sched,     "the scheduler: run queue, sleep and wakeup") \
  X(fs,        "the file system's inode table and inodes") \
  X(file,      "open files and pipes") \
  X(console,   "console and UART") \
  X(kmalloc,   "the small-object allocator") \
  X(tlb,       "TLB shootdown requests")

enum lockclass {
#define LOCK_ENUM(name, doc) LOCK_##name,
  LOCK_CLASSES(LOCK_ENUM)
#undef LOCK_ENUM
  NLOCKCLASS
};

struct lockcount {
  uint64 acquired;    // times a lock of the class was taken
  uint64 contended;   // of those, times the taker found it held
  uint64 spins;       // turns of the waiting loop, over all waits
};

#define LOCKSTAT_READ  0
#define LOCKSTAT_RESET 1
#endif
