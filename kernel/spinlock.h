// Mutual exclusion lock that spins; holding one disables interrupts.
#ifndef SPINLOCK_H
#define SPINLOCK_H
struct spinlock {
  uint locked;       // is the lock held?
  char *name;        // for debugging
  struct cpu *cpu;   // the cpu holding the lock
};
#endif
