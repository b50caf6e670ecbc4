// kill: kill the processes with the given pids.

#include "user/user.h"

int
main(int argc, char *argv[])
{
  int i, st;

  if(argc < 2){
    fprintf(2, "usage: kill pid ...\n");
    exit(1);
  }
  st = 0;
  for(i = 1; i < argc; i++){
    if(kill(atoi(argv[i])) < 0){
      fprintf(2, "kill: cannot kill %s\n", argv[i]);
      st = 1;
    }
  }
  exit(st);
}
