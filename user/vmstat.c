// vmstat: print memory counters, one "name value" per line in the
// order of struct vmstat. By default the system-wide counters;
// -c those of waited-for children, -s those of vmstat itself.

#include "user/user.h"

static char *names[] = {
  "faults", "cow_faults", "reuses", "copies_fork", "copies_fault",
  "copies_around", "wasted", "shared", "fork_instr", "fault_instr",
  "free_pages", "total_pages",
};

#define NNAMES (sizeof names / sizeof names[0])

// Fail to compile if a field is added without a name here.
typedef char checksize[sizeof(struct vmstat) == NNAMES * sizeof(uint64) ? 1 : -1];

int
main(int argc, char *argv[])
{
  struct vmstat st;
  uint64 v[NNAMES];
  int who, i;

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
  v[0] = st.faults;
  v[1] = st.cow_faults;
  v[2] = st.reuses;
  v[3] = st.copies_fork;
  v[4] = st.copies_fault;
  v[5] = st.copies_around;
  v[6] = st.wasted;
  v[7] = st.shared;
  v[8] = st.fork_instr;
  v[9] = st.fault_instr;
  v[10] = st.free_pages;
  v[11] = st.total_pages;
  for(i = 0; i < NNAMES; i++)
    printf("%s %lu\n", names[i], v[i]);
  exit(0);
}
