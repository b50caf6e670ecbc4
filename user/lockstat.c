// lockstat: print the kernel's lock statistics, one line per lock class
// (name, acquisitions, contended acquisitions, turns of the waiting
// loop), in the order of kernel/lockstat.h, whose list of classes this
// program reads: a class added there shows up here without an edit.
// lockstat -r sets every counter back to zero and prints nothing.

#include "user/user.h"
#include "kernel/lockstat.h"

static const char *names[] = {
#define NAME(name, doc) #name,
  LOCK_CLASSES(NAME)
#undef NAME
};

int
main(int argc, char *argv[])
{
  struct lockcount lc[NLOCKCLASS];

  if(argc == 2 && strcmp(argv[1], "-r") == 0){
    if(lockstat(LOCKSTAT_RESET, 0) < 0){
      fprintf(2, "lockstat: reset failed\n");
      exit(1);
    }
    exit(0);
  }
  if(argc != 1){
    fprintf(2, "usage: lockstat [-r]\n");
    exit(1);
  }
  if(lockstat(LOCKSTAT_READ, lc) < 0){
    fprintf(2, "lockstat: failed\n");
    exit(1);
  }
  printf("%-10s %12s %10s %12s\n", "class", "acquired", "contended", "spins");
  for(int k = 0; k < NLOCKCLASS; k++)
    printf("%-10s %12lu %10lu %12lu\n", names[k], lc[k].acquired,
           lc[k].contended, lc[k].spins);
  exit(0);
}
