// The file system: inodes, directories and path names, all in memory.
// A file's bytes live in physical pages reached through a two-level index
// (fs.h); a directory is a file of struct dirent. There is no disk: at
// boot the file system is filled from the program image linked into the
// kernel, and what is written later lasts until power-off.
//
// Locking: itable.lock protects every ip->ref and the choice of a free
// slot; ip->lock (a sleep lock) protects the inode's fields and content.
// Lock order: a directory before the inodes in it; itable.lock last.
#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "stat.h"
#include "spinlock.h"
#include "proc.h"
#include "sleeplock.h"
#include "fs.h"
#include "file.h"

static struct {
  struct spinlock lock;
  struct inode inode[NINODE];   // inode[i] has inum i+1
} itable;

static char zeros[PGSIZE];

// Returns a new, empty inode of the given type with one reference and
// no links, unlocked; or 0 if the table is full.
struct inode*
ialloc(short type)
{
  acquire(&itable.lock);
  for(struct inode *ip = itable.inode; ip < &itable.inode[NINODE]; ip++){
    if(ip->type == 0 && ip->ref == 0){
      ip->type = type;
      ip->ref = 1;
      ip->nlink = 0;
      ip->size = 0;
      ip->major = ip->minor = 0;
      ip->map = 0;
      release(&itable.lock);
      return ip;
    }
  }
  release(&itable.lock);
  return 0;
}

// Returns a new reference to inode inum, or 0 if there is no such inode.
static struct inode*
iget(uint inum)
{
  if(inum < 1 || inum > NINODE)
    return 0;
  struct inode *ip = &itable.inode[inum-1];
  acquire(&itable.lock);
  if(ip->type == 0){
    release(&itable.lock);
    return 0;
  }
  ip->ref++;
  release(&itable.lock);
  return ip;
}

struct inode*
idup(struct inode *ip)
{
  acquire(&itable.lock);
  ip->ref++;
  release(&itable.lock);
  return ip;
}

void
ilock(struct inode *ip)
{
  if(ip == 0 || ip->ref < 1)
    panic("ilock");
  acquiresleep(&ip->lock);
}

void
iunlock(struct inode *ip)
{
  if(ip == 0 || !holdingsleep(&ip->lock) || ip->ref < 1)
    panic("iunlock");
  releasesleep(&ip->lock);
}

// Free every page of the file and make it empty. Caller holds ip->lock
// or the only reference.
static void
itrunc(struct inode *ip)
{
  if(ip->map){
    for(int i = 0; i < NIDX; i++){
      uint64 *l1 = ip->map[i];
      if(l1 == 0)
        continue;
      for(int j = 0; j < NIDX; j++)
        if(l1[j])
          kfree((void*)l1[j]);
      kfree(l1);
    }
    kfree(ip->map);
    ip->map = 0;
  }
  ip->size = 0;
}

// Drop a reference. The last reference to an inode with no links frees
// its pages and its slot.
void
iput(struct inode *ip)
{
  acquire(&itable.lock);
  if(ip->ref == 1 && ip->nlink == 0 && ip->type != 0){
    // No one else can find this inode (no links) or hold it (ref 1), so
    // its content can be freed without ip->lock.
    release(&itable.lock);
    itrunc(ip);
    acquire(&itable.lock);
    ip->type = 0;
  }
  ip->ref--;
  release(&itable.lock);
}

void
iunlockput(struct inode *ip)
{
  iunlock(ip);
  iput(ip);
}

