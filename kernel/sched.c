// The scheduler: one run queue shared by every hart, first in, first
// out; and sleep/wakeup, by channel, through a small hash of sleeper
// lists. All of it is guarded by one lock, sched_lock.
//
// Invariants (under sched_lock):
// - a thread is T_RUNNABLE iff it is on the run queue;
// - a thread is T_SLEEPING iff it is in the sleeper list of the bucket
//   of its chan;
// - a thread is T_RUNNING iff it is some hart's cpu->thread.
// A thread gives up its hart only through switch_out(), holding
// sched_lock and no other lock, its state already changed; the lock
// stays held across the switch and the thread or scheduler that runs
// next releases it. So the decision to stop (sleep, yield, die) and the
// switch are one atomic step: a wakeup cannot slip between them, and a
// dead thread is off its stack before anyone can reuse its slot (they
// must take sched_lock first).
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "vmcount.h"

struct spinlock sched_lock;

#define NBUCKET 64

static struct thread *runq_head, *runq_tail;

// Harts asleep in wfi with nothing to run, a bit each. A hart sets its
// bit under sched_lock when it finds the queue empty; whoever then makes
// a thread runnable (under sched_lock too) clears one other hart's bit
// and sends it an IPI, so that the thread runs now, not at that hart's
// next timer tick. Atomic: the idle hart reads its own bit without
// the lock.
static uint64 idle;

static void preempt_end(struct thread *t);
static struct thread *sleepers[NBUCKET];

void
schedinit(void)
{
  initlock(&sched_lock, "sched", LOCK_sched);
}

static int
bucket(void *chan)
{
  uint64 x = (uint64)chan;
  return (x ^ (x >> 6) ^ (x >> 12)) % NBUCKET;
}

// Put t at the tail of the run queue. Caller holds sched_lock.
static void
enqueue(struct thread *t)
{
  t->state = T_RUNNABLE;
  t->qnext = 0;
  if(runq_tail)
    runq_tail->qnext = t;
  else
    runq_head = t;
  runq_tail = t;
  uint64 others = __atomic_load_n(&idle, __ATOMIC_RELAXED) & ~(1UL << cpuid());
  if(others){
    int h = lowbit(others);
    __atomic_fetch_and(&idle, ~(1UL << h), __ATOMIC_RELAXED);
    ipi_send(h);
  }
}

// Take the thread at the head of the run queue, or 0. Caller holds
// sched_lock.
static struct thread*
dequeue(void)
{
  struct thread *t = runq_head;
  if(t){
    runq_head = t->qnext;
    if(runq_head == 0)
      runq_tail = 0;
    t->qnext = 0;
  }
  return t;
}

// Take the sleeping thread t off its sleeper list. Caller holds
// sched_lock.
static void
unsleep(struct thread *t)
{
  struct thread **pp = &sleepers[bucket(t->chan)];
  while(*pp && *pp != t)
    pp = &(*pp)->qnext;
  if(*pp == 0)
    panic("unsleep: not sleeping");
  *pp = t->qnext;
  t->qnext = 0;
  t->chan = 0;
}

// A new thread (T_NEW) may run.
void
sched_start(struct thread *t)
{
  acquire(&sched_lock);
  if(t->state != T_NEW)
    panic("sched_start");
  enqueue(t);
  release(&sched_lock);
}

// Each hart runs this after boot: take the next runnable thread, run it
// until it gives the hart back, and go on.
void
scheduler(void)
{
  struct cpu *c = mycpu();
  struct thread *prev = 0;   // the thread that last gave this hart up
  c->thread = 0;
  for(;;){
    // Interrupts on for a moment, so that a hart with nothing to run
    // still hears devices and the timer.
    intr_on();
    acquire(&sched_lock);
    struct thread *t = dequeue();
    if(t == 0){
      // Sleep until an interrupt. The bit is set under the lock, so a
      // thread made runnable from now on kicks this hart; with
      // interrupts off, a kick that comes before wfi stays pending and
      // wfi returns at once (wfi heeds interrupts enabled in sie, not
      // sstatus.SIE), and one that came already cleared the bit.
      uint64 me = 1UL << cpuid();
      __atomic_fetch_or(&idle, me, __ATOMIC_RELAXED);
      release(&sched_lock);
      intr_off();
      if(__atomic_load_n(&idle, __ATOMIC_RELAXED) & me)
        asm volatile("wfi");
      __atomic_fetch_and(&idle, ~me, __ATOMIC_RELAXED);
      continue;
    }
    if(prev && prev != t && prev->state != T_RUNNING)
      preempt_end(prev);   // its preemption ends: another thread runs
    t->state = T_RUNNING;
    c->thread = t;
    swtch(&c->context, &t->context);
    // Back here with sched_lock held, from switch_out().
    c->thread = 0;
    prev = t;
    release(&sched_lock);
  }
}

// Switch from the current thread to this hart's scheduler. The caller
// holds sched_lock and no other lock and has set its state. intena is
// the thread's, not the hart's: it is saved and restored around the
// switch (the thread may come back on another hart).
void
switch_out(void)
{
  struct thread *t = mythread();
  struct cpu *c = mycpu();
  if(!holding(&sched_lock))
    panic("switch_out: sched_lock");
  if(c->noff != 1)
    panic("switch_out: other locks held");
  if(t->state == T_RUNNING)
    panic("switch_out: still running");
  if(intr_get())
    panic("switch_out: interrupts on");
  int intena = c->intena;
  t->out_at = r_instret();
  swtch(&t->context, &c->context);
  t->in_at = r_instret();
  t->away += t->in_at - t->out_at;
  mycpu()->intena = intena;
}

