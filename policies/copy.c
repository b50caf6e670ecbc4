// copy: no sharing. Fork copies every page the parent may write, as the
// classic xv6 fork does: the baseline the other policies are measured
// against. Nothing is shared, so no COW fault ever asks it anything.
#include "policy.h"

static int
copy_fork_region(void *parent, uint64 base, uint64 *mask)
{
  return FORK_COPY;
}

struct cow_policy policy_copy = {
  .name = "copy",
  .fork_region = copy_fork_region,
};
