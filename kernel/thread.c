// Threads: several per process, sharing its address space, files and
// policy state (proc.h). Each has its own kernel stack, trapframe (a page
// mapped at TRAPFRAME_VA(slot) in the shared page table) and tid.
//
// A thread goes T_FREE -> T_NEW (thread_alloc) -> T_RUNNABLE/T_RUNNING/
// T_SLEEPING (sched.c) -> T_DEAD (exit, thread_exit, or ended by a
// sibling's exit or exec) -> T_FREE (thread_free: by thread_join, by
// exec for the siblings it ended, or with its process). Its slot in
// p->threads[] and its trapframe stay until thread_free.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"

extern struct thread threads[NTHREAD];
extern struct spinlock ptable_lock;

static int nexttid = 1 << 20;   // tids beyond the first thread's; ptable_lock

// Returns a new T_NEW thread of p, set up to start in thread_start() with
// a zeroed trapframe mapped in p's page table; or 0 if p has
// NTHREADPROC threads, the table is full or memory is out. The first
// thread of a process takes its pid as tid.
struct thread*
thread_alloc(struct proc *p)
{
  struct thread *t = 0;
  int slot = -1;
  acquire(&ptable_lock);
  for(int s = 0; s < NTHREADPROC && slot < 0; s++)
    if(p->threads[s] == 0)
      slot = s;
  for(int i = 0; i < NTHREAD && t == 0 && slot >= 0; i++)
    if(threads[i].state == T_FREE)
      t = &threads[i];
  if(t == 0){
    release(&ptable_lock);
    return 0;
  }
  t->state = T_NEW;
  t->p = p;
  t->slot = slot;
  t->tid = p->nlive == 0 && slot == 0 ? p->pid : nexttid++;
  t->done = 0;
  t->xstate = 0;
  t->chan = 0;
  t->qnext = 0;
  t->tf = 0;
  t->preempt_t0 = 0;
  t->away = 0;
  t->out_at = r_instret();   // off the hart from now until it first runs
  p->threads[slot] = t;
  p->nlive++;
  release(&ptable_lock);

  if((t->tf = kalloc()) == 0 ||
     mappages(p->pagetable, TRAPFRAME_VA(slot), PGSIZE, (uint64)t->tf,
              PTE_R | PTE_W) != 0){
    acquire(&ptable_lock);
    p->nlive--;
    t->done = 1;
    release(&ptable_lock);
    thread_free(t);
    return 0;
  }
  memset(t->tf, 0, PGSIZE);
  memset(&t->context, 0, sizeof(t->context));
  t->context.ra = (uint64)thread_start;
  t->context.sp = t->kstack + KSTACKPAGES*PGSIZE;
  return t;
}

// Free t, which is T_NEW or has exited: its trapframe and its slot.
// A dead thread may still be switching away on its own stack; taking
// sched_lock waits for it to be off (sched.c).
void
thread_free(struct thread *t)
{
  struct proc *p = t->p;
  if(t->tf){
    pte_t *pte = walk(p->pagetable, TRAPFRAME_VA(t->slot), 0);
    if(pte)
      *pte = 0;
    kfree(t->tf);
    t->tf = 0;
  }
  acquire(&ptable_lock);
  acquire(&sched_lock);
  if(t->state != T_NEW && t->state != T_DEAD)
    panic("thread_free: alive");
  t->state = T_FREE;
  release(&sched_lock);
  p->threads[t->slot] = 0;
  t->p = 0;
  release(&ptable_lock);
}

// A new thread's first scheduling lands here, holding sched_lock from
// scheduler(). The very first thread execs /init.
void
thread_start(void)
{
  static int first = 1;
  struct thread *t = mythread();
  t->in_at = r_instret();
  t->away += t->in_at - t->out_at;
  release(&sched_lock);
  if(first){
    first = 0;
    char *argv[] = { "init", 0 };
    if(kexec("/init", argv) < 0)
      panic("cannot exec /init");
  }
  usertrapret();
}