// The current thread's own clock: the instructions it has run, kernel
// work on its behalf included, interrupts and the time it spent off
// the hart (others' work, the scheduler) left out. Differences of it
// measure a piece of work wherever timer ticks land (fork_instr,
// fault_instr, the threadinstr system call). Only the trap vectors'
// register saves and restores around an interrupt, a few dozen
// instructions, are counted as the thread's. One hart only: with
// several, QEMU's instruction counter is shared by all of them.
uint64
thread_instr(void)
{
  // Interrupts off for the two reads, so that no tick lands between
  // them and the thread stays on this hart; cheaper than mythread()'s
  // push_off, as this is read twice in every COW fault.
  int on = intr_get();
  intr_off();
  uint64 now = r_instret() - mycpu()->thread->away;
  if(on)
    intr_on();
  return now;
}

// Charge p (may be 0) with the instructions of an interrupt that began
// at instret t0 and ends now, and return them. Only on one hart: QEMU's
// instruction counter is one for all harts, so with several an interval
// read on one hart holds the others' work too.
uint64
intr_charge(struct proc *p, uint64 t0)
{
  uint64 n = r_instret() - t0;
  if(bootinfo.ncpu == 1)
    vmcount(p, intr_instr, n);
  return n;
}

// Charge the interrupt cost that began at instret t0 to the preempted
// thread t's process, now that it ends: t runs again, or another thread
// gets the hart. Caller holds sched_lock.
static void
preempt_end(struct thread *t)
{
  if(t->preempt_t0){
    intr_charge(t->p, t->preempt_t0);
    t->preempt_t0 = 0;
  }
}

// Give up the hart for one turn of the run queue.
void
yield(void)
{
  struct thread *t = mythread();
  acquire(&sched_lock);
  enqueue(t);
  switch_out();
  preempt_end(t);
  release(&sched_lock);
}

// The timer interrupt that began at instret t0 preempts t: yield. The
// interrupt, the switch and the scheduler's choice are counted as
// interrupt cost (intr_instr) until t runs again or another thread gets
// the hart, so that a measured window can leave them out; what other
// threads do meanwhile is their own work.
void
preempt(struct thread *t, uint64 t0)
{
  t->preempt_t0 = t0 ? t0 : 1;
  yield();
  // Not its own either: the interrupt up to the switch, and the way
  // back from the switch (the time off the hart switch_out counts).
  t->away += (t->out_at - t0) + (r_instret() - t->in_at);
}

// Release lk and sleep on chan; hold lk again when woken. Holding
// sched_lock before lk is released means that no wakeup(chan), which
// takes sched_lock, can come between the caller's check and the sleep.
// killable: not if the thread's process is being stopped (killed()),
// as seen under sched_lock.
static void
sleep_on(void *chan, struct spinlock *lk, int killable)
{
  struct thread *t = mythread();
  if(lk != &sched_lock){
    acquire(&sched_lock);
    release(lk);
  }
  if(!killable || !killed(t->p)){
    t->chan = chan;
    t->state = T_SLEEPING;
    int b = bucket(chan);
    t->qnext = sleepers[b];
    sleepers[b] = t;
    switch_out();
  }
  if(lk != &sched_lock){
    release(&sched_lock);
    acquire(lk);
  }
}

void
sleep(void *chan, struct spinlock *lk)
{
  sleep_on(chan, lk, 0);
}

// sleep for a caller that gives up when its process is being stopped
// (it checks killed() under lk, then sleeps): kill and stop_others mark
// the process and then wake its threads under sched_lock, so a mark
// made after the caller's check, while lk was held, is seen here, and
// the caller's loop, checking again, returns. Without it such a kill
// was lost: the thread slept on, a pipe reader forever (seen under
// cowtest's killshared on 3 harts).
void
sleep_killable(void *chan, struct spinlock *lk)
{
  sleep_on(chan, lk, 1);
}

// Wake every thread sleeping on chan. The caller may hold any lock but
// sched_lock.
void
wakeup(void *chan)
{
  acquire(&sched_lock);
  struct thread **pp = &sleepers[bucket(chan)];
  while(*pp){
    struct thread *t = *pp;
    if(t->chan == chan){
      *pp = t->qnext;
      t->chan = 0;
      enqueue(t);
    } else {
      pp = &t->qnext;
    }
  }
  release(&sched_lock);
}

// If t sleeps, wake it whatever it waits for (kill, or a process
// ending its other threads): it will find out why.
void
wake_thread(struct thread *t)
{
  acquire(&sched_lock);
  if(t->state == T_SLEEPING){
    unsleep(t);
    enqueue(t);
  }
  release(&sched_lock);
}

// End the current thread for good: it is marked T_DEAD and never runs
// again. Caller holds sched_lock and no other lock.
void
switch_out_dead(void)
{
  mythread()->state = T_DEAD;
  switch_out();
  panic("a dead thread ran");
}
