// ls: list files. For a directory, one line per entry; for
// anything else, one line for itself. Each line is
// "name type inode size", the name padded to DIRSIZ.

#include "user/user.h"

#define DIRSIZ 14

// One directory entry as the kernel stores it in a directory's
// data: reading a directory fd yields an array of these. An inum
// of 0 marks a free slot; names shorter than DIRSIZ are NUL-padded
// and a name of exactly DIRSIZ bytes has no NUL at all.
struct dirent {
  ushort inum;
  char name[DIRSIZ];
};

static void
show(char *name, struct stat *st)
{
  printf("%-14s %d %d %d\n", name, st->type, st->ino, (int)st->size);
}

// The last component of path.
static char*
base(char *path)
{
  char *p;

  p = path + strlen(path);
  while(p > path && p[-1] == '/')
    p--;
  while(p > path && p[-1] != '/')
    p--;
  return p;
}

// List path. Returns 0, or -1 if it cannot be read.
static int
ls(char *path)
{
  char buf[512], name[DIRSIZ + 1], *p;
  struct dirent de;
  struct stat st;
  int fd;

  fd = open(path, O_RDONLY);
  if(fd < 0){
    fprintf(2, "ls: cannot open %s\n", path);
    return -1;
  }
  if(fstat(fd, &st) < 0){
    fprintf(2, "ls: cannot stat %s\n", path);
    close(fd);
    return -1;
  }
  if(st.type != T_DIR){
    show(base(path), &st);
    close(fd);
    return 0;
  }
  if(strlen(path) + 1 + DIRSIZ + 1 > sizeof buf){
    fprintf(2, "ls: path too long\n");
    close(fd);
    return -1;
  }
  strcpy(buf, path);
  p = buf + strlen(buf);
  *p++ = '/';
  while(read(fd, &de, sizeof de) == sizeof de){
    if(de.inum == 0)
      continue;
    memmove(name, de.name, DIRSIZ);
    name[DIRSIZ] = 0;
    strcpy(p, name);
    if(stat(buf, &st) < 0){
      fprintf(2, "ls: cannot stat %s\n", buf);
      continue;
    }
    show(name, &st);
  }
  close(fd);
  return 0;
}

int
main(int argc, char *argv[])
{
  int i, st;

  if(argc < 2)
    exit(ls(".") < 0 ? 1 : 0);
  st = 0;
  for(i = 1; i < argc; i++)
    if(ls(argv[i]) < 0)
      st = 1;
  exit(st);
}
