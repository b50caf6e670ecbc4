// The arguments of a system call as its sys_ function receives them:
// decoded from the user's registers and checked by the dispatcher
// (syscall.c) according to the argument kinds in its table.
#ifndef SYSARG_H
#define SYSARG_H

#define SYSARGS 6       // a0..a5
#define SYSPATHS 2      // path arguments in one call, at most (link)

struct sysarg {
  union {
    int n;              // 'i': an int
    uint64 va;          // 'a': a user address, checked when used
    struct file *f;     // 'f': an open file; held by the dispatcher
                        //      for the whole call
    char *s;            // 'p': a path, copied into path[] below
  } arg[SYSARGS];
  struct file *held;    // the 'f' argument, dropped after the call
  char path[SYSPATHS][MAXPATH];
};
#endif
