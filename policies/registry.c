// Every COW policy the kernel can boot with. A new policy: one file in
// policies/ defining struct cow_policy policy_NAME, plus one line here.
#include "policy.h"

extern struct cow_policy policy_copy;
extern struct cow_policy policy_cow;

struct cow_policy *cow_policies[] = {
  &policy_copy,
  &policy_cow,
  0,
};
