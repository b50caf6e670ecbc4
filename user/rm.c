// rm: remove files (and empty directories, if the kernel allows).

#include "user/user.h"

int
main(int argc, char *argv[])
{
  int i, st;

  if(argc < 2){
    fprintf(2, "usage: rm file ...\n");
    exit(1);
  }
  st = 0;
  for(i = 1; i < argc; i++){
    if(unlink(argv[i]) < 0){
      fprintf(2, "rm: cannot remove %s\n", argv[i]);
      st = 1;
    }
  }
  exit(st);
}
