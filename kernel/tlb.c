// TLB shootdown. sfence.vma flushes only the hart that runs it, but the
// threads of one process may run on several harts at once through the
// same page table: after a change that takes a permission away or moves
// a page (fork making pages COW, a COW copy, memory given back), every
// hart running a thread of that process must flush before the change
// can be relied on.
//
// tlb_flush(p) flushes here, then, if p has other threads, raises
// cpu->flush on each other hart that runs one of them, sends it an
// inter-processor interrupt (CLINT msip; machinevec.S turns it into a
// supervisor software interrupt) and waits until every flag is down.
// A hart lowers its flag in tlb_poll(), from the interrupt, or from any
// loop that waits with interrupts off (acquire(), and tlb_flush itself)
// so that two harts waiting on each other still make progress.
//
// A hart that starts running a thread of p after the check needs no
// flush: it switches to p's page table in userret, which flushes.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "vmcount.h"

// Raise an inter-processor interrupt on hart: a shootdown (below), or
// a kick that wakes an idle hart to run a thread (sched.c).
void
ipi_send(int hart)
{
  *(volatile uint32*)(CLINT_MSIP + 4 * (uint64)hart) = 1;
}

// Flush this hart's whole TLB after p's page table changed.
void
tlb_local(struct proc *p)
{
  sfence_vma();
  vmcount(p, sfence_all, 1);
}

// Flush this hart's TLB entry for p's page at va.
void
tlb_local_page(struct proc *p, uint64 va)
{
  asm volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
  vmcount(p, sfence_page, 1);
}

// Flush this hart's TLB if another hart asked for it.
void
tlb_poll(void)
{
  struct cpu *c = &cpus[r_tp()];
  if(__atomic_load_n(&c->flush, __ATOMIC_ACQUIRE)){
    sfence_vma();
    vmcount((struct proc*)0, sfence_all, 1);
    __atomic_store_n(&c->flush, 0, __ATOMIC_RELEASE);
  }
}

// One turn of a waiting loop (a lock, a shootdown's answer): answer a
// flush request, and give the hart's turn away. QEMU runs the harts of a
// deterministic (-icount) boot one after another, each for a slice of
// up to a tick's worth of instructions; a hart that spins on a lock
// would spend its whole slice while the holder waits for its turn, and
// a handover would cost a round of slices. wfi ends a hart's slice in
// QEMU; with a software interrupt pending (set here, and enabled in
// sie) it returns at once, on hardware as well as in QEMU, so the loop
// goes on at the hart's next turn. An IPI that arrives meanwhile may
// have its SSIP cleared below: its request is the flag tlb_poll reads,
// set before the IPI was sent, so the poll after the clear serves it.
void
spin_wait(void)
{
  tlb_poll();
  int had = (csrr(sip) & SIP_SSIP) != 0;
  csrs(sip, SIP_SSIP);
  asm volatile("wfi");
  if(!had){
    csrc(sip, SIP_SSIP);
    tlb_poll();
  }
}

// p's page at va moved (a COW copy): drop its TLB entries. A process
// with one thread runs only here: one entry is enough.
void
tlb_flush_page(struct proc *p, uint64 va)
{
  if(one_thread(p))
    tlb_local_page(p, va);
  else
    tlb_flush(p);
}

// p's page table changed in a way that stale TLB entries must not
// outlive: flush every hart that may hold them. Returns when they have.
void
tlb_flush(struct proc *p)
{
  tlb_local(p);
  if(one_thread(p))
    return;   // p runs only here, if at all
  push_off();
  int me = cpuid();
  uint64 asked = 0;
  for(int h = 0; h < NCPU; h++){
    struct thread *t = __atomic_load_n(&cpus[h].thread, __ATOMIC_ACQUIRE);
    if(h == me || t == 0 || t->p != p)
      continue;
    __atomic_store_n(&cpus[h].flush, 1, __ATOMIC_RELEASE);
    ipi_send(h);
    asked |= 1UL << h;
  }
  for(int h = 0; h < NCPU; h++){
    if((asked >> h) & 1){
      vmcount(p, shootdowns, 1);
      while(__atomic_load_n(&cpus[h].flush, __ATOMIC_ACQUIRE))
        spin_wait();
    }
  }
  pop_off();
}
