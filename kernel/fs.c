// The file system, part 1: the inode table and the bytes of files. It
// lives in memory only; dir.c builds directories and path names on it.
//
// Inode number n is itable.node[n-1]. A file's bytes lie in whole
// pages found through a two-level index (fs.h): ip->index is a page of
// NIDX pointers to middle pages, each of NIDX pointers to data pages.
// A missing page at any level is a hole and reads as zeros; pages are
// allocated zeroed when first written and freed all together (truncate,
// or the inode's end). At boot, fsinit() fills "/" from the program
// image linked into the kernel; nothing is kept across power-off.
//
// Invariants:
//   type == 0 iff the slot is free; a free slot has ref 0, no pages,
//   size 0. An inode ends (pages and slot freed) when its last
//   reference goes while nlink is 0. type, inum and major never change
//   while an inode has a reference, so they may be read unlocked.
//   Writes extend size; only truncation lowers it (to 0).
// Locks:
//   itable.lock, a spinlock, protects ref of every inode and the type
//   of free slots; taken last, never held across a sleep.
//   ip->lock, a sleep lock, protects the rest of ip and its pages.
//   Order between inode locks (dir.c): a directory before the inodes in
//   it, and directories before everything else; path walks hold one at
//   a time.
#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "stat.h"
#include "fs.h"
#include "file.h"
#include "proc.h"

static struct {
  struct spinlock lock;
  struct inode node[NINODE];
} itable;

// Returns a new inode of the given type, empty, with no links and one
// reference, unlocked; 0 if every slot is taken.
struct inode*
ialloc(short type)
{
  struct inode *ip;

  acquire(&itable.lock);
  for(ip = itable.node; ip < itable.node + NINODE; ip++){
    if(ip->type == 0){
      ip->type = type;
      ip->ref = 1;
      release(&itable.lock);
      ip->nlink = 0;
      ip->major = ip->minor = 0;
      return ip;
    }
  }
  release(&itable.lock);
  return 0;
}

// Returns a new reference to inode number inum, or 0 if it is free.
struct inode*
iget(uint inum)
{
  struct inode *ip = 0;

  if(inum == 0 || inum > NINODE)
    return 0;
  acquire(&itable.lock);
  if(itable.node[inum-1].type != 0){
    ip = &itable.node[inum-1];
    ip->ref++;
  }
  release(&itable.lock);
  return ip;
}

// One more reference to ip, to which the caller holds one.
struct inode*
idup(struct inode *ip)
{
  return iget(ip->inum);
}

void
ilock(struct inode *ip)
{
  if(ip == 0 || ip->ref < 1 || ip->type == 0)
    panic("ilock");
  acquiresleep(&ip->lock);
}

void
iunlock(struct inode *ip)
{
  if(ip == 0 || !holdingsleep(&ip->lock))
    panic("iunlock");
  releasesleep(&ip->lock);
}

// Free every page of ip (data and index); the file becomes empty.
// Caller holds ip->lock, or the last reference.
void
itruncate(struct inode *ip)
{
  uint64 *top = ip->index;

  ip->index = 0;
  ip->size = 0;
  if(top == 0)
    return;
  for(int i = 0; i < NIDX; i++){
    uint64 *mid = (uint64*)top[i];
    if(mid == 0)
      continue;
    for(int j = 0; j < NIDX; j++)
      if(mid[j])
        kfree((void*)mid[j]);
    kfree(mid);
  }
  kfree(top);
}

// Drop a reference. The last reference to an inode with no links
// ends it: its pages and its slot are freed.
void
iput(struct inode *ip)
{
  acquire(&itable.lock);
  if(ip->ref > 1 || ip->nlink > 0){
    ip->ref--;
    release(&itable.lock);
    return;
  }
  // Nobody can reach ip any more: no name leads to it and no one else
  // holds it. Free its pages unlocked (kfree may take a while), then
  // the slot.
  release(&itable.lock);
  itruncate(ip);
  acquire(&itable.lock);
  ip->ref = 0;
  ip->type = 0;
  release(&itable.lock);
}

void
iunlockput(struct inode *ip)
{
  iunlock(ip);
  iput(ip);
}

// *slot holds a page address or 0. Returns the page; when it is 0 and
// grow is set, first puts a new zeroed page there. Returns 0 for a
// missing page, or if memory is out.
static uint64*
index_step(uint64 *slot, int grow)
{
  if(*slot == 0 && grow){
    void *pg = kalloc();
    if(pg){
      memset(pg, 0, PGSIZE);
      *slot = (uint64)pg;
    }
  }
  return (uint64*)*slot;
}

// Returns the kernel address of page pn of ip's bytes; 0 if it is a
// hole (grow clear) or if memory is out (grow set). Caller holds ip->lock.
char*
ipage(struct inode *ip, uint64 pn, int grow)
{
  if(pn >= NIDX * NIDX)
    return 0;
  uint64 *top = index_step((uint64*)&ip->index, grow);
  uint64 *mid = top ? index_step(&top[pn / NIDX], grow) : 0;
  return mid ? (char*)index_step(&mid[pn % NIDX], grow) : 0;
}

