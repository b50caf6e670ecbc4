#ifndef PROC_H
#define PROC_H
#include "vmstat.h"
#include "policies/policy.h"

// Callee-saved registers, saved by swtch() when a kernel thread gives up
// the hart.
struct context {
  uint64 ra;
  uint64 sp;
  uint64 s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
};

// Per-hart state.
struct cpu {
  struct thread *thread;    // the thread running here, or 0
  struct context context;   // swtch() here to enter the scheduler
  int noff;                 // depth of push_off() nesting
  int intena;               // were interrupts on before push_off()?
  int flush;                // a TLB shootdown waits for this hart (tlb.c)
};

extern struct cpu cpus[NCPU];

// Saved user registers of a thread, in a page of its own mapped in the
// process's page table at TRAPFRAME_VA(slot). uservec (trampoline.S)
// saves here; the first five fields are set by the kernel for uservec
// to find its way back in.
struct trapframe {
  /*   0 */ uint64 kernel_satp;
  /*   8 */ uint64 kernel_sp;
  /*  16 */ uint64 kernel_trap;   // usertrap()
  /*  24 */ uint64 epc;           // saved user pc
  /*  32 */ uint64 kernel_hartid;
  /*  40 */ uint64 ra;
  /*  48 */ uint64 sp;
  /*  56 */ uint64 gp;
  /*  64 */ uint64 tp;
  /*  72 */ uint64 t0;
  /*  80 */ uint64 t1;
  /*  88 */ uint64 t2;
  /*  96 */ uint64 s0;
  /* 104 */ uint64 s1;
  /* 112 */ uint64 a0;
  /* 120 */ uint64 a1;
  /* 128 */ uint64 a2;
  /* 136 */ uint64 a3;
  /* 144 */ uint64 a4;
  /* 152 */ uint64 a5;
  /* 160 */ uint64 a6;
  /* 168 */ uint64 a7;
  /* 176 */ uint64 s2;
  /* 184 */ uint64 s3;
  /* 192 */ uint64 s4;
  /* 200 */ uint64 s5;
  /* 208 */ uint64 s6;
  /* 216 */ uint64 s7;
  /* 224 */ uint64 s8;
  /* 232 */ uint64 s9;
  /* 240 */ uint64 s10;
  /* 248 */ uint64 s11;
  /* 256 */ uint64 t3;
  /* 264 */ uint64 t4;
  /* 272 */ uint64 t5;
  /* 280 */ uint64 t6;
};

// A thread is what a hart runs; a process is what its threads share. A
// process has 1 to NTHREADPROC threads, each in a slot of p->threads[]
// that also names where its trapframe is mapped.
//
// Locks. ptable_lock (proc.c) protects the process table and every field
// marked [P]: the life of processes and threads. sched_lock (sched.c)
// protects the fields marked [S]: what the scheduler and sleep/wakeup
// look at. Order: ptable_lock before sched_lock; sched_lock is the
// innermost lock of all, and a thread holds it across a switch.

enum tstate { T_FREE, T_NEW, T_RUNNABLE, T_RUNNING, T_SLEEPING, T_DEAD };

struct thread {
  enum tstate state;         // [S] (T_FREE <-> T_NEW also under [P])
  void *chan;                // [S] what a T_SLEEPING thread waits for
  struct thread *qnext;      // [S] next in the run queue or sleep bucket

  // Fixed while the thread exists:
  struct proc *p;            // its process
  int tid;                   // unique over the whole system
  int slot;                  // its index in p->threads[]
  uint64 kstack;             // kernel stack (one per thread table entry)
  struct trapframe *tf;      // kernel address of its trapframe page
  struct context context;    // swtch() here to run the thread

  uint64 preempt_t0;         // [S] instret when a timer interrupt began
                             // that preempts it (sched.c), or 0
  // Its own clock (thread_instr(), one hart only): instret less away,
  // the instructions on its hart that were not its own: interrupts it
  // took and all the time it was off the hart. Only the thread itself
  // writes these.
  uint64 away;
  uint64 out_at;             // instret when it last gave up its hart
  uint64 in_at;              // instret when it last got a hart back
  int done;                  // [P] it has exited: thread_join may reap it
  int xstate;                // [P] its thread_exit value
};

