// Pipes. A pipe is one page: a lock, two byte counters and a ring
// buffer; its two ends are struct files (a read end and a write end)
// that hold the page until both are closed.
//
// Invariants, under pi->lock:
//   tail <= head <= tail + PIPESIZE: head - tail bytes wait to be read;
//   stream byte i (tail <= i < head) is at ring[i % PIPESIZE];
//   head and tail only grow (64-bit: they do not wrap);
//   ends holds END_READ / END_WRITE while that end is open; the page is
//   freed by the close that clears the last one.
// Bytes move between the ring and user memory in whole contiguous
// spans (at most two per call: up to the end of the ring, then from its
// start), with copyin/copyout under pi->lock. A reader waiting for data
// sleeps on &pi->head, a writer waiting for room on &pi->tail.
#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "file.h"
#include "proc.h"

#define END_READ  1
#define END_WRITE 2

struct pipehdr {
  struct spinlock lock;
  uint64 head;          // bytes ever written
  uint64 tail;          // bytes ever read
  int ends;             // END_READ | END_WRITE: the ends still open
};

#define PIPESIZE (PGSIZE - sizeof(struct pipehdr))

struct pipe {
  struct pipehdr h;
  char ring[PIPESIZE];
};

_Static_assert(sizeof(struct pipe) <= PGSIZE, "a pipe is one page");

static uint64
min3(uint64 a, uint64 b, uint64 c)
{
  uint64 m = a < b ? a : b;
  return m < c ? m : c;
}

// Move up to n bytes from user address src into the ring, as many as
// there is room for. Returns the count, or -1 if src is bad. Caller
// holds the lock.
static int
ring_put(struct pipe *pi, pagetable_t pt, uint64 src, int n)
{
  int done = 0;
  while(done < n && pi->h.head - pi->h.tail < PIPESIZE){
    uint64 at = pi->h.head % PIPESIZE;
    uint64 span = min3(n - done, PIPESIZE - at,
                       PIPESIZE - (pi->h.head - pi->h.tail));
    if(copyin(pt, pi->ring + at, src + done, span) < 0)
      return -1;
    pi->h.head += span;
    done += span;
  }
  return done;
}

// Move up to n waiting bytes from the ring to user address dst. Returns
// the count, or -1 if dst is bad before anything was moved. Caller holds
// the lock.
static int
ring_take(struct pipe *pi, pagetable_t pt, uint64 dst, int n)
{
  int done = 0;
  while(done < n && pi->h.tail != pi->h.head){
    uint64 at = pi->h.tail % PIPESIZE;
    uint64 span = min3(n - done, PIPESIZE - at, pi->h.head - pi->h.tail);
    // No further than dst's page: a copy that fails at a bad page then
    // fails having moved nothing, and what went before it is the count.
    uint64 room = PGSIZE - (dst + done) % PGSIZE;
    if(span > room)
      span = room;
    if(copyout(pt, dst + done, pi->ring + at, span) < 0)
      return done > 0 ? done : -1;
    pi->h.tail += span;
    done += span;
  }
  return done;
}

// write() on the write end: all n bytes, waiting for room as needed.
// Returns n (0 at once for n = 0), or -1 if the read end is closed
// (before or while waiting), the writer is killed, or src is bad; bytes
// put in the ring before that stay there for the reader.
static int
pipe_write(struct file *f, uint64 src, int n)
{
  struct pipe *pi = f->pipe;
  struct proc *p = myproc();
  int done = 0;

  if(n == 0)
    return 0;   // nothing to deliver: no reader is needed (as on Linux)
  acquire(&pi->h.lock);
  for(;;){
    if((pi->h.ends & END_READ) == 0 || killed(p))
      break;
    int m = ring_put(pi, p->pagetable, src + done, n - done);
    if(m < 0)
      break;
    if(m > 0)
      wakeup(&pi->h.head);
    done += m;
    if(done == n){
      release(&pi->h.lock);
      return n;
    }
    sleep_killable(&pi->h.tail, &pi->h.lock);
  }
  release(&pi->h.lock);
  return -1;
}

// read() on the read end: waits until there is something to read or no
// writer is left. Returns the count, 0 at end of file, or -1 if the
// reader is killed or dst is bad.
static int
pipe_read(struct file *f, uint64 dst, int n)
{
  struct pipe *pi = f->pipe;
  struct proc *p = myproc();

  acquire(&pi->h.lock);
  while(pi->h.tail == pi->h.head && (pi->h.ends & END_WRITE)){
    if(killed(p)){
      release(&pi->h.lock);
      return -1;
    }
    sleep_killable(&pi->h.head, &pi->h.lock);
  }
  int got = ring_take(pi, p->pagetable, dst, n);
  if(got > 0)
    wakeup(&pi->h.tail);
  release(&pi->h.lock);
  return got;
}

// Close one end; whoever waits on the other end wakes to see it.
static void
pipe_close(struct file *f)
{
  struct pipe *pi = f->pipe;

  acquire(&pi->h.lock);
  pi->h.ends &= ~(f->writable ? END_WRITE : END_READ);
  int left = pi->h.ends;
  wakeup(&pi->h.head);
  wakeup(&pi->h.tail);
  release(&pi->h.lock);
  if(left == 0)
    kfree(pi);
}

static const struct fileops pipe_fileops = {
  .read = pipe_read,
  .write = pipe_write,
  .stat = 0,            // fstat of a pipe fails, as in xv6
  .close = pipe_close,
};

// Make a pipe: *rf is its read end, *wf its write end, each with one
// reference. Returns 0, or -1 (nothing allocated) if memory or the file
// table is out.
int
pipe_new(struct file **rf, struct file **wf)
{
  struct pipe *pi = kalloc();
  if(pi == 0)
    return -1;
  initlock(&pi->h.lock, "pipe", LOCK_file);
  pi->h.head = pi->h.tail = 0;
  pi->h.ends = END_READ | END_WRITE;
  *rf = file_new(&pipe_fileops, 1, 0);
  if(*rf == 0){
    kfree(pi);
    return -1;
  }
  (*rf)->pipe = pi;
  *wf = file_new(&pipe_fileops, 0, 1);
  if(*wf == 0){
    pi->h.ends = END_READ;   // the write end never existed
    file_put(*rf);           // closing the read end frees pi
    return -1;
  }
  (*wf)->pipe = pi;
  return 0;
}
