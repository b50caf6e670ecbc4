// The driver shared by the in-guest suites kerneltests and usertests:
// each test runs in a program of its own (the suite exec'd as
// "SUITE -t NAME" in a child), so that a crashing test cannot take the
// suite down and a test starts a COW lineage of its own: whatever policy
// state it grows is freed when it ends. Each test must leave the
// system's free-page count as it found it. Output: "PASS name" or
// "FAIL name: why" per test, then "SUITE: N passed, N failed".
// Include once, after user/user.h; call testsetup() first in main.
#ifndef TESTLIB_H
#define TESTLIB_H

#include "user/quiet.h"

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

// Returns the number of free physical pages in the system, counting as
// free the pages that hold policy state (a lineage's write history,
// which a policy may grow lazily while the lineage lives): checks made
// inside a test's own lineage compare this. Whether the policy state
// itself comes back is checked when the test's lineage has ended
// (rawfreepages, in runtest).
static uint64
freepages(void)
{
  struct vmstat st;

  if(vmstat(VM_SYSTEM, &st) < 0)
    return 0;
  return st.free_pages + st.policy_pages;
}

// rawfreepages(), the free physical pages with nothing else counted, is
// in user/quiet.h.

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

// Run test t here and exit: 0 if it passed, else 1 after its FAIL line.
static void
runhere(struct test *t)
{
  why[0] = 0;
  if(t->fn() == 0)
    exit(0);
  printf("FAIL %s: %s\n", t->name, why);
  exit(1);
}

// Wait until the free-page count holds still for two ticks (at most
// about a second). The shell that started this suite may still be
// finishing its fork on another hart (its first COW faults after the
// fork), which changes the count under a check that compares it.
static void
testquiet(void)
{
  waitstill(2);
}

// Call round(arg) (what a suite does around each test) until the pages
// the policy holds stop changing: at least four times, at most eight. A
// policy may start to learn, and to keep state for the suite's lineage,
// only after the lineage's first few forks.
static void
warmlineage(void (*round)(void*), void *arg)
{
  for(int r = 0; r < 8; r++){
    uint64 held = freepages() - rawfreepages();
    round(arg);
    if(r >= 3 && freepages() - rawfreepages() == held)
      break;
  }
}

// One of runtest's rounds with nothing in it: fork, exec "prog -w", wait.
static void
execwarm(void *prog)
{
  int pid = fork();
  if(pid == 0){
    char *args[] = { prog, "-w", 0 };
    exec(prog, args);
    exit(0);
  }
  if(pid > 0)
    waitpid(pid);
}

// Call first in main. As "SUITE -t NAME" (how runtest starts a test)
// run that test alone and exit; as "SUITE -w", exit at once. Otherwise
// go through what runtest does around a test (fork, exec "SUITE -w",
// wait) a few times, so that the suite process's own first COW faults (its
// stack after a fork, on both sides) and whatever policy state they
// grow in its lineage are behind it before anything is counted; then
// wait for the system to be quiet.
static void
testsetup(struct test *tests, int n, int argc, char *argv[])
{
  if(argc == 3 && strcmp(argv[1], "-t") == 0){
    for(int i = 0; i < n; i++)
      if(strcmp(tests[i].name, argv[2]) == 0)
        runhere(&tests[i]);
    printf("FAIL %s: no such test\n", argv[2]);
    exit(1);
  }
  if(argc == 2 && strcmp(argv[1], "-w") == 0)
    exit(0);
  warmlineage(execwarm, argv[0]);
  testquiet();
}

// Run t in a program of its own: a child that execs this suite with
// "-t NAME". It passes if the child exits 0 and the system has as many
// free pages afterwards as before.
static void
runtest(char *prog, struct test *t)
{
  int pid, st;
  uint64 before, after;
  char path[64];

  before = rawfreepages();
  pid = quietfork();
  if(pid < 0){
    printf("FAIL %s: cannot fork the test process\n", t->name);
    nfail++;
    return;
  }
  if(pid == 0){
    char *args[] = { prog, "-t", t->name, 0 };
    exec(prog, args);
    snprintf(path, sizeof path, "/%s", prog);
    exec(path, args);
    printf("FAIL %s: cannot exec %s -t %s\n", t->name, prog, t->name);
    exit(1);
  }
  st = waitpid(pid);
  while(wait(0) >= 0)
    ;   // whatever the test failed to reap
  after = rawfreepages();
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
      runtest(argv[0], &tests[i]);
  }
}

// Check the free-page count (freepages(): the suite's own lineage may
// have grown policy state meanwhile) against before, taken the same way
// when the suite started; print the summary and exit: 0 iff every test
// passed.
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
