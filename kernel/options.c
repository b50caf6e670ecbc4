// The mechanism's boot options (DESIGN.md, "Boot parameters"): orthogonal
// to the policy, valid with every policy, declared here with their
// ranges and defaults and checked with the policy's own parameters
// (bootparam.c). Compiled into the kernel and into the host tool
// user/bootcheck.c.
#include "types.h"
#include "bootparam.h"

static const struct bootparam options[] = {
  { 0 },
};

const struct bootparam *const mech_params = options;
