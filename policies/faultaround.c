// faultaround: on a COW fault, resolve the whole aligned window of W
// pages around the faulting one (the neighbours that are still COW), as
// Linux's fault-around maps a 64 KiB window of file pages per fault. It
// trades copies that may be wasted for fewer faults on sequential writes.
// Fork shares everything, as cow does.
#include "policy.h"

static int window;

static const struct bootparam fa_params[] = {
  { "window", "pages resolved per COW fault (aligned window)",
    &window, 16, 1, 512, 1 },
  { 0 },
};

static int
fa_fork_region(void *parent, uint64 base, uint64 *mask)
{
  return FORK_SHARE;
}

// No region needs asking: a fork costs this policy no call at all.
static uint64
fa_fork_next(void *parent, uint64 base)
{
  return POLICY_NO_REGION;
}

static int
fa_on_fault(void *st, uint64 va, int near, uint64 *start, int *step)
{
  uint64 span = (uint64)window * POLICY_PGSIZE;
  *start = va - va % span;
  return window;
}

struct cow_policy policy_faultaround = {
  .name = "faultaround",
  .params = fa_params,
  .fork_region = fa_fork_region,
  .fork_next = fa_fork_next,
  .on_fault = fa_on_fault,
};
