#ifndef FILE_H
#define FILE_H
struct file {
  enum { FD_NONE, FD_PIPE, FD_INODE, FD_DEVICE } type;
  int ref;      // reference count; protected by ftable.lock
  char readable;
  char writable;
  struct pipe *pipe;  // FD_PIPE
  struct inode *ip;   // FD_INODE and FD_DEVICE
  uint64 off;         // FD_INODE
  short major;        // FD_DEVICE
};

// An in-memory inode (fs.c): a file, directory or device.
struct inode {
  uint inum;
  int ref;              // in-memory references; protected by itable.lock
  struct sleeplock lock;  // protects everything below
  short type;           // 0 = free slot
  short major;
  short minor;
  short nlink;
  uint64 size;
  uint64 **map;         // index root page, 0 while the file is empty
};

// Device switch: read and write functions of each major device number.
struct devsw {
  int (*read)(int user_dst, uint64 dst, int n);
  int (*write)(int user_src, uint64 src, int n);
};

extern struct devsw devsw[];

#define CONSOLE 1
#endif
