// vmstat: print the memory counters, one "name value" per line, in the
// order of kernel/vmstat.h (whose list of counters this program reads,
// so a new counter shows up here without an edit). By default the
// system-wide counters; -c those of waited-for children, -s those of
// vmstat itself.

#include "user/user.h"

int
main(int argc, char *argv[])
{
  struct vmstat st;
  int who;

  who = VM_SYSTEM;
  if(argc == 2 && strcmp(argv[1], "-c") == 0)
    who = VM_CHILDREN;
  else if(argc == 2 && strcmp(argv[1], "-s") == 0)
    who = VM_SELF;
  else if(argc != 1){
    fprintf(2, "usage: vmstat [-c | -s]\n");
    exit(1);
  }
  if(vmstat(who, &st) < 0){
    fprintf(2, "vmstat: failed\n");
    exit(1);
  }
#define SHOW(name, doc) printf("%s %lu\n", #name, st.name);
  VMSTAT_COUNTERS(SHOW)
#undef SHOW
  printf("free_pages %lu\n", st.free_pages);
  printf("total_pages %lu\n", st.total_pages);
  printf("policy_pages %lu\n", st.policy_pages);
  printf("alloc_failures %lu\n", st.alloc_failures);
  exit(0);
}