enum pstate { P_FREE, P_ALIVE, P_ZOMBIE };

struct proc {
  enum pstate state;         // [P]
  int pid;                   // [P] (its first thread's tid)
  struct proc *parent;       // [P]
  int xstate;                // [P] exit status for the parent's wait
  int killed;                // [P] every thread exits at its next chance
  struct thread *stopper;    // [P] a thread that exit/exec is running in:
                             // every other thread must end
  int nlive;                 // [P] threads that have not exited
  struct thread *threads[NTHREADPROC];   // [P] by slot; 0 = free slot

  // The address space, shared by the threads. Page-table changes and
  // COW resolution are guarded as the boot option ptlock says
  // (ptlock.c): mmlock alone (mm), or mmrw and the leaf tables' own
  // locks (split), or mmrw and compare-and-swap on PTEs (cas).
  pagetable_t pagetable;
  uint64 sz;                 // size of user memory in bytes
  uint64 heapbase;           // initial program break: sbrk floor
  struct spinlock mmlock;
  struct rwspin mmrw;
  struct forkplan *plans[NPLAN];   // fork copies left to the first write
  int nplans;                // of them; atomic (forkplan.c)

  struct spinlock polock;    // serialises the policy's hooks about p
  pte_t *fault_pte;          // [polock or one thread] the PTE of the COW
                             // fault on_fault is asked about (policy_fault_shared)
  int after_reuse;           // NEAR_AFTER_REUSE if its last COW fault took
                             // its page over (no copy), else 0: a hint
                             // (threads' faults may race to set it)
  int ask_faults;            // its COW faults ask on_fault: policy_faults,
                             // unless the policy hushed them at a fork
                             // (policy_hush_faults), until its next fork
                             // or exec
  uint skip_faults;          // its next COW faults not asked about
                             // (policy_skip_faults), until a fork or exec:
                             // a hint (threads' faults may race on it)
  uint64 policy_state[POLICY_STATE_BYTES / 8];   // the COW policy's

  // Open files and the working directory, shared by the threads; only
  // fd.c touches them, under fdlock.
  struct spinlock fdlock;
  struct file *ofile[NOFILE];
  struct inode *cwd;

  char name[16];
  struct vmstat vm;          // this process's memory counters (atomic)
  struct vmstat vmchild;     // [P] waited-for descendants' counters
};

// Page-table locking modes (ptlock_mode, options.c; ptlock.c).
#define PTLOCK_MM     0
#define PTLOCK_SPLIT  1
#define PTLOCK_CAS    2

// What the COW fault path holds of a process's page table (ptlock.c).
struct ptguard {
  struct proc *p;
  int held;            // a lock was taken (the process has threads)
  int mode;            // ptlock mode in force, -1 if none was needed
  pagetable_t leaf;    // the leaf table locked (split), or 0
};

// Replace the PTE *pte, read as old, by new. Returns 1, or 0 if (cas
// mode) another thread changed it first: then nothing was written.
// Inline: the fault paths set a PTE for every page they resolve.
static inline int
pt_set(struct ptguard *g, pte_t *pte, pte_t old, pte_t new)
{
  if(g->mode == PTLOCK_CAS)
    return __atomic_compare_exchange_n(pte, &old, new, 0, __ATOMIC_ACQ_REL,
                                       __ATOMIC_RELAXED);
  *pte = new;
  return 1;
}

// Has p one thread? Then nothing about it needs a lock against its
// siblings: only that thread (or, once it is gone, whoever frees the
// process) works on it, and the count cannot grow while the thread is
// busy in the kernel. The page-table locks (ptlock.c), the policy's
// lock (policy.c) and the TLB shootdowns (tlb.c) rest on this.
static inline int
one_thread(struct proc *p)
{
  return __atomic_load_n(&p->nlive, __ATOMIC_RELAXED) <= 1;
}

// Where slot s's trapframe is mapped, under the trampoline.
#define TRAPFRAME_VA(s) (TRAMPOLINE - ((uint64)(s) + 1) * PGSIZE)
#endif
