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

uint64 word_wait(uint *w);   // spinlock.c

// Take the one-word lock *w (0 free, 1 held), interrupts already off.
// Returns 0 if it was free, else 1 + the turns spent waiting for it
// (word_wait). Spinlocks (spinlock.c) and the leaf tables' locks
// (ptlock.c) are both taken this way; the free case is inline, as every
// lock taken on the fault path goes through it.
static inline uint64
word_lock(uint *w)
{
  // The acquire swap orders the critical section after the release.
  if(!__atomic_exchange_n(w, 1, __ATOMIC_ACQUIRE))
    return 0;
  return 1 + word_wait(w);
}

static inline void
word_unlock(uint *w)
{
  // The release store publishes the critical section to the next taker.
  __atomic_store_n(w, 0, __ATOMIC_RELEASE);
}

// A spinning reader-writer lock (ptlock.c): readers share it, a writer
// excludes readers and writers. Counted in class LOCK_mm.
struct rwspin {
  uint readers;       // readers inside; atomic
  uint writer;        // a writer inside or waiting for readers to leave
};
#endif
