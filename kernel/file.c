// Open files: the system-wide table of struct file, and the operations
// of the two kinds of file that sit on an inode (regular files and
// directories, devices). Pipes supply their own (pipe.c).
//
// A slot is in use from file_new() until the close that drops its last
// reference has finished: f->ops is set all that time, so the slot is
// not handed out again while the object behind it is being closed.
// ftable.lock protects every ref and ops; it is never held while
// sleeping, and no lock is taken under it.
#include "types.h"
#include "defs.h"
#include "stat.h"
#include "file.h"
#include "proc.h"

struct devsw devsw[NDEV];

static struct {
  struct spinlock lock;
  struct file slot[NFILE];
} ftable;

void
fileinit(void)
{
  initlock(&ftable.lock, "ftable", LOCK_file);
}

// Returns a new file with one reference, doing what ops say, readable
// and writable as given; or 0 if the table is full. The caller fills in
// the object (ip, pipe).
struct file*
file_new(const struct fileops *ops, int readable, int writable)
{
  struct file *f;

  acquire(&ftable.lock);
  for(f = ftable.slot; f < ftable.slot + NFILE && f->ops; f++)
    ;
  if(f == ftable.slot + NFILE){
    release(&ftable.lock);
    return 0;
  }
  f->ops = ops;
  f->ref = 1;
  release(&ftable.lock);
  f->readable = readable;
  f->writable = writable;
  f->pipe = 0;
  f->ip = 0;
  f->off = 0;
  return f;
}

// One more reference to f, which the caller holds a reference to.
struct file*
file_dup(struct file *f)
{
  acquire(&ftable.lock);
  int had = f->ref++;
  release(&ftable.lock);
  if(had < 1)
    panic("file_dup: no reference");
  return f;
}

// Drop a reference to f; the last one closes the object behind it
// (which may sleep) and then frees the slot.
void
file_put(struct file *f)
{
  acquire(&ftable.lock);
  if(f->ref < 1)
    panic("file_put");
  int last = --f->ref == 0;
  release(&ftable.lock);
  if(!last)
    return;
  f->ops->close(f);
  acquire(&ftable.lock);
  f->ops = 0;
  release(&ftable.lock);
}

// read(): up to n bytes into user address dst. Returns the count, 0 at
// the end, or -1.
int
file_read(struct file *f, uint64 dst, int n)
{
  if(!f->readable || n < 0)
    return -1;
  return f->ops->read(f, dst, n);
}

// write(): n bytes from user address src. Returns the count written,
// which is less than n only if the object ran out of room part way;
// -1 if nothing could be written.
int
file_write(struct file *f, uint64 src, int n)
{
  if(!f->writable || n < 0)
    return -1;
  // The whole buffer first: a write from memory that runs into a bad
  // page writes nothing and fails. (A write that runs out of file
  // system space midway returns what it wrote.)
  if(!uvm_readable(myproc(), src, n))
    return -1;
  return f->ops->write(f, src, n);
}

// fstat(): f's metadata to user address dst. Returns 0 or -1.
int
file_stat(struct file *f, uint64 dst)
{
  struct stat st;

  if(f->ops->stat == 0 || f->ops->stat(f, &st) < 0)
    return -1;
  return copyout(myproc()->pagetable, dst, &st, sizeof(st));
}

// ---- files and directories ---------------------------------------------

// Read or write (io is readi or writei) at f's offset, and move the
// offset past what was done.
static int
inode_io(struct file *f, uint64 addr, int n,
         int (*io)(struct inode*, int, uint64, uint64, uint64))
{
  ilock(f->ip);
  int done = io(f->ip, 1, addr, f->off, n);
  if(done > 0)
    f->off += done;
  iunlock(f->ip);
  return done;
}

static int
inode_read(struct file *f, uint64 dst, int n)
{
  return inode_io(f, dst, n, readi);
}

static int
inode_write(struct file *f, uint64 src, int n)
{
  return inode_io(f, src, n, writei);
}

static int
inode_stat(struct file *f, struct stat *st)
{
  ilock(f->ip);
  stati(f->ip, st);
  iunlock(f->ip);
  return 0;
}

static void
inode_close(struct file *f)
{
  iput(f->ip);
}

const struct fileops inode_fileops = {
  .read = inode_read,
  .write = inode_write,
  .stat = inode_stat,
  .close = inode_close,
};

// ---- devices: the driver of the inode's major number ----------------------

static struct devsw*
driver(struct file *f)
{
  int major = f->ip->major;
  return major >= 0 && major < NDEV ? &devsw[major] : 0;
}

static int
device_read(struct file *f, uint64 dst, int n)
{
  struct devsw *d = driver(f);
  return d && d->read ? d->read(dst, n) : -1;
}

static int
device_write(struct file *f, uint64 src, int n)
{
  struct devsw *d = driver(f);
  return d && d->write ? d->write(src, n) : -1;
}

const struct fileops device_fileops = {
  .read = device_read,
  .write = device_write,
  .stat = inode_stat,
  .close = inode_close,
};
