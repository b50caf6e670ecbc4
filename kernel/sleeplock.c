// Sleep locks, first come first served: a taker draws a ticket and
// sleeps until serving reaches it; release advances serving and wakes
// the sleepers, of which only the next ticket's holder goes on. The lock
// is held iff serving != next. A thread must not sleep on one while
// holding a spinlock (other than the sleep lock's own, which sleep()
// releases).
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "defs.h"

void
initsleeplock(struct sleeplock *s, char *name)
{
  initlock(&s->lk, "sleep lock", LOCK_fs);
  s->next = s->serving = 0;
  s->holder = 0;
  s->name = name;
}

void
acquiresleep(struct sleeplock *s)
{
  acquire(&s->lk);
  uint ticket = s->next++;
  while(s->serving != ticket)
    sleep(s, &s->lk);
  s->holder = mythread();
  release(&s->lk);
}

void
releasesleep(struct sleeplock *s)
{
  acquire(&s->lk);
  s->holder = 0;
  s->serving++;
  if(s->serving != s->next)
    wakeup(s);   // someone waits: the next ticket's holder goes on
  release(&s->lk);
}

// Does the calling thread hold s?
int
holdingsleep(struct sleeplock *s)
{
  acquire(&s->lk);
  int held = s->serving != s->next && s->holder == mythread();
  release(&s->lk);
  return held;
}
