// Machine mode: set the hart up for the supervisor-mode kernel and drop
// into main() in supervisor mode.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "defs.h"

void main(void);
void machinevec(void);

// Two words per hart for machinevec to save registers in.
static uint64 msave[NCPU][2];

// One boot stack per hart, used until the scheduler's first swtch.
__attribute__ ((aligned (16))) char stack0[16384 * NCPU];

uint64 boot_dtb;   // device tree address, set by hart 0

void
start(uint64 hartid, uint64 dtb)
{
  if(hartid >= NCPU){
    for(;;)
      asm volatile("wfi");
  }
  if(hartid == 0)
    boot_dtb = dtb;

  // mret goes to main() in supervisor mode.
  uint64 x = csrr(mstatus);
  x &= ~MSTATUS_MPP_MASK;
  x |= MSTATUS_MPP_S;
  csrw(mstatus, x);
  csrw(mepc, (uint64)main);
  csrw(satp, 0);

  // Every exception and interrupt goes to the supervisor.
  csrw(medeleg, 0xffff);
  csrw(mideleg, 0xffff);
  csrs(sie, SIE_SEIE | SIE_STIE | SIE_SSIE);

  // Inter-processor interrupts: machine mode forwards them (machinevec.S).
  csrw(mscratch, (uint64)msave[hartid]);
  csrw(mtvec, (uint64)machinevec);
  csrs(mie, MIE_MSIE);

  // Let supervisor mode reach all of physical memory.
  csrw(pmpaddr0, 0x3fffffffffffffull);
  csrw(pmpcfg0, 0xf);

  // Sstc: the supervisor programs its own timer through stimecmp; and
  // both lower modes may read time, cycle and instret (user programs
  // measure themselves with rdinstret).
  asm volatile("csrs 0x30a, %0" : : "r"(1UL << 63));
  csrw(mcounteren, 7);
  w_stimecmp(r_time() + TICK_CYCLES);

  w_tp(hartid);
  asm volatile("mret");
}
