// Formats of the in-memory file system: directory entries, the file
// index, and the program image it starts from.
#ifndef FS_H
#define FS_H

#define ROOTINO 1       // inode number of "/"
#define DIRSIZ 14       // longest name of a directory entry

// A directory's content is an array of these; inum 0 marks a free slot.
struct dirent {
  ushort inum;
  char name[DIRSIZ];
};

// A file's pages are found through a two-level index: map is one page of
// NIDX pointers to index pages, each holding NIDX data-page pointers.
#define NIDX (PGSIZE / sizeof(uint64))
#define MAXFILE ((uint64)NIDX * NIDX * PGSIZE)   // 1 GiB


// The program image embedded in the kernel (built by user/mkimage.c):
// an imghdr, nfiles imgents, then the files' bytes.
#define IMG_MAGIC 0x474d4956U   // "VIMG"
struct imghdr {
  uint magic;
  uint nfiles;
};
struct imgent {
  char name[DIRSIZ];
  ushort pad;
  uint size;
  uint off;             // from the start of the image
};
#endif
