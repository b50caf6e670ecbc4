// Helpers for suites that compare free-page counts.
// waitstill: sleep until the system's free-page count has held still for
// `ticks` ticks in a row (at most 100 ticks in all). A process that has
// just exited may still be freeing pages, and an orphan reaped by init
// frees its pages whenever init runs: a test that compares free-page
// counts waits for that to settle first. Shared by user/testlib.h and
// user/cowtest.c; include after user/user.h.
#ifndef QUIET_H
#define QUIET_H

// The system's free physical pages, nothing else counted.
static uint64
rawfreepages(void)
{
  struct vmstat st;

  if(vmstat(VM_SYSTEM, &st) < 0)
    return 0;
  return st.free_pages;
}

static void
waitstill(int ticks)
{
  uint64 last = rawfreepages();
  for(int i = 0, still = 0; i < 100 && still < ticks; i++){
    sleep(1);
    uint64 now = rawfreepages();
    still = now == last ? still + 1 : 0;
    last = now;
  }
}

// fork, but the child returns only once the parent's side of the fork
// has made its first write (a COW fault; with ptshare=1 it may also
// carry out a fork plan: a page allocated, then another freed). Made
// on another hart, that fault could land between two counts the child
// compares (seen once on 3 harts of a loaded host: truncbig one page
// more free at its end than at its start). The pipe it waits on is
// freed before either side returns: the child's close, after the
// parent's, is the last. Returns what fork returns, or -1 if there is
// no pipe.
static int
quietfork(void)
{
  int go[2], pid;
  char c;

  if(pipe(go) < 0)
    return -1;
  pid = fork();
  if(pid == 0){
    close(go[1]);
    while(read(go[0], &c, 1) > 0)
      ;   // to the end of the pipe: the parent has closed it
    close(go[0]);
    return 0;
  }
  c = 'g';   // a store to this stack: its COW fault is behind us
  close(go[0]);
  if(pid > 0)
    write(go[1], &c, 1);
  close(go[1]);
  return pid;
}

#endif
