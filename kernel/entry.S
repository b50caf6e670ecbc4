# QEMU (-bios none) starts every hart here in machine mode, paging off,
# with a0 = hart id and a1 = the device tree's physical address.
# Give each hart its own boot stack and go to start().
#include "param.h"
.section .text.entry
.globl _entry
_entry:
        la sp, stack0
        li t0, 16384
        addi t1, a0, 1
        mul t0, t0, t1
        add sp, sp, t0
        call start
1:      wfi
        j 1b
