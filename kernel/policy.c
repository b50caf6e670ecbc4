// The COW policy chosen at boot, and the only place that holds it: the
// rest of the kernel asks it questions through the wrappers below, which
// take the process concerned explicitly and fill in the mechanism's
// default for every optional hook the policy leaves out (policy.h).
//
// A process's threads may fault at once: each wrapper holds the
// process's polock around its hook, so that a policy's per-process state
// sees one hook at a time. A hook the policy leaves out costs no lock.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "bootparam.h"
#include "policies/policy.h"

static struct cow_policy *policy;   // fixed from boot to power-off
int policy_tells;                   // the policy may ask fork_tell: COW
                                    // faults mark the pages they leave (cow.c)
int policy_faults;                  // the policy has on_fault: a COW fault
                                    // reads near for it (cow.c); tested
                                    // at every fault, so a flag (testing
                                    // the pointer cost cow an instruction)
int (*policy_fault_hook)(void*, uint64, int, uint64*, int*);   // its on_fault
int policy_quiet;                   // its quiet_settles (cow.c: settled)

// Choose the policy named by policy=NAME on the command line (default
// cow), check that it has its required hooks, and set its boot
// parameters and the mechanism's. Anything wrong stops the machine with
// a message that lists what is valid.
void
policy_select(void)
{
  char name[32];
  if(bootarg(BOOTPARAM_POLICY, name, sizeof(name)) == 0)
    safestrcpy(name, "cow", sizeof(name));
  for(int i = 0; cow_policies[i] && policy == 0; i++)
    if(strncmp(cow_policies[i]->name, name, sizeof(name)) == 0)
      policy = cow_policies[i];
  if(policy == 0){
    printf("unknown cow policy '%s'; valid policies:", name);
    for(int i = 0; cow_policies[i]; i++)
      printf(" %s", cow_policies[i]->name);
    printf("\n");
    poweroff(1);
  }
  policy_tells = policy->fork_tell != 0 && policy->fork_written != 0;
  policy_faults = policy->on_fault != 0;
  policy_fault_hook = policy->on_fault;
  policy_quiet = policy->quiet_settles;
  const char *missing = policy_missing_hook(policy);
  if(missing){
    printf("cow policy '%s' lacks the required hook %s (policies/policy.h)\n",
           name, missing);
    poweroff(1);
  }
  const struct bootparam *tables[] = { policy->params, mech_params };
  static char err[512];
  if(bootparam_apply(bootinfo.bootargs, tables, NELEM(tables), err,
                     sizeof(err)) < 0){
    printf("%s\n", err);
    poweroff(1);
  }
  if(policy->init)
    policy->init();
}

const char*
policy_name(void)
{
  return policy->name;
}

// Returns the value of boot parameter key (the policy's or the
// mechanism's), or -1 if there is none by that name.
int
policy_param_value(const char *key)
{
  const struct bootparam *tables[] = { policy->params, mech_params };
  for(int t = 0; t < NELEM(tables); t++)
    for(const struct bootparam *p = tables[t]; p && p->key; p++)
      if(strncmp(p->key, key, 64) == 0)
        return *p->value;
  return -1;
}

// Serialise the policy's hooks about p, whose threads may fault at
// once. A process with one thread needs no lock (one_thread, proc.h).
// The lock costs some 160 instructions, 4% of a COW fault. Returns what
// hook_unlock needs.
static int
hook_lock(struct proc *p)
{
  if(one_thread(p))
    return 0;
  acquire(&p->polock);
  return 1;
}

static void
hook_unlock(struct proc *p, int held)
{
  if(held)
    release(&p->polock);
}

// p exec'd a new program.
void
policy_on_exec(struct proc *p)
{
  if(policy->on_exec){
    int held = hook_lock(p);
    policy->on_exec(p->policy_state);
    hook_unlock(p, held);
  }
}

// child, whose state is zeroed, is being forked from parent.
void
policy_on_fork(struct proc *parent, struct proc *child)
{
  if(policy->on_fork){
    int held = hook_lock(parent);
    policy->on_fork(parent->policy_state, child->policy_state);
    hook_unlock(parent, held);
  }
}

// Which pages of the 2 MiB region at base should p's fork copy? Returns
// FORK_SHARE, FORK_COPY or FORK_SOME (with mask).
int
policy_fork_region(struct proc *p, uint64 base, uint64 *mask)
{
  for(int i = 0; i < POLICY_MASK_WORDS; i++)
    mask[i] = 0;
  int held = hook_lock(p);
  int answer = policy->fork_region(p->policy_state, base, mask);
  hook_unlock(p, held);
  return answer;
}

// Does p's fork, just begun, want to be told what p's pages were
// written since they were last shared (policy_fork_written)? Asked only
// under a policy that has the hooks (policy_tells, tested by the caller
// so that other policies' forks pay no call).
int
policy_fork_tells(struct proc *p)
{
  int held = hook_lock(p);
  int tell = policy->fork_tell(p->policy_state);
  hook_unlock(p, held);
  return tell;
}

// The pages of the region at base set in mask were written since they
// were last shared.
void
policy_fork_written(struct proc *p, uint64 base, const uint64 *mask)
{
  int held = hook_lock(p);
  policy->fork_written(p->policy_state, base, mask);
  hook_unlock(p, held);
}

// The first region at or above base that p's fork must ask about
// (POLICY_NO_REGION: none; every region if the policy cannot say).
uint64
policy_fork_next(struct proc *p, uint64 base)
{
  if(policy->fork_next == 0)
    return base;
  int held = hook_lock(p);
  uint64 next = policy->fork_next(p->policy_state, base);
  hook_unlock(p, held);
  return next < base ? base : next;
}

// policy_on_fault (defs.h) for a process with several threads: under
// its lock.
int
policy_on_fault_locked(struct proc *p, pte_t *pte, uint64 va, int near,
                       uint64 *start, int *step)
{
  acquire(&p->polock);
  p->fault_pte = pte;   // under the lock: another thread's fault may ask next
  int n = policy->on_fault(p->policy_state, va, near, start, step);
  release(&p->polock);
  return n;
}

// An early copy at va leaves p's hands; how (SETTLE_*) says whether it
// was used and when it was made.
void
policy_on_settle(struct proc *p, uint64 va, int how)
{
  if(policy->on_settle){
    int held = hook_lock(p);
    policy->on_settle(p->policy_state, va, how);
    hook_unlock(p, held);
  }
}

// n early copies on the consecutive pages from va on leave p's hands,
// all settled alike (how). Apart from policy_on_settle so that a single
// page's call (fork's settles, scattered copies) stays as small as it
// was: one wrapper for both cost 0.3-0.5% on a fork server.
void
policy_on_settle_run(struct proc *p, uint64 va, int n, int how)
{
  if(policy->on_settle == 0 && policy->on_settle_run == 0)
    return;
  int held = hook_lock(p);
  if(policy->on_settle_run)
    policy->on_settle_run(p->policy_state, va, n, how);
  else
    for(int i = 0; i < n; i++)
      policy->on_settle(p->policy_state, va + (uint64)i * PGSIZE, how);
  hook_unlock(p, held);
}

// p is gone: release its policy state.
void
policy_release(struct proc *p)
{
  acquire(&p->polock);
  if(policy->release)
    policy->release(p->policy_state);
  memset(p->policy_state, 0, sizeof(p->policy_state));
  release(&p->polock);
}

void*
policy_zalloc(uint64 n)
{
  return kmalloc(n);
}

void
policy_free(void *v)
{
  kmfree(v);
}
