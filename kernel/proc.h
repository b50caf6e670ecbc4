#ifndef PROC_H
#define PROC_H
#include "vmstat.h"
#include "policies/policy.h"

// Callee-saved registers, saved by swtch() when a kernel thread gives up
// the cpu.
struct context {
  uint64 ra;
  uint64 sp;
  uint64 s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
};

// Per-hart state.
struct cpu {
  struct proc *proc;        // running process, or null
  struct context context;   // swtch() here to enter scheduler()
  int noff;                 // depth of push_off() nesting
  int intena;               // were interrupts enabled before push_off()?
};

extern struct cpu cpus[NCPU];

// Saved user registers, in a page of its own mapped just under the
// trampoline. uservec (trampoline.S) saves here; the first five fields
// are set by the kernel for uservec to find its way back in.
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

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

// Lock order: wait_lock before any p->lock.
struct proc {
  struct spinlock lock;

  // protected by p->lock:
  enum procstate state;
  void *chan;          // sleeping on chan, if non-zero
  int killed;          // if non-zero, exit at the next chance
  int xstate;          // exit status for the parent's wait
  int pid;

  // protected by wait_lock:
  struct proc *parent;

  // private to the process, so p->lock need not be held:
  uint64 kstack;               // virtual address of the kernel stack
  uint64 sz;                   // size of user memory in bytes
  uint64 heapbase;             // initial program break: sbrk floor
  pagetable_t pagetable;
  struct trapframe *trapframe;
  struct context context;      // swtch() here to run the process
  struct file *ofile[NOFILE];
  struct inode *cwd;
  char name[16];
  struct vmstat vm;            // this process's memory counters
  struct vmstat vmchild;       // waited-for descendants' counters
  uint64 policy_state[POLICY_STATE_BYTES / 8];   // the COW policy's
};
#endif
