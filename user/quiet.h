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

#endif
