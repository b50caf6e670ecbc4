// Traps: system calls, faults and interrupts, from user and kernel mode.
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

void
trapinit(void)
{
  initlock(&tickslock, "time");
}

// Per hart: kernel traps go to kernelvec; user mode may read the time,
// cycle and instret counters.
void
trapinithart(void)
{
  csrw(stvec, (uint64)kernelvec);
  csrw(scounteren, 7);
}

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

// Serve a device or timer interrupt. Returns 2 for the timer, 1 for
// another device, 0 if scause is not an interrupt this kernel knows.
static int
devintr(uint64 scause)
{
  if(scause == SCAUSE_EXTERNAL){
    int irq = plic_claim();
    if(irq == UART0_IRQ)
      uartintr();
    if(irq)
      plic_complete(irq);
    return 1;
  }
  if(scause == SCAUSE_TIMER){
    clockintr();
    return 2;
  }
  return 0;
}

// Entered from uservec (trampoline.S) on any trap from user mode.
void
usertrap(void)
{
  if((csrr(sstatus) & SSTATUS_SPP) != 0)
    panic("usertrap: not from user mode");
  csrw(stvec, (uint64)kernelvec);   // we are in the kernel now

  struct proc *p = myproc();
  p->trapframe->epc = csrr(sepc);
  uint64 scause = csrr(scause);
  int which = 0;

  if(scause == SCAUSE_ECALL_U){
    if(killed(p))
      exit(-1);
    p->trapframe->epc += 4;   // return after the ecall
    intr_on();
    syscall();
  } else if((which = devintr(scause)) != 0){
    // served
  } else {
    uint64 stval = csrr(stval);
    int fixed = 0;
    if(scause == SCAUSE_IPAGE || scause == SCAUSE_LPAGE || scause == SCAUSE_SPAGE){
      vmcount(p, faults, 1);
      if(scause == SCAUSE_SPAGE)
        fixed = cow_fault(p, stval) == 0;
    }
    if(!fixed){
      printf("pid %d %s: killed by fault scause 0x%lx sepc 0x%lx stval 0x%lx\n",
             p->pid, p->name, scause, p->trapframe->epc, stval);
      setkilled(p);
    }
  }

  if(killed(p))
    exit(-1);
  if(which == 2)
    yield();
  usertrapret();
}

// Return to user mode through the trampoline.
void
usertrapret(void)
{
  struct proc *p = myproc();

  // Until sret, a trap would go to uservec with kernel state: keep
  // interrupts off.
  intr_off();
  csrw(stvec, TRAMPOLINE + (uservec - trampoline));

  p->trapframe->kernel_satp = csrr(satp);
  p->trapframe->kernel_sp = p->kstack + KSTACKPAGES*PGSIZE;
  p->trapframe->kernel_trap = (uint64)usertrap;
  p->trapframe->kernel_hartid = r_tp();

  uint64 x = csrr(sstatus);
  x &= ~SSTATUS_SPP;   // sret to user mode
  x |= SSTATUS_SPIE;   // with interrupts on
  csrw(sstatus, x);
  csrw(sepc, p->trapframe->epc);

  uint64 satp = MAKE_SATP(p->pagetable);
  uint64 fn = TRAMPOLINE + (userret - trampoline);
  ((void (*)(uint64))fn)(satp);
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
    panic("kerneltrap: interrupts enabled");

  int which = devintr(scause);
  if(which == 0){
    printf("scause 0x%lx sepc 0x%lx stval 0x%lx\n", scause, sepc, csrr(stval));
    panic("kerneltrap");
  }
  if(which == 2 && myproc() != 0 && myproc()->state == RUNNING)
    yield();

  // yield() may have taken other traps: restore what sret needs.
  csrw(sepc, sepc);
  csrw(sstatus, sstatus);
}
