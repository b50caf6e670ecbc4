// Spinlocks with statistics, and the interrupt nesting they rely on.
//
// A taker swaps 1 into locked; if it was 1 already, it waits, reading
// only, until the lock looks free and swaps again. Whichever waiter runs
// first when the lock is released takes it: there is no queue. A ticket
// lock (served in arrival order) was used before and is fairer, but it
// hands the lock to the next ticket even when that hart is not running,
// and under QEMU with more harts than host cores (8 on 2) the hand-over
// then waits for the host to schedule that hart's thread, while the
// others spin: the waiters convoy, and the 8-hart stress suite took
// 30 s to 4 minutes instead of 1 s. Hypervisors meet the same problem
// with guest ticket locks. A hart could in principle starve here;
// interrupts are off while a lock is held, so holds are short.
//
// Every acquire is counted per lock class, a wait as contended, and
// every turn of the waiting loop as a spin (lockstat.h). The counters
// are per hart, written only by their hart with interrupts off, and
// summed when read.
//
// Holding a spinlock keeps interrupts off on the hart (an interrupt
// handler taking the same lock would wait forever). push_off/pop_off
// nest, and interrupts come back only when the outermost is undone, and
// only if they were on before it.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "riscv.h"
#include "proc.h"
#include "defs.h"

static struct lockcount counts[NCPU][NLOCKCLASS];

void
initlock(struct spinlock *lk, char *name, int cls)
{
  lk->locked = 0;
  lk->cls = cls >= 0 && cls < NLOCKCLASS ? cls : LOCK_other;
  lk->name = name;
  lk->cpu = 0;
}

void
acquire(struct spinlock *lk)
{
  push_off();
  if(holding(lk))
    panic(lk->name);
  uint64 waited = word_lock(&lk->locked);
  struct lockcount *c = &counts[cpuid()][lk->cls];
  c->acquired++;
  if(waited){
    c->contended++;
    c->spins += waited - 1;
  }
  lk->cpu = mycpu();
}

void
release(struct spinlock *lk)
{
  if(!holding(lk))
    panic("release");
  lk->cpu = 0;
  word_unlock(&lk->locked);
  pop_off();
}

// word_lock found *w held: wait, reading only, until it looks free and
// swap 1 in again, until the swap finds it free. Returns the turns
// waited.
uint64
word_wait(uint *w)
{
  uint64 spins = 0;
  do {
    while(__atomic_load_n(w, __ATOMIC_RELAXED)){
      spins++;
      // (The holder may be waiting for this hart to flush its TLB.)
      spin_wait();
    }
  } while(__atomic_exchange_n(w, 1, __ATOMIC_ACQUIRE));
  return spins;
}

// Is this hart holding lk? Interrupts must be off.
int
holding(struct spinlock *lk)
{
  return __atomic_load_n(&lk->locked, __ATOMIC_RELAXED) && lk->cpu == mycpu();
}

// Count one acquisition of a lock of class cls that is not a struct
// spinlock (a leaf table's lock, a reader-writer lock). Interrupts must
// be off.
void
lockstat_add(int cls, int contended, uint64 spins)
{
  struct lockcount *c = &counts[cpuid()][cls];
  c->acquired++;
  c->contended += contended != 0;
  c->spins += spins;
}

// Sum the counters of every hart into out[NLOCKCLASS]; with reset, zero
// them afterwards. A hart's counters are read while it may be adding to
// them: a sum is exact only when the system is quiet, which is when
// workloads read them.
void
lockstat_read(struct lockcount *out, int reset)
{
  for(int k = 0; k < NLOCKCLASS; k++){
    out[k].acquired = out[k].contended = out[k].spins = 0;
    for(int c = 0; c < NCPU; c++){
      out[k].acquired += counts[c][k].acquired;
      out[k].contended += counts[c][k].contended;
      out[k].spins += counts[c][k].spins;
    }
  }
  if(reset)
    memset(counts, 0, sizeof(counts));
}

// Turn interrupts off, remembering whether they were on at the outermost
// level.
void
push_off(void)
{
  int on = intr_get();
  intr_off();
  struct cpu *c = mycpu();
  if(c->noff++ == 0)
    c->intena = on;
}

void
pop_off(void)
{
  struct cpu *c = mycpu();
  if(intr_get())
    panic("pop_off: interrupts on");
  if(c->noff < 1)
    panic("pop_off: not pushed");
  if(--c->noff == 0 && c->intena)
    intr_on();
}
