// Pipes: a PIPESIZE-byte ring buffer between a read end and a write end.
#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "fs.h"
#include "sleeplock.h"
#include "file.h"

#define PIPESIZE 512

struct pipe {
  struct spinlock lock;
  char data[PIPESIZE];
  uint nread;      // bytes read so far (wraps)
  uint nwrite;     // bytes written so far
  int readopen;    // read end still open
  int writeopen;   // write end still open
};

// Make a pipe and its two file ends. Returns 0, or -1 (nothing leaked).
int
pipealloc(struct file **f0, struct file **f1)
{
  struct pipe *pi = 0;
  *f0 = *f1 = 0;
  if((*f0 = filealloc()) == 0 || (*f1 = filealloc()) == 0)
    goto bad;
  if((pi = (struct pipe*)kalloc()) == 0)
    goto bad;
  pi->readopen = 1;
  pi->writeopen = 1;
  pi->nwrite = 0;
  pi->nread = 0;
  initlock(&pi->lock, "pipe", LOCK_file);
  (*f0)->type = FD_PIPE;
  (*f0)->readable = 1;
  (*f0)->writable = 0;
  (*f0)->pipe = pi;
  (*f1)->type = FD_PIPE;
  (*f1)->readable = 0;
  (*f1)->writable = 1;
  (*f1)->pipe = pi;
  return 0;

bad:
  if(*f0)
    fileclose(*f0);
  if(*f1)
    fileclose(*f1);
  return -1;
}

void
pipeclose(struct pipe *pi, int writable)
{
  acquire(&pi->lock);
  if(writable){
    pi->writeopen = 0;
    wakeup(&pi->nread);
  } else {
    pi->readopen = 0;
    wakeup(&pi->nwrite);
  }
  if(pi->readopen == 0 && pi->writeopen == 0){
    release(&pi->lock);
    kfree(pi);
  } else {
    release(&pi->lock);
  }
}

// Write n bytes from user address addr, sleeping while the buffer is
// full. Returns n, or -1 if no reader is left, the writer was killed, or
// addr is bad.
int
pipewrite(struct pipe *pi, uint64 addr, int n)
{
  struct proc *pr = myproc();
  int i = 0;
  acquire(&pi->lock);
  while(i < n){
    if(pi->readopen == 0 || killed(pr)){
      release(&pi->lock);
      return -1;
    }
    if(pi->nwrite == pi->nread + PIPESIZE){
      wakeup(&pi->nread);
      sleep(&pi->nwrite, &pi->lock);
      continue;
    }
    char ch;
    if(copyin(pr->pagetable, &ch, addr + i, 1) == -1){
      release(&pi->lock);
      return -1;
    }
    pi->data[pi->nwrite++ % PIPESIZE] = ch;
    i++;
  }
  wakeup(&pi->nread);
  release(&pi->lock);
  return i;
}

// Read up to n bytes into user address addr, sleeping while the pipe is
// empty and a writer is left. Returns the count (0 at end of file), or -1.
int
piperead(struct pipe *pi, uint64 addr, int n)
{
  struct proc *pr = myproc();
  acquire(&pi->lock);
  while(pi->nread == pi->nwrite && pi->writeopen){
    if(killed(pr)){
      release(&pi->lock);
      return -1;
    }
    sleep(&pi->nread, &pi->lock);
  }
  int i;
  for(i = 0; i < n && pi->nread != pi->nwrite; i++){
    char ch = pi->data[pi->nread % PIPESIZE];
    if(copyout(pr->pagetable, addr + i, &ch, 1) == -1){
      if(i == 0)
        i = -1;
      break;
    }
    pi->nread++;
  }
  wakeup(&pi->nwrite);
  release(&pi->lock);
  return i;
}
