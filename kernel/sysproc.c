// System calls about processes, time and the machine.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"

uint64
sys_exit(void)
{
  int n;
  argint(0, &n);
  exit(n);
  return 0;   // not reached
}

uint64
sys_getpid(void)
{
  return myproc()->pid;
}

uint64
sys_fork(void)
{
  return fork();
}

uint64
sys_wait(void)
{
  uint64 p;
  argaddr(0, &p);
  return wait(p);
}

uint64
sys_sbrk(void)
{
  int n;
  argint(0, &n);
  uint64 addr = myproc()->sz;
  if(growproc(myproc(), n) < 0)
    return -1;
  return addr;
}

uint64
sys_sleep(void)
{
  int n;
  argint(0, &n);
  if(n < 0)
    n = 0;
  acquire(&tickslock);
  uint ticks0 = ticks;
  while(ticks - ticks0 < n){
    if(killed(myproc())){
      release(&tickslock);
      return -1;
    }
    sleep(&ticks, &tickslock);
  }
  release(&tickslock);
  return 0;
}

uint64
sys_kill(void)
{
  int pid;
  argint(0, &pid);
  return kill(pid);
}

// Timer ticks since boot.
uint64
sys_uptime(void)
{
  acquire(&tickslock);
  uint xticks = ticks;
  release(&tickslock);
  return xticks;
}

uint64
sys_vmstat(void)
{
  int who;
  uint64 addr;
  struct vmstat st;
  argint(0, &who);
  argaddr(1, &addr);
  if(vmstat_get(myproc(), who, &st) < 0)
    return -1;
  if(copyout(myproc()->pagetable, addr, &st, sizeof(st)) < 0)
    return -1;
  return 0;
}

uint64
sys_poweroff(void)
{
  int status;
  argint(0, &status);
  poweroff(status);
  return 0;   // not reached
}

// Copy the string s to the user buffer given by arguments 0 (address)
// and 1 (size). Returns its length, or -1 if the buffer is bad or short.
static uint64
strout(const char *s)
{
  uint64 buf;
  int n;
  argaddr(0, &buf);
  argint(1, &n);
  int len = strlen(s);
  if(n < len + 1 || copyout(myproc()->pagetable, buf, (char*)s, len + 1) < 0)
    return -1;
  return len;
}

// bootcmd(buf, n): the boot command (what follows " -- " on the kernel
// command line; empty if none).
uint64
sys_bootcmd(void)
{
  return strout(bootcmd());
}

// getpolicy(buf, n): the name of the COW policy chosen at boot.
uint64
sys_getpolicy(void)
{
  return strout(policy_name());
}

uint64
sys_thread_create(void)
{
  uint64 fn, arg, stack;
  argaddr(0, &fn);
  argaddr(1, &arg);
  argaddr(2, &stack);
  return thread_create(fn, arg, stack);
}

uint64
sys_thread_join(void)
{
  int tid;
  uint64 addr;
  argint(0, &tid);
  argaddr(1, &addr);
  return thread_join(tid, addr);
}

uint64
sys_thread_exit(void)
{
  int n;
  argint(0, &n);
  thread_exit(n);
  return 0;   // not reached
}

uint64
sys_gettid(void)
{
  return mythread()->tid;
}

// lockstat(cmd, out): copy the lock statistics (NLOCKCLASS entries) to
// out unless it is 0; with cmd LOCKSTAT_RESET, zero them afterwards.
uint64
sys_lockstat(void)
{
  int cmd;
  uint64 out;
  struct lockcount lc[NLOCKCLASS];
  argint(0, &cmd);
  argaddr(1, &out);
  if(cmd != LOCKSTAT_READ && cmd != LOCKSTAT_RESET)
    return -1;
  lockstat_read(lc, cmd == LOCKSTAT_RESET);
  if(out && copyout(myproc()->pagetable, out, lc, sizeof(lc)) < 0)
    return -1;
  return 0;
}
