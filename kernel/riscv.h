// RISC-V privileged-architecture definitions and CSR access.
#ifndef RISCV_H
#define RISCV_H
#define MSTATUS_MPP_MASK (3L << 11)
#define MSTATUS_MPP_S    (1L << 11)

#define SSTATUS_SPP  (1L << 8)   // previous mode: 1 = supervisor
#define SSTATUS_SPIE (1L << 5)   // supervisor interrupts enabled before trap
#define SSTATUS_SIE  (1L << 1)   // supervisor interrupts enabled
#define SSTATUS_SUM  (1L << 18)

#define SIE_SEIE (1L << 9)
#define SIE_STIE (1L << 5)
#define SIE_SSIE (1L << 1)
#define SIP_SSIP (1L << 1)

#define MIE_MSIE (1L << 3)

// scause values this kernel handles
#define SCAUSE_INTR      (1L << 63)
#define SCAUSE_SOFTWARE  (SCAUSE_INTR | 1)
#define SCAUSE_TIMER     (SCAUSE_INTR | 5)
#define SCAUSE_EXTERNAL  (SCAUSE_INTR | 9)
#define SCAUSE_ECALL_U   8
#define SCAUSE_IPAGE     12   // instruction page fault
#define SCAUSE_LPAGE     13   // load page fault
#define SCAUSE_SPAGE     15   // store/AMO page fault

#define SATP_SV39 (8L << 60)
#define MAKE_SATP(pt) (SATP_SV39 | (((uint64)pt) >> 12))

#define PGSIZE 4096
#define PGSHIFT 12
#define PGROUNDUP(a)   (((a)+PGSIZE-1) & ~(PGSIZE-1))
#define PGROUNDDOWN(a) (((a)) & ~(PGSIZE-1))

#define PTE_V (1L << 0)
#define PTE_R (1L << 1)
#define PTE_W (1L << 2)
#define PTE_X (1L << 3)
#define PTE_U (1L << 4)
#define PTE_A (1L << 6)
#define PTE_D (1L << 7)
#define PTE_COW (1L << 8)   // software bit (RSW): shared copy-on-write
#define PTE_EARLY (1L << 9) // software bit (RSW): a copy the COW policy asked
                            // for before anyone wrote the page (cow.c)
#define PTE_PENDING (1L << 8) // in a level-1 entry with V clear: points at
                            // a leaf table fork shared, still to be made
                            // read-only for this process (ptshare.c)

#define PA2PTE(pa) ((((uint64)pa) >> 12) << 10)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define PTE_FLAGS(pte) ((pte) & 0x3FF)

#define PXMASK 0x1FF
#define PXSHIFT(level) (PGSHIFT + 9*(level))
#define PX(level, va) ((((uint64) (va)) >> PXSHIFT(level)) & PXMASK)

// One bit less than Sv39's maximum, so that no address has to be
// sign-extended.
#define MAXVA (1L << (9 + 9 + 9 + 12 - 1))

#ifndef __ASSEMBLER__
#include "bits.h"

#define csrr(csr) ({ uint64 __v; \
  asm volatile("csrr %0, " #csr : "=r"(__v)); __v; })
#define csrw(csr, v) asm volatile("csrw " #csr ", %0" : : "r"((uint64)(v)))
#define csrs(csr, v) asm volatile("csrs " #csr ", %0" : : "r"((uint64)(v)))
#define csrc(csr, v) asm volatile("csrc " #csr ", %0" : : "r"((uint64)(v)))

// CSRs the assembler may not know by name.
#define CSR_STIMECMP 0x14d
#define CSR_MENVCFG  0x30a

static inline uint64
r_tp(void)
{
  uint64 x;
  asm volatile("mv %0, tp" : "=r"(x));
  return x;
}

static inline void
w_tp(uint64 x)
{
  asm volatile("mv tp, %0" : : "r"(x));
}

static inline uint64
r_sp(void)
{
  uint64 x;
  asm volatile("mv %0, sp" : "=r"(x));
  return x;
}

static inline uint64
r_time(void)
{
  uint64 x;
  asm volatile("rdtime %0" : "=r"(x));
  return x;
}

static inline uint64
r_instret(void)
{
  uint64 x;
  asm volatile("rdinstret %0" : "=r"(x));
  return x;
}

static inline void
w_stimecmp(uint64 x)
{
  asm volatile("csrw 0x14d, %0" : : "r"(x));
}

static inline void
intr_on(void)
{
  csrs(sstatus, SSTATUS_SIE);
}

static inline void
intr_off(void)
{
  csrc(sstatus, SSTATUS_SIE);
}

static inline int
intr_get(void)
{
  return (csrr(sstatus) & SSTATUS_SIE) != 0;
}

static inline void
sfence_vma(void)
{
  asm volatile("sfence.vma zero, zero");
}


#endif
#endif
