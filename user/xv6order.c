// xv6order: a build-time check that a program written for xv6 compiles
// unchanged: xv6's programs include kernel/types.h, kernel/stat.h and
// user/user.h, in that order (user.h includes them again). Run, it
// stats a few files as xv6's ls would.

#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "kernel/fcntl.h"

int
main(int argc, char *argv[])
{
  struct stat st;
  int i;

  for(i = 1; i < argc; i++){
    if(stat(argv[i], &st) < 0){
      fprintf(2, "xv6order: cannot stat %s\n", argv[i]);
      exit(1);
    }
    printf("%s %d %d %d\n", argv[i], st.type, st.ino, (int)st.size);
  }
  exit(0);
}
