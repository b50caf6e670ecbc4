// Processes: creation (fork), exit, wait, kill, and the per-hart
// round-robin scheduler with sleep/wakeup.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"

struct cpu cpus[NCPU];
struct proc proc[NPROC];
struct proc *initproc;

static int nextpid = 1;
static struct spinlock pid_lock;

// Protects every p->parent, and makes a parent's check for zombie
// children and its sleep atomic against their exit. Taken before p->lock.
static struct spinlock wait_lock;

extern char trampoline[];

// Allocate every process's kernel stack and map it high in the kernel
// page table, each with an unmapped guard page below it.
void
proc_mapstacks(pagetable_t kpt)
{
  for(int i = 0; i < NPROC; i++){
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
  initlock(&pid_lock, "nextpid");
  initlock(&wait_lock, "wait_lock");
  for(int i = 0; i < NPROC; i++){
    initlock(&proc[i].lock, "proc");
    proc[i].state = UNUSED;
    proc[i].kstack = KSTACK(i);
  }
}

// Must be called with interrupts off, so the process cannot move to
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

// The running process, or 0.
struct proc*
myproc(void)
{
  push_off();
  struct proc *p = mycpu()->proc;
  pop_off();
  return p;
}

static int
allocpid(void)
{
  acquire(&pid_lock);
  int pid = nextpid++;
  release(&pid_lock);
  return pid;
}

// Clear a PTE without touching the page behind it (trampoline, trapframe).
static void
unmapkeep(pagetable_t pt, uint64 va)
{
  pte_t *pte = walk(pt, va, 0);
  if(pte)
    *pte = 0;
}

// Returns a user page table holding only the trampoline and p's
// trapframe, or 0 if memory is out.
pagetable_t
proc_pagetable(struct proc *p)
{
  pagetable_t pt = uvmcreate();
  if(pt == 0)
    return 0;
  if(mappages(pt, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R | PTE_X) != 0 ||
     mappages(pt, TRAPFRAME, PGSIZE, (uint64)p->trapframe, PTE_R | PTE_W) != 0){
    unmapkeep(pt, TRAMPOLINE);
    uvmfree(pt, 0, 0);
    return 0;
  }
  return pt;
}

// Free a page table and the user memory [0, sz) in it; owner is the
// process whose memory it is, or 0.
void
proc_freepagetable(pagetable_t pt, uint64 sz, struct proc *owner)
{
  unmapkeep(pt, TRAMPOLINE);
  unmapkeep(pt, TRAPFRAME);
  uvmfree(pt, sz, owner);
}

// Release everything a process holds but its slot. Caller holds p->lock.
static void
freeproc(struct proc *p)
{
  if(p->pagetable)
    proc_freepagetable(p->pagetable, p->sz, p);
  if(p->trapframe)
    kfree(p->trapframe);
  policy_release(p);
  p->trapframe = 0;
  p->pagetable = 0;
  p->sz = 0;
  p->pid = 0;
  p->parent = 0;
  p->name[0] = 0;
  p->chan = 0;
  p->killed = 0;
  p->xstate = 0;
  p->state = UNUSED;
}

// Find an unused slot and set it up to run forkret() in the kernel.
// Returns it with p->lock held, or 0 if the table is full or memory out.
static struct proc*
allocproc(void)
{
  struct proc *p;
  for(p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->state == UNUSED)
      goto found;
    release(&p->lock);
  }
  return 0;

found:
  p->pid = allocpid();
  p->state = USED;
  memset(&p->vm, 0, sizeof(p->vm));
  memset(&p->vmchild, 0, sizeof(p->vmchild));
  memset(p->policy_state, 0, sizeof(p->policy_state));
  if((p->trapframe = kalloc()) == 0 || (p->pagetable = proc_pagetable(p)) == 0){
    freeproc(p);
    release(&p->lock);
    return 0;
  }
  memset(&p->context, 0, sizeof(p->context));
  p->context.ra = (uint64)forkret;
  p->context.sp = p->kstack + KSTACKPAGES*PGSIZE;
  return p;
}

// The first process. It starts in forkret(), which execs /init.
void
userinit(void)
{
  struct proc *p = allocproc();
  if(p == 0)
    panic("userinit");
  initproc = p;
  safestrcpy(p->name, "init", sizeof(p->name));
  cwd_set(p, namei("/"));
  p->state = RUNNABLE;
  release(&p->lock);
}

