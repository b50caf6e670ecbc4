// Every COW policy the kernel can boot with, in the order they are
// listed. A new policy: one file in policies/ defining
// struct cow_policy policy_NAME, plus one POLICY(NAME) line here.
#include "policy.h"

#define POLICIES(POLICY) \
  POLICY(copy) \
  POLICY(cow) \
  POLICY(hot) \
  POLICY(faultaround) \
  POLICY(adaptive)

#define DECLARE(name) extern struct cow_policy policy_##name;
#define ENTRY(name) &policy_##name,

POLICIES(DECLARE)

struct cow_policy *cow_policies[] = {
  POLICIES(ENTRY)
  0,
};
