// Long-term lock: a process waiting for it sleeps instead of spinning.
#ifndef SLEEPLOCK_H
#define SLEEPLOCK_H
struct sleeplock {
  uint locked;
  struct spinlock lk;   // protects this sleep lock
  char *name;
  int pid;              // process holding the lock
};
#endif
