// The platform-level interrupt controller: route the UART's interrupt to
// every hart's supervisor context.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "defs.h"

#define REG32(a) (*(volatile uint32*)(a))

void
plicinit(void)
{
  REG32(PLIC_PRIORITY + UART0_IRQ*4) = 1;
}

void
plicinithart(void)
{
  int hart = cpuid();
  REG32(PLIC_SENABLE(hart)) = 1 << UART0_IRQ;
  REG32(PLIC_SPRIORITY(hart)) = 0;
}

// Returns the interrupt to serve, or 0.
int
plic_claim(void)
{
  return REG32(PLIC_SCLAIM(cpuid()));
}

void
plic_complete(int irq)
{
  REG32(PLIC_SCLAIM(cpuid())) = irq;
}
