// cow: plain copy-on-write. Fork shares every page; a store fault copies
// just the faulting page (or reuses it when no one else holds it). The
// default policy; its copies are the oracle minimum of the others.
#include "policy.h"

static int
cow_fork(void *parent, void **child)
{
  *child = 0;
  return 0;
}

static int
cow_fork_copy(void *parent, uint64 va)
{
  return 0;
}

static int
cow_fault(void *state, uint64 va, uint64 *start)
{
  *start = va;
  return 1;
}

struct cow_policy policy_cow = {
  .name = "cow",
  .fork = cow_fork,
  .fork_copy = cow_fork_copy,
  .fault = cow_fault,
};
