// Read the hardware counters. The kernel sets mcounteren and
// scounteren so that these instructions do not trap in user mode.

#include "user/user.h"

uint64
rdinstret(void)
{
  uint64 x;

  asm volatile("rdinstret %0" : "=r" (x));
  return x;
}

uint64
rdcycle(void)
{
  uint64 x;

  asm volatile("rdcycle %0" : "=r" (x));
  return x;
}
