// halt: power the machine off.

#include "user/user.h"

int
main(int argc, char *argv[])
{
  if(argc != 1){
    fprintf(2, "usage: halt\n");
    exit(1);
  }
  poweroff(0);
  fprintf(2, "halt: poweroff refused\n");
  exit(1);
}
