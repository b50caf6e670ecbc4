// Open files (file.c) and in-memory inodes (fs.c, dir.c).
#ifndef FILE_H
#define FILE_H
#include "spinlock.h"
#include "sleeplock.h"

struct file;
struct stat;

// What an open file does depends on the object behind it: each kind
// (inode, device, pipe) supplies one of these. read and write move
// bytes between the object and a user address and return the count or
// -1; stat may be 0 (the object has none); close runs once, when the
// last reference to the file is dropped.
struct fileops {
  int (*read)(struct file *f, uint64 dst, int n);
  int (*write)(struct file *f, uint64 src, int n);
  int (*stat)(struct file *f, struct stat *st);
  void (*close)(struct file *f);
};

// An open file: what open() or pipe() made, shared by every descriptor
// that dup() and fork() derive from it.
struct file {
  const struct fileops *ops;  // 0 iff the slot is free; ftable.lock
  int ref;              // descriptor slots and calls in progress; ftable.lock
  char readable;
  char writable;
  struct pipe *pipe;    // a pipe end
  struct inode *ip;     // an inode or a device
  uint64 off;           // an inode's read/write offset; protected by ip->lock
};

// An in-memory inode: a file, directory or device. Its number is fixed
// by its slot in the inode table.
struct inode {
  uint inum;
  int ref;              // references held in the kernel; itable.lock
  struct sleeplock lock;  // protects every field below and the pages
  short type;           // 0 = free slot; fixed while ref > 0
  short major;          // devices; fixed at creation
  short minor;
  short nlink;          // directory entries naming it; at most MAXLINK
  uint64 size;          // bytes
  uint64 *index;        // top index page (fs.h), 0 while the file has none
};

// Device drivers, by major number: read and write a user address.
struct devsw {
  int (*read)(uint64 dst, int n);
  int (*write)(uint64 src, int n);
};

extern struct devsw devsw[];

#define CONSOLE 1
#endif
