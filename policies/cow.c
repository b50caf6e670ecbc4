// cow: plain copy-on-write. Fork shares every page; a store fault copies
// just the faulting page, or reuses it when no one else holds it (the
// mechanism's default for a fault). The default policy; its copies are
// the minimum the others are compared with.
#include "policy.h"

static int
cow_fork_region(void *parent, uint64 base, uint64 *mask)
{
  return FORK_SHARE;
}

// No region needs asking: a fork costs this policy no call at all.
static uint64
cow_fork_next(void *parent, uint64 base)
{
  return POLICY_NO_REGION;
}

struct cow_policy policy_cow = {
  .name = "cow",
  .fork_region = cow_fork_region,
  .fork_next = cow_fork_next,
};