// Returns the kernel address of page pn of the file, allocating it (and
// index pages) if alloc is set; 0 for a hole, or if memory is out.
// Caller holds ip->lock.
static char*
bmap(struct inode *ip, uint64 pn, int alloc)
{
  if(pn >= NIDX * NIDX)
    return 0;
  if(ip->map == 0){
    if(!alloc || (ip->map = kalloc()) == 0)
      return 0;
    memset(ip->map, 0, PGSIZE);
  }
  uint64 **l1 = &ip->map[pn / NIDX];
  if(*l1 == 0){
    if(!alloc || (*l1 = kalloc()) == 0)
      return 0;
    memset(*l1, 0, PGSIZE);
  }
  uint64 *slot = &(*l1)[pn % NIDX];
  if(*slot == 0){
    char *pg;
    if(!alloc || (pg = kalloc()) == 0)
      return 0;
    memset(pg, 0, PGSIZE);
    *slot = (uint64)pg;
  }
  return (char*)*slot;
}

void
stati(struct inode *ip, struct stat *st)
{
  st->dev = 1;
  st->ino = ip->inum;
  st->type = ip->type;
  st->nlink = ip->nlink;
  st->size = ip->size;
}

// Read up to n bytes at off into dst (a user address if user_dst).
// Returns the number read, or -1 if dst is bad. Caller holds ip->lock.
int
readi(struct inode *ip, int user_dst, uint64 dst, uint64 off, uint64 n)
{
  if(off >= ip->size)
    return 0;
  if(n > ip->size - off)
    n = ip->size - off;
  uint64 done = 0;
  while(done < n){
    char *pg = bmap(ip, off / PGSIZE, 0);
    uint64 m = PGSIZE - off % PGSIZE;
    if(m > n - done)
      m = n - done;
    char *src = pg ? pg + off % PGSIZE : zeros;
    if(either_copyout(user_dst, dst, src, m) < 0)
      return -1;
    done += m;
    off += m;
    dst += m;
  }
  return done;
}

// Write n bytes from src (a user address if user_src) at off, growing the
// file. Returns the number written (less than n if memory ran out), or
// -1 if off is past the end, the file would grow past MAXFILE, or src is
// bad before anything was written. Caller holds ip->lock.
int
writei(struct inode *ip, int user_src, uint64 src, uint64 off, uint64 n)
{
  if(off > ip->size || off + n < off || off + n > MAXFILE)
    return -1;
  uint64 done = 0;
  while(done < n){
    char *pg = bmap(ip, off / PGSIZE, 1);
    if(pg == 0)
      break;
    uint64 m = PGSIZE - off % PGSIZE;
    if(m > n - done)
      m = n - done;
    if(either_copyin(pg + off % PGSIZE, user_src, src, m) < 0){
      if(done == 0)
        return -1;
      break;
    }
    done += m;
    off += m;
    src += m;
    if(off > ip->size)
      ip->size = off;
  }
  return done;
}

// Empty a file (O_TRUNC). Caller holds ip->lock.
void
itruncate(struct inode *ip)
{
  itrunc(ip);
}

static int
namecmp(const char *s, const char *t)
{
  return strncmp(s, t, DIRSIZ);
}

// Look for name in directory dp. Returns a new reference to the inode
// (unlocked) and sets *poff to the entry's offset; 0 if absent.
// Caller holds dp->lock.
struct inode*
dirlookup(struct inode *dp, const char *name, uint64 *poff)
{
  struct dirent de;
  if(dp->type != T_DIR)
    panic("dirlookup not dir");
  for(uint64 off = 0; off < dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      panic("dirlookup read");
    if(de.inum != 0 && namecmp(name, de.name) == 0){
      if(poff)
        *poff = off;
      return iget(de.inum);
    }
  }
  return 0;
}