// Grow or shrink user memory by n bytes. Returns 0, or -1 if it would
// shrink below the program's initial break or memory is out.
int
growproc(int n)
{
  struct proc *p = myproc();
  uint64 sz = p->sz;
  if(n > 0){
    if(sz + n > USERTOP || (sz = uvmalloc(p->pagetable, sz, sz + n, PTE_W)) == 0)
      return -1;
  } else if(n < 0){
    if(sz - p->heapbase < (uint64)-(int64)n)
      return -1;
    sz = uvmdealloc(p->pagetable, sz, sz + n, p);
    sfence_vma();
  }
  p->sz = sz;
  return 0;
}

// Create a child process, its memory shared or copied as the COW policy
// says. Returns the child's pid in the parent, 0 in the child, or -1.
int
fork(void)
{
  struct proc *p = myproc();
  struct proc *np = allocproc();
  if(np == 0)
    return -1;
  // np is USED: no scheduler runs it and no one waits for it yet, so
  // its memory can be set up without np->lock. Holding the lock through
  // a long cow_fork would stall every hart's scheduler scan at np.
  release(&np->lock);
  if(cow_fork(p, np) != 0){
    np->sz = p->sz;   // so that freeproc unmaps what cow_fork mapped
    acquire(&np->lock);
    freeproc(np);
    release(&np->lock);
    return -1;
  }
  np->sz = p->sz;
  np->heapbase = p->heapbase;
  *np->trapframe = *p->trapframe;
  np->trapframe->a0 = 0;   // fork returns 0 in the child
  fd_copy(p, np);
  safestrcpy(np->name, p->name, sizeof(p->name));
  int pid = np->pid;

  acquire(&wait_lock);
  np->parent = p;
  release(&wait_lock);

  acquire(&np->lock);
  np->state = RUNNABLE;
  release(&np->lock);
  return pid;
}

// Give p's children to init. Caller holds wait_lock.
static void
reparent(struct proc *p)
{
  for(struct proc *pp = proc; pp < &proc[NPROC]; pp++){
    if(pp->parent == p){
      pp->parent = initproc;
      wakeup(initproc);
    }
  }
}

// Exit the current process; it stays a zombie until its parent waits.
// Its user memory is released here, so that early copies are settled
// (and counted) while the process is still the current one.
void
exit(int status)
{
  struct proc *p = myproc();
  if(p == initproc)
    panic("init exiting");
  fd_release(p);
  uvmdealloc(p->pagetable, p->sz, 0, p);
  p->sz = 0;
  policy_release(p);

  acquire(&wait_lock);
  reparent(p);
  wakeup(p->parent);
  acquire(&p->lock);
  p->xstate = status;
  p->state = ZOMBIE;
  release(&wait_lock);
  sched();
  panic("zombie exit");
}

// Wait for a child to exit; copy its status to user address addr unless
// it is 0. Returns the child's pid, or -1 if there are no children, the
// caller was killed, or addr is bad (the child is then still reaped).
int
wait(uint64 addr)
{
  struct proc *p = myproc();
  acquire(&wait_lock);
  for(;;){
    int havekids = 0;
    for(struct proc *pp = proc; pp < &proc[NPROC]; pp++){
      if(pp->parent != p)
        continue;
      acquire(&pp->lock);
      havekids = 1;
      if(pp->state == ZOMBIE){
        int pid = pp->pid;
        int bad = addr != 0 &&
          copyout(p->pagetable, addr, &pp->xstate, sizeof(pp->xstate)) < 0;
        vmstat_fold(p, pp);
        freeproc(pp);
        release(&pp->lock);
        release(&wait_lock);
        return bad ? -1 : pid;
      }
      release(&pp->lock);
    }
    if(!havekids || killed(p)){
      release(&wait_lock);
      return -1;
    }
    sleep(p, &wait_lock);
  }
}

