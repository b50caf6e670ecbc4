// System calls that name files by path: open, mkdir, mknod, link,
// unlink, chdir. Their path arguments arrive copied into the kernel
// (syscall.c). Lock order (fs.c): a directory before the inodes in it;
// these calls never hold two locks but that way.
#include "types.h"
#include "defs.h"
#include "stat.h"
#include "fcntl.h"
#include "fs.h"
#include "file.h"
#include "sysarg.h"

extern const struct fileops inode_fileops, device_fileops;

// Is name "." or ".."?
static int
isdots(const char *name)
{
  return name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0));
}

// Make a new inode of the given type named name in dp, which the
// caller holds locked. Returns it locked, or 0 if the name is taken, dp
// is not a directory or is removed, or an inode, memory or a link is
// out. Nothing is left behind on failure.
static struct inode*
newnode(struct inode *dp, char *name, short type, short major, short minor)
{
  int isdir = type == T_DIR;   // its ".." will be one more link to dp
  struct inode *ip;

  if(dp->type != T_DIR || dp->nlink == 0 || dp->nlink + isdir > MAXLINK)
    return 0;
  if((ip = ialloc(type)) == 0)
    return 0;
  ilock(ip);
  ip->nlink = 1;
  if(type == T_DEVICE){
    ip->major = major;
    ip->minor = minor;
  }
  if((isdir && dir_mkempty(ip, dp) < 0) || dir_add(dp, name, ip->inum) < 0){
    ip->nlink = 0;   // never named: the last iput ends it
    iunlockput(ip);
    return 0;
  }
  dp->nlink += isdir;
  return ip;
}

// Make path a new inode of the given type. With reuse set, an existing
// file or device of that name is returned instead. Returns the inode
// locked, or 0.
static struct inode*
makepath(char *path, short type, short major, short minor, int reuse)
{
  char name[DIRSIZ+1];
  struct inode *dp, *ip;

  if((dp = nameiparent(path, name)) == 0)
    return 0;
  ilock(dp);
  ip = dir_lookup(dp, name, 0);
  if(ip == 0){
    ip = newnode(dp, name, type, major, minor);
    iunlockput(dp);
    return ip;
  }
  iunlockput(dp);
  if(!reuse || ip->type == T_DIR){
    iput(ip);
    return 0;
  }
  ilock(ip);
  return ip;
}

// open(path, mode): O_RDONLY, O_WRONLY or O_RDWR, with O_CREATE and
// O_TRUNC. A directory opens only O_RDONLY. Returns a descriptor or -1.
uint64
sys_open(struct sysarg *a)
{
  char *path = a->arg[0].s;
  int mode = a->arg[1].n;
  struct inode *ip;
  struct file *f;
  int fd;

  if(mode & O_CREATE)
    ip = makepath(path, T_FILE, 0, 0, 1);
  else if((ip = namei(path)) != 0)
    ilock(ip);
  if(ip == 0)
    return -1;
  if(ip->type == T_DIR && mode != O_RDONLY){
    iunlockput(ip);
    return -1;
  }
  f = file_new(ip->type == T_DEVICE ? &device_fileops : &inode_fileops,
               (mode & O_WRONLY) == 0, (mode & (O_WRONLY | O_RDWR)) != 0);
  if(f == 0){
    iunlockput(ip);
    return -1;
  }
  f->ip = ip;   // f's reference now
  if((fd = fd_install(myproc(), f)) < 0){
    iunlock(ip);
    file_put(f);
    return -1;
  }
  // Only now that open cannot fail: a failed open loses no data.
  if((mode & O_TRUNC) && ip->type == T_FILE)
    itruncate(ip);
  iunlock(ip);
  return fd;
}

// mkdir(path).
uint64
sys_mkdir(struct sysarg *a)
{
  struct inode *ip = makepath(a->arg[0].s, T_DIR, 0, 0, 0);
  if(ip == 0)
    return -1;
  iunlockput(ip);
  return 0;
}

// mknod(path, major, minor): a device file; major below NDEV.
uint64
sys_mknod(struct sysarg *a)
{
  int major = a->arg[1].n, minor = a->arg[2].n;
  if(major < 0 || major >= NDEV)
    return -1;
  struct inode *ip = makepath(a->arg[0].s, T_DEVICE, major, minor, 0);
  if(ip == 0)
    return -1;
  iunlockput(ip);
  return 0;
}

// link(old, new): new becomes one more name of the file old (never a
// directory), up to MAXLINK names.
uint64
sys_link(struct sysarg *a)
{
  char name[DIRSIZ+1];
  struct inode *ip, *dp;
  int r = -1;

  if((ip = namei(a->arg[0].s)) == 0)
    return -1;
  // An inode's type is fixed while we hold it: read it under its lock
  // and let go, since a directory may not be locked after dp (not its
  // parent).
  ilock(ip);
  int isdir = ip->type == T_DIR;
  iunlock(ip);
  if(isdir || (dp = nameiparent(a->arg[1].s, name)) == 0){
    iput(ip);
    return -1;
  }
  // The new name's parent must be a directory: then it is not ip (a
  // file), whose lock we take next. (link("a", "a/b") with a a file
  // named ip's own inode as the parent and locked it twice.)
  ilock(dp);
  if(dp->type != T_DIR){
    iunlockput(dp);
    iput(ip);
    return -1;
  }
  ilock(ip);
  if(ip->nlink > 0 && ip->nlink < MAXLINK && dir_add(dp, name, ip->inum) == 0){
    ip->nlink++;
    r = 0;
  }
  iunlockput(ip);
  iunlockput(dp);
  return r;
}

// unlink(path): remove a name. A directory goes only when empty; "."
// and ".." never. The inode ends with its last name and reference.
uint64
sys_unlink(struct sysarg *a)
{
  char name[DIRSIZ+1];
  struct inode *dp, *ip;
  uint64 at;

  if((dp = nameiparent(a->arg[0].s, name)) == 0)
    return -1;
  if(isdots(name)){
    iput(dp);
    return -1;
  }
  ilock(dp);
  if((ip = dir_lookup(dp, name, &at)) == 0){
    iunlockput(dp);
    return -1;
  }
  ilock(ip);
  if(ip->type == T_DIR && !dir_isempty(ip)){
    iunlockput(ip);
    iunlockput(dp);
    return -1;
  }
  dir_clear(dp, at);
  ip->nlink--;
  if(ip->type == T_DIR){
    dir_clear(ip, 1);   // its "..": dp loses that link
    dp->nlink--;
  }
  iunlockput(ip);
  iunlockput(dp);
  return 0;
}

// chdir(path).
uint64
sys_chdir(struct sysarg *a)
{
  struct inode *ip = namei(a->arg[0].s);
  if(ip == 0)
    return -1;
  if(ip->type != T_DIR){
    iput(ip);
    return -1;
  }
  cwd_set(myproc(), ip);
  return 0;
}
