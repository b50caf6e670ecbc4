# System call stubs: the number goes in a7, the arguments are
# already in a0..a5, and the kernel leaves the result in a0.
#include "kernel/syscall.h"

#define STUB(name) \
  .globl name; \
  .type name, @function; \
name: \
  li a7, SYS_ ## name; \
  ecall; \
  ret; \
  .size name, . - name

  .text
STUB(fork)
STUB(exit)
STUB(wait)
STUB(pipe)
STUB(read)
STUB(write)
STUB(close)
STUB(kill)
STUB(exec)
STUB(open)
STUB(mknod)
STUB(unlink)
STUB(fstat)
STUB(link)
STUB(mkdir)
STUB(chdir)
STUB(dup)
STUB(getpid)
STUB(sbrk)
STUB(sleep)
STUB(uptime)
STUB(vmstat)
STUB(poweroff)
STUB(bootcmd)
STUB(getpolicy)
STUB(thread_create)
STUB(thread_join)
STUB(thread_exit)
STUB(gettid)
STUB(lockstat)
STUB(threadinstr)
STUB(kparam)
