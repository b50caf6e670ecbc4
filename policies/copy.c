// copy: no sharing. Fork copies every writable page at once, as the
// classic xv6 fork does; the baseline the other policies are measured
// against. It keeps no state.
#include "policy.h"

static int
copy_fork(void *parent, void **child)
{
  *child = 0;
  return 0;
}

static int
copy_fork_copy(void *parent, uint64 va)
{
  return 1;
}

// copy never shares, so no COW fault reaches it; answer "this page only"
// for completeness.
static int
copy_fault(void *state, uint64 va, uint64 *start)
{
  *start = va;
  return 1;
}

struct cow_policy policy_copy = {
  .name = "copy",
  .fork = copy_fork,
  .fork_copy = copy_fork_copy,
  .fault = copy_fault,
};
