# The trampoline page, mapped at TRAMPOLINE in the kernel's and in every
# user page table, so that the code that switches page tables keeps
# running across the switch. uservec enters the kernel from user mode;
# userret goes back. Register offsets match struct trapframe (proc.h).
#
# Threads of a process share one page table, so each thread's trapframe
# is mapped at an address of its own (TRAPFRAME_VA(slot)). While a thread
# runs in user mode, sscratch holds that address: uservec swaps it with
# a0 to find where to save, and userret puts it back.
#include "riscv.h"
#include "memlayout.h"

.section trampsec
.globl trampoline
.globl uservec
.globl userret
trampoline:
.align 4
uservec:
        csrrw a0, sscratch, a0      # a0 = trapframe; sscratch = user a0
        sd ra, 40(a0)
        sd sp, 48(a0)
        sd gp, 56(a0)
        sd tp, 64(a0)
        sd t0, 72(a0)
        sd t1, 80(a0)
        sd t2, 88(a0)
        sd s0, 96(a0)
        sd s1, 104(a0)
        sd a1, 120(a0)
        sd a2, 128(a0)
        sd a3, 136(a0)
        sd a4, 144(a0)
        sd a5, 152(a0)
        sd a6, 160(a0)
        sd a7, 168(a0)
        sd s2, 176(a0)
        sd s3, 184(a0)
        sd s4, 192(a0)
        sd s5, 200(a0)
        sd s6, 208(a0)
        sd s7, 216(a0)
        sd s8, 224(a0)
        sd s9, 232(a0)
        sd s10, 240(a0)
        sd s11, 248(a0)
        sd t3, 256(a0)
        sd t4, 264(a0)
        sd t5, 272(a0)
        sd t6, 280(a0)
        csrr t0, sscratch           # the user's a0
        sd t0, 112(a0)

        ld sp, 8(a0)                # the thread's kernel stack
        ld tp, 32(a0)               # hart id
        ld t0, 16(a0)               # usertrap()
        ld t1, 0(a0)                # kernel page table

        sfence.vma zero, zero
        csrw satp, t1
        sfence.vma zero, zero
        jr t0                       # usertrap() does not return

userret:
        # userret(satp, trapframe): switch to the user page table, keep
        # the trapframe's address for the next uservec, restore the user
        # registers from it and sret to user mode.
        sfence.vma zero, zero
        csrw satp, a0
        sfence.vma zero, zero

        csrw sscratch, a1
        mv a0, a1
        ld ra, 40(a0)
        ld sp, 48(a0)
        ld gp, 56(a0)
        ld tp, 64(a0)
        ld t0, 72(a0)
        ld t1, 80(a0)
        ld t2, 88(a0)
        ld s0, 96(a0)
        ld s1, 104(a0)
        ld a1, 120(a0)
        ld a2, 128(a0)
        ld a3, 136(a0)
        ld a4, 144(a0)
        ld a5, 152(a0)
        ld a6, 160(a0)
        ld a7, 168(a0)
        ld s2, 176(a0)
        ld s3, 184(a0)
        ld s4, 192(a0)
        ld s5, 200(a0)
        ld s6, 208(a0)
        ld s7, 216(a0)
        ld s8, 224(a0)
        ld s9, 232(a0)
        ld s10, 240(a0)
        ld s11, 248(a0)
        ld t3, 256(a0)
        ld t4, 264(a0)
        ld t5, 272(a0)
        ld t6, 280(a0)
        ld a0, 112(a0)
        sret
