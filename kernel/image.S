# The program image (user/mkimage.c) linked into the kernel as data; the
# build puts fs.img on the assembler's include path.
.section .rodata
.balign 8
.globl fsimage
.globl fsimage_end
fsimage:
        .incbin "fs.img"
fsimage_end:
