// mkdir: create directories.

#include "user/user.h"

int
main(int argc, char *argv[])
{
  int i, st;

  if(argc < 2){
    fprintf(2, "usage: mkdir dir ...\n");
    exit(1);
  }
  st = 0;
  for(i = 1; i < argc; i++){
    if(mkdir(argv[i]) < 0){
      fprintf(2, "mkdir: cannot create %s\n", argv[i]);
      st = 1;
    }
  }
  exit(st);
}
