// The driver shared by the in-guest suites kerneltests and usertests:
// each test runs in a child process of its own, so that a crashing
// test cannot take the suite down, and must leave the system's
// free-page count as it found it. Output: "PASS name" or
// "FAIL name: why" per test, then "SUITE: N passed, N failed".
// Include once, after user/user.h.
#ifndef TESTLIB_H
#define TESTLIB_H

#define PGSIZE 4096
#define MAXVA (1L << 38)
#define TRAPFRAME (MAXVA - 2*PGSIZE)
#define NPROC 128       // kernel/param.h
#define EXECFAIL 42     // exit status of a child whose exec returned -1
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

// A failing test writes why here (with FAIL) and returns -1.
static char why[256];
#define FAIL(...) do { \
    snprintf(why, sizeof why, __VA_ARGS__); \
    return -1; \
  } while(0)

struct test {
  char *name;
  int (*fn)(void);   // 0 if it passed, -1 (with why set) if not
};

static int npass, nfail;

// Returns the number of free physical pages in the system.
static uint64
freepages(void)
{
  struct vmstat st;

  if(vmstat(VM_SYSTEM, &st) < 0)
    return 0;
  return st.free_pages;
}

// Wait for pid and return its exit status, or -1000 if wait failed
// or returned another child.
static int
waitpid(int pid)
{
  int st;

  st = -1234;
  if(wait(&st) != pid)
    return -1000;
  return st;
}

// Write n bytes of data to path, created or emptied. Returns 0 or -1.
static int
writefile(char *path, void *data, int n)
{
  int fd, r;

  fd = open(path, O_CREATE | O_TRUNC | O_WRONLY);
  if(fd < 0)
    return -1;
  r = write(fd, data, n);
  close(fd);
  return r == n ? 0 : -1;
}

// Run t in a child of its own; it passes if the child exits 0 and the
// system has as many free pages afterwards as before.
static void
runtest(struct test *t)
{
  int pid, st;
  uint64 before, after;

  before = freepages();
  pid = fork();
  if(pid < 0){
    printf("FAIL %s: cannot fork the test process\n", t->name);
    nfail++;
    return;
  }
  if(pid == 0){
    why[0] = 0;
    if(t->fn() == 0)
      exit(0);
    printf("FAIL %s: %s\n", t->name, why);
    exit(1);
  }
  st = waitpid(pid);
  while(wait(0) >= 0)
    ;   // whatever the test failed to reap
  after = freepages();
  if(st == 0 && after != before){
    printf("FAIL %s: free pages %lu before, %lu after\n", t->name,
           before, after);
    nfail++;
  } else if(st == 0){
    printf("PASS %s\n", t->name);
    npass++;
  } else {
    if(st != 1)
      printf("FAIL %s: test process exited with %d\n", t->name, st);
    nfail++;
  }
}

// Run the tests named in argv[1..] (every test if there are none).
static void
runtests(struct test *tests, int n, int argc, char *argv[])
{
  for(int i = 0; i < n; i++){
    int found = argc <= 1;
    for(int j = 1; j < argc; j++)
      if(strcmp(argv[j], tests[i].name) == 0)
        found = 1;
    if(found)
      runtest(&tests[i]);
  }
}

// Check the free-page count against before (taken when the suite
// started), print the summary and exit: 0 iff every test passed.
__attribute__((noreturn)) static void
endsuite(char *suite, uint64 before)
{
  uint64 after = freepages();
  if(after == before){
    printf("PASS freepages\n");
    npass++;
  } else {
    printf("FAIL freepages: %lu free pages before the suite, %lu after\n",
           before, after);
    nfail++;
  }
  printf("%s: %d passed, %d failed\n", suite, npass, nfail);
  exit(nfail == 0 ? 0 : 1);
}
#endif
