#ifndef SPINLOCK_H
#define SPINLOCK_H
#include "lockstat.h"
// A spinlock (spinlock.c): whichever waiter runs first takes it when it
// is released. Holding one keeps interrupts off on the holding hart.
struct spinlock {
  uint locked;        // 1 while held; swapped atomically
  int cls;            // its class (lockstat.h), for the statistics
  char *name;         // for debugging
  struct cpu *cpu;    // the hart holding it
};

// A spinning reader-writer lock (ptlock.c): readers share it, a writer
// excludes readers and writers. Counted in class LOCK_mm.
struct rwspin {
  uint readers;       // readers inside; atomic
  uint writer;        // a writer inside or waiting for readers to leave
};
#endif