// End the calling thread t: mark it exited for thread_join, wake whoever
// waits for it (a joiner, or a sibling waiting for the others to end),
// and leave the hart for good.
void
thread_die(struct thread *t)
{
  struct proc *p = t->p;
  acquire(&ptable_lock);
  t->done = 1;
  p->nlive--;
  wakeup(t);
  wakeup(&p->nlive);
  acquire(&sched_lock);
  release(&ptable_lock);
  switch_out_dead();
}

// Make the calling thread me the only live thread of p: every other
// thread ends at its next chance, and this waits until they have. Used
// by exit and exec. Returns 0, with me marked as p's stopper; or -1 if
// another thread is already doing this (then the caller must end).
int
stop_others(struct proc *p, struct thread *me)
{
  acquire(&ptable_lock);
  if(p->stopper != 0 && p->stopper != me){
    release(&ptable_lock);
    return -1;
  }
  p->stopper = me;
  for(int s = 0; s < NTHREADPROC; s++)
    if(p->threads[s] && p->threads[s] != me)
      wake_thread(p->threads[s]);
  while(p->nlive > 1)
    sleep(&p->nlive, &ptable_lock);
  release(&ptable_lock);
  return 0;
}

// After stop_others: free the siblings that ended (exec), and let p
// have threads again.
void
reap_others(struct proc *p, struct thread *me)
{
  for(int s = 0; s < NTHREADPROC; s++){
    struct thread *t = p->threads[s];
    if(t && t != me)
      thread_free(t);
  }
  acquire(&ptable_lock);
  p->stopper = 0;
  release(&ptable_lock);
}

// Start a new thread in the calling process at user address fn, with
// arg in a0 and its stack pointer at stack (the top of a stack the
// caller allocated; 16-byte aligned). Returns its tid, or -1.
int
thread_create(uint64 fn, uint64 arg, uint64 stack)
{
  struct thread *cur = mythread();
  struct proc *p = cur->p;
  if(stack % 16 != 0 || stack == 0 || stack > p->sz || fn >= p->sz ||
     killed(p))
    return -1;
  struct thread *t = thread_alloc(p);
  if(t == 0)
    return -1;
  *t->tf = *cur->tf;   // gp, tp and the like, as the creator has them
  t->tf->epc = fn;
  t->tf->sp = stack;
  t->tf->a0 = arg;
  t->tf->ra = 0;       // returning from fn faults: end with thread_exit
  int tid = t->tid;
  sched_start(t);
  return tid;
}

// End the calling thread with status for thread_join. The last thread
// of a process ends the process, as exit(status) would.
void
thread_exit(int status)
{
  struct thread *t = mythread();
  struct proc *p = t->p;
  acquire(&ptable_lock);
  if(p->nlive == 1 && p->stopper == 0){
    release(&ptable_lock);
    exit(status);
  }
  t->xstate = status;
  release(&ptable_lock);
  thread_die(t);
}

// Wait for thread tid of the calling process to end, copy its status to
// user address addr unless it is 0, and free it. Returns 0, or -1 if
// there is no such thread (or it is the caller, or another joiner got
// it), the caller was killed, or addr is bad (it is freed all the same).
int
thread_join(int tid, uint64 addr)
{
  struct thread *me = mythread();
  struct proc *p = me->p;
  struct thread *t = 0;
  acquire(&ptable_lock);
  for(int s = 0; s < NTHREADPROC && t == 0; s++)
    if(p->threads[s] && p->threads[s]->tid == tid && p->threads[s] != me &&
       p->threads[s]->done < 2)
      t = p->threads[s];
  if(t == 0){
    release(&ptable_lock);
    return -1;
  }
  while(!t->done){
    if(killed(p)){
      release(&ptable_lock);
      return -1;
    }
    sleep(t, &ptable_lock);
  }
  if(t->done == 2){   // another joiner reaped it while we slept
    release(&ptable_lock);
    return -1;
  }
  t->done = 2;
  int xstate = t->xstate;
  release(&ptable_lock);
  thread_free(t);
  if(addr != 0 && copyout(p->pagetable, addr, &xstate, sizeof(xstate)) < 0)
    return -1;
  return 0;
}
