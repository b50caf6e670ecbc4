// System call dispatch. One table lists every call with the kinds of
// its arguments; the dispatcher decodes the user's registers a0..a5 by
// those kinds and checks them once, so that a sys_ function gets its
// arguments ready to use, and a bad one never reaches it:
//
//   'i'  int                      arg[k].n
//   'a'  user address             arg[k].va (copyin/copyout check it)
//   'f'  open file descriptor     arg[k].f, a held reference; -1 if the
//                                 descriptor is not open
//   'p'  path                     arg[k].s, a kernel copy; -1 if the
//                                 address is bad or the path has no NUL
//                                 within MAXPATH bytes
//
// Adding a call: its number in syscall.h, its stub in user/usys.S, a
// line in SYSCALLS below, and uint64 sys_NAME(struct sysarg*).
#include "types.h"
#include "defs.h"
#include "spinlock.h"
#include "proc.h"
#include "syscall.h"
#include "sysarg.h"

#define SYSCALLS(X) \
  X(fork,      "")    \
  X(exit,      "i")   \
  X(wait,      "a")   \
  X(pipe,      "a")   \
  X(read,      "fai") \
  X(kill,      "i")   \
  X(exec,      "pa")  \
  X(fstat,     "fa")  \
  X(chdir,     "p")   \
  X(dup,       "f")   \
  X(getpid,    "")    \
  X(sbrk,      "i")   \
  X(sleep,     "i")   \
  X(uptime,    "")    \
  X(open,      "pi")  \
  X(write,     "fai") \
  X(mknod,     "pii") \
  X(unlink,    "p")   \
  X(link,      "pp")  \
  X(mkdir,     "p")   \
  X(close,     "i")   \
  X(vmstat,    "ia")  \
  X(poweroff,  "i")   \
  X(bootcmd,   "ai")  \
  X(getpolicy, "ai")  \
  X(thread_create, "aaa") \
  X(thread_join, "ia") \
  X(thread_exit, "i") \
  X(gettid,    "")    \
  X(lockstat,  "ia")  \
  X(kparam,    "p")   \
  X(threadinstr, "")

#define DECLARE(name, kinds) uint64 sys_##name(struct sysarg*);
SYSCALLS(DECLARE)

struct syscall {
  char *name;
  uint64 (*fn)(struct sysarg*);
  char *kinds;          // one letter per argument, as above
};

#define ENTRY(name, kinds) [SYS_##name] = { #name, sys_##name, kinds },
static const struct syscall calls[] = { SYSCALLS(ENTRY) };

// Fill a with the arguments of call c from thread t's registers. Returns
// 0, or -1 if an argument is bad. Either way a->held is what the caller
// must drop when done.
static int
decode(struct thread *t, const struct syscall *c, struct sysarg *a)
{
  struct proc *p = t->p;
  struct trapframe *tf = t->tf;
  uint64 reg[SYSARGS] = { tf->a0, tf->a1, tf->a2, tf->a3, tf->a4, tf->a5 };
  int npath = 0;

  a->held = 0;
  for(int k = 0; c->kinds[k]; k++){
    switch(c->kinds[k]){
    case 'i':
      a->arg[k].n = (int)reg[k];
      break;
    case 'a':
      a->arg[k].va = reg[k];
      break;
    case 'f':
      if(a->held || (a->held = fd_get(p, (int)reg[k])) == 0)
        return -1;
      a->arg[k].f = a->held;
      break;
    case 'p':
      if(npath == SYSPATHS)
        panic("syscall: too many paths");
      a->arg[k].s = a->path[npath++];
      if(copyinstr(p->pagetable, a->arg[k].s, reg[k], MAXPATH) < 0)
        return -1;
      break;
    default:
      panic("syscall: argument kind");
    }
  }
  return 0;
}

// Called from usertrap() for an ecall: the call number is in a7, the
// result goes back in a0.
void
syscall(void)
{
  struct thread *t = mythread();
  uint64 num = t->tf->a7;
  struct sysarg a;

  if(num >= NELEM(calls) || calls[num].fn == 0){
    printf("pid %d %s: unknown system call %lu\n", t->p->pid, t->p->name, num);
    t->tf->a0 = -1;
    return;
  }
  uint64 ret = -1;
  if(decode(t, &calls[num], &a) == 0)
    ret = calls[num].fn(&a);
  if(a.held)
    file_put(a.held);
  t->tf->a0 = ret;
}
