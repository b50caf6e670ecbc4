// Processes: the process and thread tables, fork, exit, wait, kill and
// sbrk. Threads of a process (thread.c) share what this file sets up.
//
// A process goes P_FREE -> P_ALIVE (proc_alloc) -> P_ZOMBIE (exit: its
// memory and files are released at once, so that early copies settle
// while it is the current process) -> P_FREE (its parent's wait, or
// proc_free after a failed fork). Invariants under ptable_lock:
// - p->nlive counts p's threads that have not exited; a P_ALIVE process
//   has at least one, a P_ZOMBIE none;
// - p->threads[s] holds every thread of p not yet freed, exited ones
//   included (they keep their slot until joined or until p is freed);
// - p->parent is 0 only for init and for a process still being forked.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "forkplan.h"

struct cpu cpus[NCPU];
struct spinlock ptable_lock;
struct proc procs[NPROC];
struct thread threads[NTHREAD];
struct proc *initproc;

static int nextid = 1;   // pids and tids, one sequence; under ptable_lock

extern char trampoline[];

// Map every thread's kernel stack high in the kernel page table, each
// with an unmapped guard page below it. Boot only.
void
proc_mapstacks(pagetable_t kpt)
{
  for(int i = 0; i < NTHREAD; i++){
    for(int j = 0; j < KSTACKPAGES; j++){
      char *pa = kalloc();
      if(pa == 0 ||
         mappages(kpt, KSTACK(i) + j*PGSIZE, PGSIZE, (uint64)pa, PTE_R | PTE_W) != 0)
        panic("proc_mapstacks");
    }
  }
}

void
procinit(void)
{
  initlock(&ptable_lock, "ptable", LOCK_proc);
  for(int i = 0; i < NTHREAD; i++){
    threads[i].state = T_FREE;
    threads[i].kstack = KSTACK(i);
  }
  for(int i = 0; i < NPROC; i++){
    procs[i].state = P_FREE;
    initlock(&procs[i].mmlock, "mm", LOCK_pagetable);
    initlock(&procs[i].polock, "policy", LOCK_policy);
    initlock(&procs[i].fdlock, "fd", LOCK_file);
  }
}

// Must be called with interrupts off, so that the thread cannot move to
// another hart between reading tp and using the result.
int
cpuid(void)
{
  return r_tp();
}

struct cpu*
mycpu(void)
{
  return &cpus[cpuid()];
}

// The running thread, or 0.
struct thread*
mythread(void)
{
  push_off();
  struct thread *t = mycpu()->thread;
  pop_off();
  return t;
}

// The running thread's process, or 0.
struct proc*
myproc(void)
{
  struct thread *t = mythread();
  return t ? t->p : 0;
}

// Clear a PTE without touching the page behind it (trampoline, trapframe).
static void
unmapkeep(pagetable_t pt, uint64 va)
{
  pte_t *pte = walk(pt, va, 0);
  if(pte)
    *pte = 0;
}

// Returns a user page table holding only the trampoline, or 0 if memory
// is out.
pagetable_t
proc_pagetable(void)
{
  pagetable_t pt = uvmcreate();
  if(pt == 0)
    return 0;
  if(mappages(pt, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R | PTE_X) != 0){
    uvmfree(pt, 0, 0);
    return 0;
  }
  return pt;
}

// Free a page table and the user memory [0, sz) in it; owner is the
// process whose memory it is, or 0. The trampoline and the trapframes
// mapped in it stay: their pages belong to the kernel and the threads.
void
proc_freepagetable(pagetable_t pt, uint64 sz, struct proc *owner)
{
  unmapkeep(pt, TRAMPOLINE);
  for(int s = 0; s < NTHREADPROC; s++)
    unmapkeep(pt, TRAPFRAME_VA(s));
  uvmfree(pt, sz, owner);
}

