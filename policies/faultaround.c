// faultaround: on a COW fault, resolve the whole aligned window of W
// pages around the faulting one (the neighbours that are still COW), as
// Linux's fault-around maps a 64 KiB window of file pages per fault. It
// trades copies that may be wasted for fewer faults on sequential writes.
//
// Parameter: window=W pages (default 16 = 64 KiB; rounded down to a
// power of two, at least 1, at most 512).
#include "policy.h"

static int window = 16;

static void
fa_init(void)
{
  int w = policy_param("window", 16);
  if(w < 1)
    w = 1;
  if(w > 512)
    w = 512;
  window = 1;
  while(window * 2 <= w)
    window *= 2;
}

static int
fa_fork(void *parent, void **child)
{
  *child = 0;
  return 0;
}

static int
fa_fork_copy(void *parent, uint64 va)
{
  return 0;
}

static int
fa_fault(void *state, uint64 va, uint64 *start)
{
  uint64 span = (uint64)window * POLICY_PGSIZE;
  *start = va - va % span;
  return window;
}

struct cow_policy policy_faultaround = {
  .name = "faultaround",
  .init = fa_init,
  .fork = fa_fork,
  .fork_copy = fa_fork_copy,
  .fault = fa_fault,
};