// Copy n bytes between kernel memory k and addr, a user address if user
// is set; into k if in is set. Returns 0 or -1.
static int
uk_copy(int in, int user, char *k, uint64 addr, uint64 n)
{
  pagetable_t pt = user ? myproc()->pagetable : 0;

  if(in)
    return user ? copyin(pt, k, addr, n) : (memmove(k, (char*)addr, n), 0);
  return user ? copyout(pt, addr, k, n) : (memmove((char*)addr, k, n), 0);
}

// Move n bytes between ip's bytes from off on and addr, one page span
// at a time: into the file (allocating pages) if in is set, out of it
// (holes as zeros) if not. Returns the count moved, which is short if
// memory ran out or addr went bad part way; -1 if nothing moved for
// that reason. Caller holds ip->lock.
static int
imove(struct inode *ip, int in, int user, uint64 addr, uint64 off, uint64 n)
{
  static char zeros[PGSIZE];
  uint64 done = 0;

  while(done < n){
    uint64 pgoff = (off + done) % PGSIZE;
    uint64 span = PGSIZE - pgoff < n - done ? PGSIZE - pgoff : n - done;
    char *pg = ipage(ip, (off + done) / PGSIZE, in);
    if(pg == 0 && in)
      break;
    if(uk_copy(in, user, pg ? pg + pgoff : zeros, addr + done, span) < 0)
      break;
    done += span;
  }
  return done == 0 && n > 0 ? -1 : done;
}

// Read up to n bytes at off into dst (a user address if user_dst is
// set). Returns the count (0 at or past the end), or -1 if dst is bad.
// Caller holds ip->lock.
int
readi(struct inode *ip, int user_dst, uint64 dst, uint64 off, uint64 n)
{
  if(off >= ip->size)
    return 0;
  if(n > ip->size - off)
    n = ip->size - off;
  return imove(ip, 0, user_dst, dst, off, n);
}

// Write n bytes from src (a user address if user_src is set) at off,
// growing the file. Returns the count written: short if memory ran out
// or src went bad part way, -1 if nothing could be written, if off is
// past the end (no holes are made) or the file would pass MAXFILE.
// Caller holds ip->lock.
int
writei(struct inode *ip, int user_src, uint64 src, uint64 off, uint64 n)
{
  if(off > ip->size || off + n < off || off + n > MAXFILE)
    return -1;
  int put = imove(ip, 1, user_src, src, off, n);
  if(put > 0 && off + put > ip->size)
    ip->size = off + put;
  return put;
}

// Caller holds ip->lock.
void
stati(struct inode *ip, struct stat *st)
{
  st->dev = 1;
  st->ino = ip->inum;
  st->type = ip->type;
  st->nlink = ip->nlink;
  st->size = ip->size;
}

// Make "/" and put every file of the program image in it. Runs once at
// boot, before any process; a bad image stops the boot.
void
fsinit(char *img, uint64 imgsize)
{
  initlock(&itable.lock, "itable", LOCK_fs);
  for(int i = 0; i < NINODE; i++){
    itable.node[i].inum = i + 1;
    initsleeplock(&itable.node[i].lock, "inode");
  }
  struct inode *root = ialloc(T_DIR);
  if(root == 0 || root->inum != ROOTINO)
    panic("fsinit: root");
  ilock(root);
  root->nlink = 1;      // "/" is its own parent: its ".." counts as its name
  if(dir_add(root, ".", ROOTINO) < 0 || dir_add(root, "..", ROOTINO) < 0)
    panic("fsinit: root entries");

  struct imghdr *h = (struct imghdr*)img;
  if(imgsize < sizeof(*h) || h->magic != IMG_MAGIC ||
     sizeof(*h) + (uint64)h->nfiles * sizeof(struct imgent) > imgsize)
    panic("fsinit: bad program image");
  struct imgent *e = (struct imgent*)(h + 1);
  for(uint i = 0; i < h->nfiles; i++, e++){
    char name[DIRSIZ+1];
    memmove(name, e->name, DIRSIZ);
    name[DIRSIZ] = 0;
    struct inode *ip = ialloc(T_FILE);
    if(ip == 0 || (uint64)e->off + e->size > imgsize)
      panic("fsinit: bad program image");
    ilock(ip);
    ip->nlink = 1;
    if(writei(ip, 0, (uint64)img + e->off, 0, e->size) != e->size ||
       dir_add(root, name, ip->inum) < 0){
      printf("fsinit: %s\n", name);
      panic("fsinit: cannot load the program image");
    }
    iunlockput(ip);
  }
  iunlock(root);
  // root keeps the reference from ialloc: "/" never ends.
}