// Returns a new P_ALIVE process with an empty address space and no
// thread (thread_alloc adds them), not yet anyone's child; or 0 if the
// table is full or memory is out.
static struct proc*
proc_alloc(void)
{
  struct proc *p = 0;
  acquire(&ptable_lock);
  for(int i = 0; i < NPROC && p == 0; i++)
    if(procs[i].state == P_FREE)
      p = &procs[i];
  if(p == 0){
    release(&ptable_lock);
    return 0;
  }
  p->state = P_ALIVE;
  p->pid = nextid++;
  p->parent = 0;
  p->killed = 0;
  p->stopper = 0;
  p->nlive = 0;
  p->xstate = 0;
  release(&ptable_lock);

  p->sz = p->heapbase = 0;
  p->mmrw.readers = p->mmrw.writer = 0;
  p->cwd = 0;
  p->name[0] = 0;
  memset(p->ofile, 0, sizeof(p->ofile));
  memset(&p->vm, 0, sizeof(p->vm));
  memset(&p->vmchild, 0, sizeof(p->vmchild));
  memset(p->policy_state, 0, sizeof(p->policy_state));
  p->after_reuse = 0;   // not a hint left by the slot's last process
  p->ask_faults = policy_faults;
  p->skip_faults = 0;
  if((p->pagetable = proc_pagetable()) == 0){
    acquire(&ptable_lock);
    p->state = P_FREE;
    release(&ptable_lock);
    return 0;
  }
  return p;
}

// Free process p, which is a zombie nobody waits for any more, or a
// process whose fork failed: its threads, what is left of its memory
// (with p as the owner, so that early copies settle against it), its
// page table and its policy state.
static void
proc_free(struct proc *p)
{
  for(int s = 0; s < NTHREADPROC; s++)
    if(p->threads[s])
      thread_free(p->threads[s]);
  plan_drop_all(p);
  proc_freepagetable(p->pagetable, p->sz, p);
  p->pagetable = 0;
  p->sz = 0;
  policy_release(p);
  acquire(&ptable_lock);
  p->state = P_FREE;
  p->parent = 0;
  p->pid = 0;
  release(&ptable_lock);
}

// The first process. Its thread starts in thread_start(), which execs
// /init.
void
userinit(void)
{
  struct proc *p = proc_alloc();
  struct thread *t = p ? thread_alloc(p) : 0;
  if(t == 0)
    panic("userinit");
  initproc = p;
  safestrcpy(p->name, "init", sizeof(p->name));
  cwd_set(p, namei("/"));
  sched_start(t);
}

// Grow or shrink p's user memory by n bytes. Returns 0, or -1 if it would
// shrink below the program's initial break, grow past USERTOP, or memory
// is out. The page table is held for writing meanwhile, so that no
// thread of p faults on memory that is coming or going.
int
growproc(struct proc *p, int n)
{
  int err = 0;
  int held = pt_write_lock(p);
  uint64 sz = p->sz;
  if(n > 0){
    if(sz + n > USERTOP || uvmalloc(p->pagetable, sz, sz + n, PTE_W) == 0)
      err = -1;
    else
      p->sz = sz + n;
  } else if(n < 0){
    if(sz - p->heapbase < (uint64)-(int64)n ||
       uvmdealloc(p->pagetable, sz, sz + n, p) != sz + n)
      err = -1;
    else
      p->sz = sz + n;
    tlb_flush(p);   // the pages given back must not stay reachable
  }
  pt_write_unlock(p, held);
  return err;
}

// Create a child process whose memory is shared or copied as the COW
// policy says, running a copy of the calling thread only. Returns the
// child's pid in the parent, 0 in the child, or -1.
int
fork(void)
{
  struct thread *t = mythread();
  struct proc *p = t->p;
  struct proc *np = proc_alloc();
  if(np == 0)
    return -1;
  struct thread *nt = thread_alloc(np);
  if(nt == 0){
    proc_free(np);
    return -1;
  }
  int held = pt_write_lock(p);
  int err = cow_fork(p, np);
  np->sz = p->sz;   // also so that proc_free unmaps what cow_fork mapped
  pt_write_unlock(p, held);
  if(err){
    proc_free(np);
    return -1;
  }
  np->heapbase = p->heapbase;
  *nt->tf = *t->tf;
  nt->tf->a0 = 0;   // fork returns 0 in the child
  fd_copy(p, np);
  safestrcpy(np->name, p->name, sizeof(p->name));
  int pid = np->pid;

  acquire(&ptable_lock);
  np->parent = p;
  release(&ptable_lock);
  sched_start(nt);
  return pid;
}

// Give p's children to init. Caller holds ptable_lock.
static void
reparent(struct proc *p)
{
  int any = 0;
  for(int i = 0; i < NPROC; i++){
    if(procs[i].parent == p){
      procs[i].parent = initproc;
      any = 1;
    }
  }
  if(any)
    wakeup(initproc);
}