// Add the entry (name, inum) to directory dp. Returns 0, or -1 if the
// name exists or memory is out. Caller holds dp->lock.
int
dirlink(struct inode *dp, const char *name, uint inum)
{
  struct dirent de;
  struct inode *ip = dirlookup(dp, name, 0);
  if(ip){
    iput(ip);
    return -1;
  }
  uint64 off;
  for(off = 0; off < dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      panic("dirlink read");
    if(de.inum == 0)
      break;
  }
  memset(&de, 0, sizeof(de));
  strncpy(de.name, name, DIRSIZ);
  de.inum = inum;
  if(writei(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
    return -1;
  return 0;
}

// Is directory dp empty but for "." and ".."? Caller holds dp->lock.
int
isdirempty(struct inode *dp)
{
  struct dirent de;
  for(uint64 off = 2*sizeof(de); off < dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      panic("isdirempty read");
    if(de.inum != 0)
      return 0;
  }
  return 1;
}

// Copy the next element of path into name and return the rest of the
// path after it (slashes skipped); return 0 if no element is left, or
// (char*)-1 if the element is longer than DIRSIZ.
//   skipelem("a/bb/c", name) = "bb/c", name = "a"
//   skipelem("///a//bb", name) = "bb", name = "a"
static char*
skipelem(char *path, char *name)
{
  while(*path == '/')
    path++;
  if(*path == 0)
    return 0;
  char *s = path;
  while(*path != '/' && *path != 0)
    path++;
  int len = path - s;
  if(len > DIRSIZ)
    return (char*)-1;
  memmove(name, s, len);
  if(len < DIRSIZ)
    name[len] = 0;
  while(*path == '/')
    path++;
  return path;
}

// Resolve path to an inode (or, with parent set, to the directory that
// holds its last element, whose name goes to name). Returns a new,
// unlocked reference, or 0.
static struct inode*
namex(char *path, int parent, char *name)
{
  struct inode *ip, *next;
  if(*path == '/')
    ip = iget(ROOTINO);
  else
    ip = idup(myproc()->cwd);

  while((path = skipelem(path, name)) != 0){
    if(path == (char*)-1){
      iput(ip);
      return 0;
    }
    ilock(ip);
    if(ip->type != T_DIR){
      iunlockput(ip);
      return 0;
    }
    if(parent && *path == 0){
      iunlock(ip);   // stop one level early
      return ip;
    }
    next = dirlookup(ip, name, 0);
    iunlockput(ip);
    if(next == 0)
      return 0;
    ip = next;
  }
  if(parent){
    iput(ip);
    return 0;
  }
  return ip;
}

struct inode*
namei(char *path)
{
  char name[DIRSIZ];
  return namex(path, 0, name);
}

struct inode*
nameiparent(char *path, char *name)
{
  return namex(path, 1, name);
}

// Create "/" and fill it from the program image. Runs once at boot,
// before any process.
void
fsinit(char *img, uint64 imgsize)
{
  initlock(&itable.lock, "itable", LOCK_fs);
  for(int i = 0; i < NINODE; i++){
    initsleeplock(&itable.inode[i].lock, "inode");
    itable.inode[i].inum = i + 1;
  }
  struct inode *root = ialloc(T_DIR);
  if(root == 0 || root->inum != ROOTINO)
    panic("fsinit: root");
  root->nlink = 1;
  ilock(root);
  if(dirlink(root, ".", ROOTINO) < 0 || dirlink(root, "..", ROOTINO) < 0)
    panic("fsinit: root entries");

  struct imghdr *h = (struct imghdr*)img;
  if(imgsize < sizeof(*h) || h->magic != IMG_MAGIC)
    panic("fsinit: bad program image");
  struct imgent *e = (struct imgent*)(h + 1);
  for(int i = 0; i < h->nfiles; i++, e++){
    char name[DIRSIZ+1];
    memmove(name, e->name, DIRSIZ);
    name[DIRSIZ] = 0;
    struct inode *ip = ialloc(T_FILE);
    if(ip == 0)
      panic("fsinit: too many files");
    ilock(ip);
    ip->nlink = 1;
    int w = writei(ip, 0, (uint64)img + e->off, 0, e->size);
    int d = dirlink(root, name, ip->inum);
    if(w != e->size || d < 0){
      printf("%s: %d %d %d\n", name, w, e->size, d);
      panic("fsinit: cannot load image");
    }
    iunlockput(ip);
  }
  iunlock(root);
  // root keeps the reference from ialloc: "/" never goes away.
}
