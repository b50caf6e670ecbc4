# Machine mode's one job after boot: turn an inter-processor interrupt
# into a supervisor software interrupt. Machine software interrupts
# (raised by a store to the CLINT's msip word of a hart) cannot be
# delegated to supervisor mode, so start() points mtvec here: clear the
# hart's msip, raise SSIP, and go back. The supervisor-mode kernel then
# takes the interrupt like any other (trap.c, tlb.c). Only that
# interrupt is enabled in machine mode; every exception is delegated.
#include "memlayout.h"

.globl machinevec
.align 4
machinevec:
        csrrw t0, mscratch, t0      # t0 = this hart's two-word save area
        sd t1, 0(t0)
        sd t2, 8(t0)
        csrr t1, mhartid
        slli t1, t1, 2
        li t2, CLINT_MSIP
        add t1, t1, t2
        sw zero, 0(t1)              # this hart's msip: handled
        li t1, 2                    # mip.SSIP
        csrs mip, t1
        ld t1, 0(t0)
        ld t2, 8(t0)
        csrrw t0, mscratch, t0
        mret
