// A process's descriptor table and current directory. These functions
// are the only code that touches p->ofile[] and p->cwd: when threads
// share one table, its lock goes here and nowhere else.
//
// Each non-empty slot of the table owns one reference to its struct
// file (file.c); cwd owns one reference to its inode (fs.c). The threads
// of a process share both, so p->fdlock guards every look and change;
// it is held only for the look or the change itself, never across a
// call that may sleep (closing a file, dropping an inode).
#include "types.h"
#include "defs.h"
#include "spinlock.h"
#include "proc.h"

// Returns a new reference to the file open as fd, or 0 if fd is not an
// open descriptor. The caller drops it with file_put().
struct file*
fd_get(struct proc *p, int fd)
{
  if(fd < 0 || fd >= NOFILE)
    return 0;
  acquire(&p->fdlock);
  struct file *f = p->ofile[fd] ? file_dup(p->ofile[fd]) : 0;
  release(&p->fdlock);
  return f;
}

// Put f in the lowest free slot; the slot takes over the caller's
// reference. Returns the descriptor, or -1 if every slot is taken (the
// caller keeps its reference).
int
fd_install(struct proc *p, struct file *f)
{
  acquire(&p->fdlock);
  int fd = 0;
  while(fd < NOFILE && p->ofile[fd] != 0)
    fd++;
  if(fd < NOFILE)
    p->ofile[fd] = f;
  release(&p->fdlock);
  return fd < NOFILE ? fd : -1;
}

// Empty slot fd. Returns the slot's reference to its file, for the
// caller to drop, or 0 if fd was not open.
struct file*
fd_remove(struct proc *p, int fd)
{
  if(fd < 0 || fd >= NOFILE)
    return 0;
  acquire(&p->fdlock);
  struct file *f = p->ofile[fd];
  p->ofile[fd] = 0;
  release(&p->fdlock);
  return f;
}

// fork: give child the parent's open files (the same struct files,
// shared with their offsets) and current directory.
void
fd_copy(struct proc *parent, struct proc *child)
{
  acquire(&parent->fdlock);
  for(int fd = 0; fd < NOFILE; fd++)
    child->ofile[fd] = parent->ofile[fd] ? file_dup(parent->ofile[fd]) : 0;
  child->cwd = parent->cwd ? idup(parent->cwd) : 0;
  release(&parent->fdlock);
}

// exit: close every descriptor and let go of the current directory.
void
fd_release(struct proc *p)
{
  for(int fd = 0; fd < NOFILE; fd++){
    struct file *f = fd_remove(p, fd);
    if(f)
      file_put(f);
  }
  cwd_set(p, 0);
}

// Returns a new reference to p's current directory.
struct inode*
cwd_get(struct proc *p)
{
  acquire(&p->fdlock);
  struct inode *ip = idup(p->cwd);
  release(&p->fdlock);
  return ip;
}

// Make ip (or nothing, if 0) p's current directory; it takes over the
// caller's reference to ip, and the old one is dropped.
void
cwd_set(struct proc *p, struct inode *ip)
{
  acquire(&p->fdlock);
  struct inode *old = p->cwd;
  p->cwd = ip;
  release(&p->fdlock);
  if(old)
    iput(old);
}