// Each hart runs this loop after boot: pick the next runnable process in
// table order, run it until it gives the cpu back, go on.
void
scheduler(void)
{
  struct cpu *c = mycpu();
  c->proc = 0;
  for(;;){
    // Interrupts on, so that a hart with nothing to run still hears
    // devices; then off while the table is scanned.
    intr_on();
    intr_off();
    int found = 0;
    for(struct proc *p = proc; p < &proc[NPROC]; p++){
      acquire(&p->lock);
      if(p->state == RUNNABLE){
        p->state = RUNNING;
        c->proc = p;
        swtch(&c->context, &p->context);
        c->proc = 0;
        found = 1;
      }
      release(&p->lock);
    }
    if(!found){
      intr_on();
      asm volatile("wfi");
    }
  }
}

// Switch to this hart's scheduler. Caller holds only p->lock and has
// changed p->state. intena belongs to this kernel thread, not the hart,
// so it is saved and restored around the switch.
void
sched(void)
{
  struct proc *p = myproc();
  if(!holding(&p->lock))
    panic("sched p->lock");
  if(mycpu()->noff != 1)
    panic("sched locks");
  if(p->state == RUNNING)
    panic("sched running");
  if(intr_get())
    panic("sched interruptible");
  int intena = mycpu()->intena;
  swtch(&p->context, &mycpu()->context);
  mycpu()->intena = intena;
}

// Give up the cpu for one scheduling round.
void
yield(void)
{
  struct proc *p = myproc();
  acquire(&p->lock);
  p->state = RUNNABLE;
  sched();
  release(&p->lock);
}

// A new process's first scheduling lands here, still holding p->lock
// from scheduler(). The very first process execs /init.
void
forkret(void)
{
  static int first = 1;
  release(&myproc()->lock);
  if(first){
    first = 0;
    char *argv[] = { "init", 0 };
    if(kexec("/init", argv) < 0)
      panic("cannot exec /init");
  }
  usertrapret();
}

// Release lk and sleep on chan; hold lk again when woken.
void
sleep(void *chan, struct spinlock *lk)
{
  struct proc *p = myproc();
  // Holding p->lock before releasing lk means no wakeup(chan) can slip
  // in between (wakeup takes p->lock).
  acquire(&p->lock);
  release(lk);
  p->chan = chan;
  p->state = SLEEPING;
  sched();
  p->chan = 0;
  release(&p->lock);
  acquire(lk);
}

// Wake every process sleeping on chan. Caller must not hold any p->lock.
void
wakeup(void *chan)
{
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    if(p != myproc()){
      acquire(&p->lock);
      if(p->state == SLEEPING && p->chan == chan)
        p->state = RUNNABLE;
      release(&p->lock);
    }
  }
}

// Kill the process with this pid: it exits (status -1) when it next
// crosses the user/kernel boundary. Returns 0, or -1 if there is none
// or it is init.
int
kill(int pid)
{
  if(initproc && pid == initproc->pid)
    return -1;   // init must never exit
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->pid == pid && p->state != UNUSED && p->state != ZOMBIE){
      p->killed = 1;
      if(p->state == SLEEPING)
        p->state = RUNNABLE;
      release(&p->lock);
      return 0;
    }
    release(&p->lock);
  }
  return -1;
}

void
setkilled(struct proc *p)
{
  acquire(&p->lock);
  p->killed = 1;
  release(&p->lock);
}

int
killed(struct proc *p)
{
  acquire(&p->lock);
  int k = p->killed;
  release(&p->lock);
  return k;
}

// Copy to a user address (user_dst set) or a kernel address.
// Returns 0 or -1.
int
either_copyout(int user_dst, uint64 dst, void *src, uint64 len)
{
  if(user_dst)
    return copyout(myproc()->pagetable, dst, src, len);
  memmove((char*)dst, src, len);
  return 0;
}

// Copy from a user address (user_src set) or a kernel address.
int
either_copyin(void *dst, int user_src, uint64 src, uint64 len)
{
  if(user_src)
    return copyin(myproc()->pagetable, dst, src, len);
  memmove(dst, (char*)src, len);
  return 0;
}

// ^P on the console: list the processes. Takes no lock, so that it works
// even when something is stuck.
void
procdump(void)
{
  static char *states[] = {
    [UNUSED] "unused", [USED] "used", [SLEEPING] "sleep",
    [RUNNABLE] "runble", [RUNNING] "run", [ZOMBIE] "zombie",
  };
  printf("\n");
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    if(p->state == UNUSED)
      continue;
    printf("%d %s %s %lu pages\n", p->pid, states[p->state], p->name,
           PGROUNDUP(p->sz) / PGSIZE);
  }
}
