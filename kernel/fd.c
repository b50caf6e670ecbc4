// The open-file table and working directory of a process, shared by its
// threads: copied at fork, closed at exit.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"

// child (being forked) gets parent's open files and directory.
void
fd_fork(struct proc *parent, struct proc *child)
{
  for(int fd = 0; fd < NOFILE; fd++)
    if(parent->ofile[fd])
      child->ofile[fd] = filedup(parent->ofile[fd]);
  child->cwd = idup(parent->cwd);
}

// p is ending: close every file and drop the working directory.
void
fd_closeall(struct proc *p)
{
  for(int fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd]){
      fileclose(p->ofile[fd]);
      p->ofile[fd] = 0;
    }
  }
  if(p->cwd){
    iput(p->cwd);
    p->cwd = 0;
  }
}
