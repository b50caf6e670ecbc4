// bootcheck: a host tool. Checks a kernel command line the way the kernel
// will at boot (kernel/policy.c): the policy named by policy=NAME must be
// in the registry and have its required hooks, and every other key=value
// must be a parameter of that policy or of the mechanism, within range.
// make runs it before booting, so that a typo stops at once with the
// list of what is valid instead of a boot that powers off.
//   usage: bootcheck 'policy=NAME key=value ...'
// Exit status 0 if the kernel would accept it, else 2 with one message.
#include <stdio.h>
#include <string.h>
#include "policies/policy.h"

extern const struct bootparam *const mech_params;

// The helpers of policy.h are never called here, but the policies
// refer to them.
void *policy_zalloc(uint64 n) { return 0; }
void policy_free(void *p) { }
int policy_written_run(void *st, uint64 va, int dir, int max) { return 0; }
int policy_written_count(void *st, uint64 va, int n) { return 0; }
uint64 policy_memtop(void *st) { return 0; }
int policy_fault_shared(void *st) { return 1; }
void policy_hush_faults(void *st) { }
void policy_skip_faults(void *st, uint32 n) { }

int
main(int argc, char *argv[])
{
  if(argc != 2){
    fprintf(stderr, "usage: bootcheck 'policy=NAME key=value ...'\n");
    return 2;
  }
  const char *args = argv[1];
  char name[64] = "cow";
  for(const char *s = args; (s = strstr(s, "policy=")) != 0; s++){
    if(s == args || s[-1] == ' '){
      int n = strcspn(s + 7, " ");
      if(n >= (int)sizeof(name))
        n = sizeof(name) - 1;
      memcpy(name, s + 7, n);
      name[n] = 0;
      break;
    }
  }
  struct cow_policy *p = 0;
  for(int i = 0; cow_policies[i]; i++)
    if(strcmp(cow_policies[i]->name, name) == 0)
      p = cow_policies[i];
  if(p == 0){
    fprintf(stderr, "unknown POLICY=%s; valid policies:", name);
    for(int i = 0; cow_policies[i]; i++)
      fprintf(stderr, " %s", cow_policies[i]->name);
    fprintf(stderr, "\n");
    return 2;
  }
  const char *missing = policy_missing_hook(p);
  if(missing){
    fprintf(stderr, "policy %s lacks the required hook %s (policies/policy.h)\n",
            name, missing);
    return 2;
  }
  const struct bootparam *tables[] = { p->params, mech_params };
  char err[1024];
  if(bootparam_apply(args, tables, 2, err, sizeof(err)) < 0){
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  return 0;
}
