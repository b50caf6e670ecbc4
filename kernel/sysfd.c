// System calls on file descriptors: read, write, close, dup, fstat and
// pipe. A descriptor argument arrives as its struct file, which the
// dispatcher holds for the call (syscall.c): a bad descriptor never
// gets here.
#include "types.h"
#include "defs.h"
#include "spinlock.h"
#include "proc.h"
#include "sysarg.h"

// read(fd, buf, n)
uint64
sys_read(struct sysarg *a)
{
  return file_read(a->arg[0].f, a->arg[1].va, a->arg[2].n);
}

// write(fd, buf, n)
uint64
sys_write(struct sysarg *a)
{
  return file_write(a->arg[0].f, a->arg[1].va, a->arg[2].n);
}

// fstat(fd, st)
uint64
sys_fstat(struct sysarg *a)
{
  return file_stat(a->arg[0].f, a->arg[1].va);
}

// dup(fd): the lowest free descriptor, for the same file.
uint64
sys_dup(struct sysarg *a)
{
  struct file *f = file_dup(a->arg[0].f);
  int fd = fd_install(myproc(), f);
  if(fd < 0)
    file_put(f);
  return fd;
}

// close(fd). Takes the number, not the file: the descriptor is what
// goes away.
uint64
sys_close(struct sysarg *a)
{
  struct file *f = fd_remove(myproc(), a->arg[0].n);
  if(f == 0)
    return -1;
  file_put(f);
  return 0;
}

// pipe(fds): fds[0] the read end, fds[1] the write end. On failure no
// descriptor is left open.
uint64
sys_pipe(struct sysarg *a)
{
  struct proc *p = myproc();
  struct file *rf, *wf;
  int fds[2] = { -1, -1 };

  if(pipe_new(&rf, &wf) < 0)
    return -1;
  if((fds[0] = fd_install(p, rf)) >= 0 && (fds[1] = fd_install(p, wf)) >= 0 &&
     copyout(p->pagetable, a->arg[0].va, fds, sizeof(fds)) == 0)
    return 0;
  // Take back what was installed; then each end has exactly one
  // reference, ours, to drop.
  for(int k = 0; k < 2; k++)
    if(fds[k] >= 0)
      fd_remove(p, fds[k]);
  file_put(rf);
  file_put(wf);
  return -1;
}
