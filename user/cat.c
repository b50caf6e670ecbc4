// cat: copy the named files, or standard input, to standard output.

#include "user/user.h"

static char buf[512];

// Copy fd to standard output. Exits with status 1 on an error.
static void
copy(int fd, char *name)
{
  int n;

  while((n = read(fd, buf, sizeof buf)) > 0){
    if(write(1, buf, n) != n){
      fprintf(2, "cat: write error\n");
      exit(1);
    }
  }
  if(n < 0){
    fprintf(2, "cat: cannot read %s\n", name);
    exit(1);
  }
}

int
main(int argc, char *argv[])
{
  int i, fd;

  if(argc < 2){
    copy(0, "standard input");
    exit(0);
  }
  for(i = 1; i < argc; i++){
    fd = open(argv[i], O_RDONLY);
    if(fd < 0){
      fprintf(2, "cat: cannot open %s\n", argv[i]);
      exit(1);
    }
    copy(fd, argv[i]);
    close(fd);
  }
  exit(0);
}
