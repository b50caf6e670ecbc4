#ifndef MEMLAYOUT_H
#define MEMLAYOUT_H
// Physical memory layout of QEMU -machine virt (what the kernel relies on):
//   0x00100000  test device: a store powers the machine off
//   0x02000000  CLINT: inter-processor interrupts (msip)
//   0x0c000000  PLIC
//   0x10000000  UART0 (NS16550)
//   0x80000000  RAM: the kernel is loaded here; its size comes from the
//               device tree's /memory node.
#define VIRT_TEST 0x100000L
#define CLINT     0x2000000
#define CLINT_MSIP CLINT     // one 32-bit word per hart: raise its IPI
#define UART0     0x10000000L
#define UART0_IRQ 10
#define PLIC      0x0c000000L
#define PLIC_PRIORITY     (PLIC + 0x0)
#define PLIC_SENABLE(h)   (PLIC + 0x2080 + (h)*0x100)
#define PLIC_SPRIORITY(h) (PLIC + 0x201000 + (h)*0x2000)
#define PLIC_SCLAIM(h)    (PLIC + 0x201004 + (h)*0x2000)

#define KERNBASE 0x80000000L

// Top of every address space (user and kernel): the trampoline page, then
// below it the trapframe (user) or the kernel stacks (kernel), each stack
// with an unmapped guard page under it.
#define TRAMPOLINE (MAXVA - PGSIZE)
#define TRAPFRAME  (TRAMPOLINE - PGSIZE)
#define KSTACK(i)  (TRAMPOLINE - ((i)+1) * (KSTACKPAGES+1) * PGSIZE)

// User memory lies below USERTOP; the top GiB of a user address space
// (one whole first-level entry) holds only the trapframe and the
// trampoline, so no leaf table under USERTOP ever maps them.
#define USERTOP (MAXVA - (1L << 30))

// A leaf page table maps this much: the unit of fork and of page-table
// sharing.
#define REGION_SIZE (512L * PGSIZE)
#endif
