// System call dispatch and argument fetching. Arguments arrive in the
// user's a0..a5; the result goes back in a0. Pointer arguments are only
// fetched as numbers here: copyin/copyout check them when used.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "syscall.h"
#include "defs.h"

// Fetch the uint64 at user address addr. Returns 0 or -1.
int
fetchaddr(uint64 addr, uint64 *ip)
{
  return copyin(myproc()->pagetable, ip, addr, sizeof(*ip));
}

// Fetch the NUL-terminated string at user address addr into buf.
// Returns its length, or -1 if addr is bad or the string is too long.
int
fetchstr(uint64 addr, char *buf, int max)
{
  if(copyinstr(myproc()->pagetable, buf, addr, max) < 0)
    return -1;
  return strlen(buf);
}

static uint64
argraw(int n)
{
  struct trapframe *tf = mythread()->tf;
  switch(n){
  case 0: return tf->a0;
  case 1: return tf->a1;
  case 2: return tf->a2;
  case 3: return tf->a3;
  case 4: return tf->a4;
  case 5: return tf->a5;
  }
  panic("argraw");
  return -1;
}

void
argint(int n, int *ip)
{
  *ip = argraw(n);
}

void
argaddr(int n, uint64 *ip)
{
  *ip = argraw(n);
}

// Fetch argument n as a string of at most max bytes (NUL included).
// Returns its length or -1.
int
argstr(int n, char *buf, int max)
{
  uint64 addr;
  argaddr(n, &addr);
  return fetchstr(addr, buf, max);
}

extern uint64 sys_fork(void), sys_exit(void), sys_wait(void),
  sys_pipe(void), sys_read(void), sys_kill(void), sys_exec(void),
  sys_fstat(void), sys_chdir(void), sys_dup(void), sys_getpid(void),
  sys_sbrk(void), sys_sleep(void), sys_uptime(void), sys_open(void),
  sys_write(void), sys_mknod(void), sys_unlink(void), sys_link(void),
  sys_mkdir(void), sys_close(void), sys_vmstat(void), sys_poweroff(void),
  sys_bootcmd(void), sys_getpolicy(void), sys_thread_create(void),
  sys_thread_join(void), sys_thread_exit(void), sys_gettid(void),
  sys_lockstat(void);

static uint64 (*syscalls[])(void) = {
  [SYS_fork]    sys_fork,
  [SYS_exit]    sys_exit,
  [SYS_wait]    sys_wait,
  [SYS_pipe]    sys_pipe,
  [SYS_read]    sys_read,
  [SYS_kill]    sys_kill,
  [SYS_exec]    sys_exec,
  [SYS_fstat]   sys_fstat,
  [SYS_chdir]   sys_chdir,
  [SYS_dup]     sys_dup,
  [SYS_getpid]  sys_getpid,
  [SYS_sbrk]    sys_sbrk,
  [SYS_sleep]   sys_sleep,
  [SYS_uptime]  sys_uptime,
  [SYS_open]    sys_open,
  [SYS_write]   sys_write,
  [SYS_mknod]   sys_mknod,
  [SYS_unlink]  sys_unlink,
  [SYS_link]    sys_link,
  [SYS_mkdir]   sys_mkdir,
  [SYS_close]   sys_close,
  [SYS_vmstat]  sys_vmstat,
  [SYS_poweroff] sys_poweroff,
  [SYS_bootcmd] sys_bootcmd,
  [SYS_getpolicy] sys_getpolicy,
  [SYS_thread_create] sys_thread_create,
  [SYS_thread_join] sys_thread_join,
  [SYS_thread_exit] sys_thread_exit,
  [SYS_gettid] sys_gettid,
  [SYS_lockstat] sys_lockstat,
};

void
syscall(void)
{
  struct thread *t = mythread();
  uint64 num = t->tf->a7;
  if(num > 0 && num < NELEM(syscalls) && syscalls[num]){
    t->tf->a0 = syscalls[num]();
  } else {
    printf("pid %d %s: unknown system call %lu\n", t->p->pid, t->p->name, num);
    t->tf->a0 = -1;
  }
}
