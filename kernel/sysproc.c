// System calls about processes, time and the machine: fork, exit,
// wait, kill, getpid, sbrk, sleep, uptime, exec, vmstat, poweroff,
// bootcmd, getpolicy.
#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "spinlock.h"
#include "proc.h"
#include "sysarg.h"

uint64
sys_fork(struct sysarg *a)
{
  return fork();
}

uint64
sys_exit(struct sysarg *a)
{
  exit(a->arg[0].n);
}

// wait(status): status is a user address, or 0.
uint64
sys_wait(struct sysarg *a)
{
  return wait(a->arg[0].va);
}

uint64
sys_kill(struct sysarg *a)
{
  return kill(a->arg[0].n);
}

uint64
sys_getpid(struct sysarg *a)
{
  return myproc()->pid;
}

// sbrk(n): returns the old break, or -1.
uint64
sys_sbrk(struct sysarg *a)
{
  uint64 old = myproc()->sz;
  return growproc(myproc(), a->arg[0].n) == 0 ? old : -1;
}

// sleep(n): n timer ticks; -1 if killed first.
uint64
sys_sleep(struct sysarg *a)
{
  int n = a->arg[0].n;
  int r = 0;

  acquire(&tickslock);
  uint start = ticks;
  while(n > 0 && ticks - start < (uint)n){
    if(killed(myproc())){
      r = -1;
      break;
    }
    sleep_killable(&ticks, &tickslock);
  }
  release(&tickslock);
  return r;
}

// uptime(): timer ticks since boot.
uint64
sys_uptime(struct sysarg *a)
{
  acquire(&tickslock);
  uint now = ticks;
  release(&tickslock);
  return now;
}

// Copy the argument strings of exec from the user's argv array at
// uargv into kernel pages, one a string, argv[argc] = 0. Returns argc,
// or -1 (with nothing held) if an address is bad, a string is longer
// than a page, there are more than MAXARG, or memory is out.
static int
fetchargv(uint64 uargv, char *argv[MAXARG+1])
{
  pagetable_t pt = myproc()->pagetable;
  int argc = 0;

  for(;;){
    uint64 ustr;
    if(copyin(pt, &ustr, uargv + argc * sizeof(uint64), sizeof(ustr)) < 0)
      break;
    if(ustr == 0){
      argv[argc] = 0;
      return argc;
    }
    if(argc == MAXARG || (argv[argc] = kalloc()) == 0)
      break;
    if(copyinstr(pt, argv[argc++], ustr, PGSIZE) < 0)
      break;
  }
  while(argc > 0)
    kfree(argv[--argc]);
  return -1;
}

// exec(path, argv): returns argc in the new program, -1 to the old one.
uint64
sys_exec(struct sysarg *a)
{
  char *argv[MAXARG+1];
  int argc = fetchargv(a->arg[1].va, argv);

  if(argc < 0)
    return -1;
  int r = kexec(a->arg[0].s, argv);
  for(int k = 0; k < argc; k++)
    kfree(argv[k]);
  return r;
}

// threadinstr(): the calling thread's own instructions so far
// (thread_instr(), sched.c; one hart only). A user program measures a
// piece of work by the difference of two calls less that of two calls
// in a row, and timer ticks that land inside do not change it.
uint64
sys_threadinstr(struct sysarg *a)
{
  return thread_instr();
}

// vmstat(who, st): the COW counters (vmstat.h).
uint64
sys_vmstat(struct sysarg *a)
{
  struct vmstat st;
  struct proc *p = myproc();

  if(vmstat_get(p, a->arg[0].n, &st) < 0 ||
     copyout(p->pagetable, a->arg[1].va, &st, sizeof(st)) < 0)
    return -1;
  return 0;
}

// poweroff(status): stops the machine; QEMU exits with status. Refuses
// (-1) a status the host could not read back (outside 0..255) and
// POWEROFF_PANIC, which tells the host that the kernel panicked.
uint64
sys_poweroff(struct sysarg *a)
{
  int status = a->arg[0].n;
  if(status < 0 || status > 255 || status == POWEROFF_PANIC)
    return -1;
  poweroff(status);
}

// Copy s, NUL included, to the user buffer of arguments 0 (address)
// and 1 (size). Returns its length, or -1 if the buffer is bad or short.
static uint64
strout(struct sysarg *a, const char *s)
{
  int len = strlen(s);
  if(a->arg[1].n < len + 1 ||
     copyout(myproc()->pagetable, a->arg[0].va, s, len + 1) < 0)
    return -1;
  return len;
}

// bootcmd(buf, n): what follows " -- " on the kernel command line, or "".
uint64
sys_bootcmd(struct sysarg *a)
{
  return strout(a, bootcmd());
}

// getpolicy(buf, n): the name of the COW policy chosen at boot.
uint64
sys_getpolicy(struct sysarg *a)
{
  return strout(a, policy_name());
}

// thread_create(fn, arg, stacktop): a new thread of this process.
uint64
sys_thread_create(struct sysarg *a)
{
  return thread_create(a->arg[0].va, a->arg[1].va, a->arg[2].va);
}

uint64
sys_thread_join(struct sysarg *a)
{
  return thread_join(a->arg[0].n, a->arg[1].va);
}

uint64
sys_thread_exit(struct sysarg *a)
{
  thread_exit(a->arg[0].n);
}

uint64
sys_gettid(struct sysarg *a)
{
  return mythread()->tid;
}

// lockstat(cmd, out): copy the lock statistics (NLOCKCLASS entries of
// struct lockcount) to out unless it is 0; with cmd LOCKSTAT_RESET, zero
// them afterwards.
uint64
sys_lockstat(struct sysarg *a)
{
  struct lockcount lc[NLOCKCLASS];
  int cmd = a->arg[0].n;
  if(cmd != LOCKSTAT_READ && cmd != LOCKSTAT_RESET)
    return -1;
  lockstat_read(lc, cmd == LOCKSTAT_RESET);
  if(a->arg[1].va && copyout(myproc()->pagetable, a->arg[1].va, lc, sizeof(lc)) < 0)
    return -1;
  return 0;
}

// kparam(key): the value of boot parameter key (the policy's or the
// mechanism's, default included; a word choice is its index), or -1 if
// there is no such parameter.
uint64
sys_kparam(struct sysarg *a)
{
  return policy_param_value(a->arg[0].s);
}
