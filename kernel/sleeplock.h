#ifndef SLEEPLOCK_H
#define SLEEPLOCK_H
// A long-term lock (file contents): a thread waiting for it sleeps
// instead of spinning. Waiters are served in arrival order.
struct sleeplock {
  struct spinlock lk;       // protects the fields below
  uint next;                // the ticket the next taker draws
  uint serving;             // the ticket that holds the lock
  struct thread *holder;    // 0 at boot, before the first thread
  char *name;
};
#endif