// End the calling thread's process with status: end every other thread
// first, release the files and memory, and become a zombie for the
// parent's wait. If another thread is already ending the process (or
// replacing its program), only the calling thread ends.
void
exit(int status)
{
  struct thread *t = mythread();
  struct proc *p = t->p;
  if(p == initproc){
    // init has nobody to hand its children to: the system is done.
    printf("init exited (status %d): powering off\n", status);
    poweroff(status == 0 ? 0 : 1);
  }
  if(stop_others(p, t) < 0)
    thread_die(t);
  fd_release(p);
  uvmdealloc(p->pagetable, p->sz, 0, p);
  p->sz = 0;
  policy_release(p);

  acquire(&ptable_lock);
  reparent(p);
  p->xstate = status;
  p->state = P_ZOMBIE;
  t->done = 1;
  p->nlive--;
  wakeup(p->parent);
  acquire(&sched_lock);
  release(&ptable_lock);
  switch_out_dead();
}

// Wait for a child to exit; copy its status to user address addr unless
// it is 0. Returns the child's pid, or -1 if there are no children, the
// caller was killed, or addr is bad (the child is reaped all the same).
int
wait(uint64 addr)
{
  struct proc *p = myproc();
  acquire(&ptable_lock);
  for(;;){
    int havekids = 0;
    for(int i = 0; i < NPROC; i++){
      struct proc *c = &procs[i];
      if(c->parent != p)
        continue;
      havekids = 1;
      if(c->state != P_ZOMBIE)
        continue;
      // c is dead and its threads are off their stacks: detach it, then
      // free it without the lock.
      int pid = c->pid, xstate = c->xstate;
      c->parent = 0;
      vmstat_fold(p, c);
      release(&ptable_lock);
      proc_free(c);
      if(addr != 0 && copyout(p->pagetable, addr, &xstate, sizeof(xstate)) < 0)
        return -1;
      return pid;
    }
    if(!havekids || killed(p)){
      release(&ptable_lock);
      return -1;
    }
    sleep(p, &ptable_lock);
  }
}

// Kill the process with this pid: each of its threads ends when it next
// crosses the user/kernel boundary, and the process exits with status
// -1. Returns 0, or -1 if there is no such process, or it is init (whose
// end would leave nobody to reap orphans).
int
kill(int pid)
{
  acquire(&ptable_lock);
  for(int i = 0; i < NPROC; i++){
    struct proc *p = &procs[i];
    if(p->pid != pid || p->state != P_ALIVE)
      continue;
    if(p == initproc)
      break;
    p->killed = 1;
    for(int s = 0; s < NTHREADPROC; s++)
      if(p->threads[s])
        wake_thread(p->threads[s]);
    release(&ptable_lock);
    return 0;
  }
  release(&ptable_lock);
  return -1;
}

// Mark p killed (a fault it cannot survive).
void
setkilled(struct proc *p)
{
  acquire(&ptable_lock);
  p->killed = 1;
  release(&ptable_lock);
}

// Should the calling thread of p stop: is p killed, or is another thread
// of p ending the process or replacing its program? A flag read without
// the lock: a caller that misses a change sees it on its next check.
int
killed(struct proc *p)
{
  struct thread *stopper = __atomic_load_n(&p->stopper, __ATOMIC_RELAXED);
  return __atomic_load_n(&p->killed, __ATOMIC_RELAXED) ||
         (stopper != 0 && stopper != mythread());
}

// ^P on the console: list the processes and their threads. Takes no
// lock, so that it works even when something is stuck.
void
procdump(void)
{
  static char *tstates[] = {
    [T_FREE] "free", [T_NEW] "new", [T_RUNNABLE] "runble",
    [T_RUNNING] "run", [T_SLEEPING] "sleep", [T_DEAD] "dead",
  };
  printf("\n");
  for(int i = 0; i < NPROC; i++){
    struct proc *p = &procs[i];
    if(p->state == P_FREE)
      continue;
    printf("%d %s %s %lu pages", p->pid, p->state == P_ZOMBIE ? "zombie" : "alive",
           p->name, PGROUNDUP(p->sz) / PGSIZE);
    for(int s = 0; s < NTHREADPROC; s++)
      if(p->threads[s])
        printf(" [%d %s]", p->threads[s]->tid, tstates[p->threads[s]->state]);
    printf("\n");
  }
}
