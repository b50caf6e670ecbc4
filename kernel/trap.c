// Traps: system calls, faults and interrupts, from user and kernel mode.
//
// From user mode a trap enters at uservec (trampoline.S), which saves
// the user registers in the running thread's trapframe and calls
// usertrap() on the thread's kernel stack; usertrapret() goes back. In
// supervisor mode, traps enter at kernelvec (kernelvec.S), which calls
// kerneltrap(); only interrupts are expected there.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "vmcount.h"

struct spinlock tickslock;
uint ticks;

extern char trampoline[], uservec[], userret[];
void kernelvec(void);

enum { INTR_NONE, INTR_DEVICE, INTR_TIMER, INTR_IPI };

void
trapinit(void)
{
  initlock(&tickslock, "time", LOCK_other);
}

// Per hart: kernel traps go to kernelvec; user mode may read the time,
// cycle and instret counters.
void
trapinithart(void)
{
  csrw(stvec, (uint64)kernelvec);
  csrw(scounteren, 7);
}

// The timer: hart 0 keeps the tick count; every hart sets its next tick.
static void
clockintr(void)
{
  if(cpuid() == 0){
    acquire(&tickslock);
    ticks++;
    wakeup(&ticks);
    release(&tickslock);
  }
  w_stimecmp(r_time() + TICK_CYCLES);
}

// Serve an interrupt. Returns which kind it was, or INTR_NONE if scause
// is not an interrupt this kernel handles.
static int
devintr(uint64 scause)
{
  switch(scause){
  case SCAUSE_EXTERNAL: {
    int irq = plic_claim();
    if(irq == UART0_IRQ)
      uartintr();
    if(irq)
      plic_complete(irq);
    return INTR_DEVICE;
  }
  case SCAUSE_TIMER:
    clockintr();
    return INTR_TIMER;
  case SCAUSE_SOFTWARE:
    // Another hart asked for a TLB flush (tlb.c); machine mode turned
    // its inter-processor interrupt into this one.
    csrc(sip, SIP_SSIP);
    tlb_poll();
    return INTR_IPI;
  }
  return INTR_NONE;
}

static int
is_pagefault(uint64 scause)
{
  return scause == SCAUSE_IPAGE || scause == SCAUSE_LPAGE ||
         scause == SCAUSE_SPAGE;
}

// A fault in user code. Returns 1 if it was resolved (a store to a COW
// page, a first touch of a shared table), 0 if the process must die.
static int
userfault(struct proc *p, uint64 scause, uint64 stval)
{
  if(!is_pagefault(scause))
    return 0;
  vmcount(p, faults, 1);
  // The first touch of a region whose leaf table fork shared (ptshare).
  int resolved = l1_fault(p, stval);
  if(scause == SCAUSE_SPAGE)
    return cow_fault(p, stval) == 0;
  if(resolved)
    return 1;
  // A sibling thread on another hart may have resolved that first touch
  // between this hart's miss and now: if the access is allowed by now,
  // drop this hart's view of the page and let the access run again.
  pte_t *pte = stval < MAXVA ? walkuser(p->pagetable, stval) : 0;
  pte_t need = scause == SCAUSE_IPAGE ? PTE_X : PTE_R;
  if(pte && (*pte & need)){
    tlb_local_page(p, PGROUNDDOWN(stval));
    return 1;
  }
  return 0;
}

// Did the fault that kills p die for want of memory? A store to a page
// still COW was legal: the page to copy into was missing. Asked only on
// the way to a kill, so that a resolved fault pays nothing for it.
static int
nomem(struct proc *p, uint64 scause, uint64 stval)
{
  pte_t *pte = stval < MAXVA ? walkuser(p->pagetable, stval) : 0;
  return scause == SCAUSE_SPAGE && pte && (*pte & PTE_COW);
}

// Entered from uservec on any trap from user mode.
void
usertrap(void)
{
  if((csrr(sstatus) & SSTATUS_SPP) != 0)
    panic("usertrap: not from user mode");
  csrw(stvec, (uint64)kernelvec);   // in the kernel from now on

  struct thread *t = mythread();
  struct proc *p = t->p;
  t->tf->epc = csrr(sepc);
  uint64 scause = csrr(scause);
  uint64 t0 = r_instret();
  int intr = INTR_NONE;

  if(scause == SCAUSE_ECALL_U){
    vmcount(p, traps_syscall, 1);
    if(killed(p))
      exit(-1);
    t->tf->epc += 4;   // return past the ecall
    intr_on();
    syscall();
  } else if((intr = devintr(scause)) != INTR_NONE){
    vmcount(p, traps_intr, 1);
    if(intr != INTR_TIMER)
      t->away += intr_charge(p, t0);
  } else {
    vmcount(p, traps_fault, 1);
    uint64 stval = csrr(stval);
    if(!userfault(p, scause, stval)){
      printf("pid %d %s: killed by fault scause 0x%lx sepc 0x%lx stval 0x%lx%s\n",
             p->pid, p->name, scause, t->tf->epc, stval,
             nomem(p, scause, stval) ? " (out of memory)" : "");
      setkilled(p);
    }
  }

  if(killed(p))
    exit(-1);
  if(intr == INTR_TIMER)
    preempt(t, t0);
  usertrapret();
}

// Return to user mode through the trampoline, in the calling thread.
void
usertrapret(void)
{
  struct thread *t = mythread();
  struct proc *p = t->p;

  // Until sret, a trap would go to uservec with kernel state: keep
  // interrupts off.
  intr_off();
  csrw(stvec, TRAMPOLINE + (uservec - trampoline));

  t->tf->kernel_satp = csrr(satp);
  t->tf->kernel_sp = t->kstack + KSTACKPAGES*PGSIZE;
  t->tf->kernel_trap = (uint64)usertrap;
  t->tf->kernel_hartid = r_tp();

  uint64 s = csrr(sstatus);
  s &= ~SSTATUS_SPP;   // sret to user mode
  s |= SSTATUS_SPIE;   // with interrupts on
  csrw(sstatus, s);
  csrw(sepc, t->tf->epc);

  // userret(satp, trapframe): it switches page tables, leaves the
  // trapframe's user address in sscratch for the next uservec, restores
  // the user registers and srets.
  uint64 fn = TRAMPOLINE + (userret - trampoline);
  ((void (*)(uint64, uint64))fn)(MAKE_SATP(p->pagetable), TRAPFRAME_VA(t->slot));
}

// Entered from kernelvec on a trap in supervisor mode. Only interrupts
// are expected here; anything else is a kernel bug.
void
kerneltrap(void)
{
  uint64 sepc = csrr(sepc);
  uint64 sstatus = csrr(sstatus);
  uint64 scause = csrr(scause);

  if((sstatus & SSTATUS_SPP) == 0)
    panic("kerneltrap: not from supervisor mode");
  if(intr_get())
    panic("kerneltrap: interrupts on");

  uint64 t0 = r_instret();
  int intr = devintr(scause);
  if(intr == INTR_NONE){
    printf("scause 0x%lx sepc 0x%lx stval 0x%lx\n", scause, sepc, csrr(stval));
    panic("kerneltrap");
  }
  struct thread *t = mythread();
  struct proc *p = t ? t->p : 0;
  vmcount(p, traps_intr, 1);
  if(intr == INTR_TIMER && t != 0 && t->state == T_RUNNING)
    preempt(t, t0);
  else if(t != 0)
    t->away += intr_charge(p, t0);
  else
    intr_charge(p, t0);

  // yield() may have taken other traps: restore what sret needs.
  csrw(sepc, sepc);
  csrw(sstatus, sstatus);
}
