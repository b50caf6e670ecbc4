// The file system, part 2: directories and path names.
//
// A directory is an inode of type T_DIR whose bytes are an array of
// struct dirent (fs.h); an entry with inum 0 is free. A page holds a
// whole number of entries, so entries are searched and changed in place
// in the directory's pages (slot()), never copied in and out.
//
// Invariants:
//   slot 0 is "." (the directory itself) and slot 1 is ".." (its
//   parent; "/" is its own), from creation until removal;
//   a name appears at most once in a directory and is 1..DIRSIZ bytes,
//   stored NUL-padded (no NUL if it is DIRSIZ long);
//   a directory's nlink is 1 for its name in the parent (for "/", its
//   own "..") plus one per subdirectory (their ".."); "." is not counted;
//   a removed directory (nlink 0: still a cwd, or open) has lost its
//   ".." and takes no new entry, so nothing is created where no path
//   reaches it (it would never be freed).
// Locks: see fs.c. dir_* functions are called with the directory
// locked; namei() and nameiparent() hold one inode lock at a time.
#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "stat.h"
#include "fs.h"
#include "file.h"

#define PERPAGE (PGSIZE / sizeof(struct dirent))

_Static_assert(PGSIZE % sizeof(struct dirent) == 0, "entries fill pages");

// Returns entry i of directory dp in place, or 0 if i is past the end
// (or, for i at the end with grow set, if memory is out: otherwise the
// directory grows by one free entry). Caller holds dp->lock.
static struct dirent*
slot(struct inode *dp, uint64 i, int grow)
{
  uint64 n = dp->size / sizeof(struct dirent);
  if(i > n || (i == n && !grow))
    return 0;
  if(i == n){
    struct dirent zero = { 0 };
    if(writei(dp, 0, (uint64)&zero, dp->size, sizeof(zero)) != sizeof(zero))
      return 0;
  }
  char *pg = ipage(dp, i / PERPAGE, 0);
  if(pg == 0)
    return 0;
  return (struct dirent*)pg + i % PERPAGE;
}

// Does entry de hold name (NUL-terminated, at most DIRSIZ bytes)?
static int
named(struct dirent *de, const char *name)
{
  for(int k = 0; k < DIRSIZ; k++){
    if(de->name[k] != name[k])
      return 0;
    if(name[k] == 0)
      return 1;
  }
  return 1;
}

// Returns the index of the entry named name in dp, or -1.
// Caller holds dp->lock.
static int64
find(struct inode *dp, const char *name)
{
  struct dirent *de;

  if(dp->type != T_DIR)
    return -1;
  for(uint64 i = 0; (de = slot(dp, i, 0)) != 0; i++)
    if(de->inum != 0 && named(de, name))
      return i;
  return -1;
}

// Look name up in dp. Returns a new, unlocked reference to its inode
// and, if pslot is not 0, sets *pslot to its entry; 0 if there is none.
// Caller holds dp->lock.
struct inode*
dir_lookup(struct inode *dp, const char *name, uint64 *pslot)
{
  int64 i = find(dp, name);
  if(i < 0)
    return 0;
  if(pslot)
    *pslot = i;
  return iget(slot(dp, i, 0)->inum);
}

// Add the entry name -> inum to dp, in its first free slot. Returns 0,
// or -1 if dp is not a directory or has been removed, name is taken or
// not a valid name, or memory is out. Caller holds dp->lock.
int
dir_add(struct inode *dp, const char *name, uint inum)
{
  struct dirent *de, *free = 0;
  uint64 i;

  if(dp->type != T_DIR || dp->nlink == 0)
    return -1;
  int len = strlen(name);
  if(len == 0 || len > DIRSIZ)
    return -1;
  for(i = 0; (de = slot(dp, i, 0)) != 0; i++){
    if(de->inum == 0 && free == 0)
      free = de;
    else if(de->inum != 0 && named(de, name))
      return -1;
  }
  if(free == 0 && (free = slot(dp, i, 1)) == 0)
    return -1;
  memset(free->name, 0, DIRSIZ);
  memmove(free->name, name, len);
  free->inum = inum;
  return 0;
}

// Free entry i of dp. Caller holds dp->lock.
void
dir_clear(struct inode *dp, uint64 i)
{
  struct dirent *de = slot(dp, i, 0);
  if(de)
    de->inum = 0;
}

// Does directory dp hold nothing but "." and ".."? Caller holds
// dp->lock.
int
dir_isempty(struct inode *dp)
{
  struct dirent *de;
  for(uint64 i = 2; (de = slot(dp, i, 0)) != 0; i++)
    if(de->inum != 0)
      return 0;
  return 1;
}

// Make ip, a new directory in parent, hold its "." and "..". Returns
// 0, or -1 if memory is out. Caller holds ip->lock.
int
dir_mkempty(struct inode *ip, struct inode *parent)
{
  if(dir_add(ip, ".", ip->inum) < 0 || dir_add(ip, "..", parent->inum) < 0)
    return -1;
  return 0;
}

// Take the next element of the path at *pp into elem (NUL-terminated)
// and move *pp past it and the slashes after it. Returns 1, 0 if the
// path has no element left, or -1 if the element is over DIRSIZ bytes.
static int
nextelem(char **pp, char elem[DIRSIZ+1])
{
  char *p = *pp;
  int len = 0;

  for(; *p == '/'; p++)
    ;
  for(; *p != 0 && *p != '/'; p++){
    if(len == DIRSIZ)
      return -1;
    elem[len++] = *p;
  }
  elem[len] = 0;
  for(; *p == '/'; p++)
    ;
  *pp = p;
  return len > 0;
}

// Resolve path, from "/" if it starts with '/' and from the cwd if not.
// If last is 0, returns the inode it names; else stops one element
// short, returns the inode that should hold the last element and copies
// that element to last. Returns a new, unlocked reference, or 0.
static struct inode*
pathwalk(char *path, char last[DIRSIZ+1])
{
  char elem[DIRSIZ+1];
  struct inode *ip = *path == '/' ? iget(ROOTINO) : cwd_get(myproc());
  int more;

  while((more = nextelem(&path, elem)) == 1){
    if(last && *path == 0){
      memmove(last, elem, DIRSIZ+1);
      return ip;
    }
    ilock(ip);
    struct inode *next = dir_lookup(ip, elem, 0);
    iunlockput(ip);
    if(next == 0)
      return 0;
    ip = next;
  }
  if(more < 0 || last){
    iput(ip);   // a name too long, or no last element to stop at
    return 0;
  }
  return ip;
}

// The inode path names, as a new unlocked reference; 0 if none.
struct inode*
namei(char *path)
{
  return pathwalk(path, 0);
}

// The directory that should hold path's last element, which is copied
// to name (DIRSIZ+1 bytes); 0 if there is no such directory or the path
// has no element. The result may not be a directory: dir_add refuses.
struct inode*
nameiparent(char *path, char *name)
{
  return pathwalk(path, name);
}
