// Host unit tests of the policies' decisions: the policy files compile
// here unchanged (POLICY_HOST), with the kernel's helpers simulated and
// the kernel's side of fork and fault modelled in a few lines. The
// generic tests run over every policy of the registry, so a new policy
// is checked without editing this file; the named ones check what the
// named policies promise. Prints PASS/FAIL lines and
// "policies: N passed, N failed".
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"
#include "history.h"

static int passed, failed;
static long allocs, frees;

#define PG POLICY_PGSIZE

static void
check(int ok, const char *name, const char *fmt, long want, long got)
{
  if(ok){
    printf("PASS %s\n", name);
    passed++;
  } else {
    printf("FAIL %s: ", name);
    printf(fmt, want, got);
    printf("\n");
    failed++;
  }
}

void*
policy_zalloc(uint64 n)
{
  void *p = calloc(1, n);
  if(p)
    allocs++;
  return p;
}

void
policy_free(void *p)
{
  if(p)
    frees++;
  free(p);
}

extern const struct bootparam *const mech_params;

static struct cow_policy*
find(const char *name)
{
  for(int i = 0; cow_policies[i]; i++)
    if(strcmp(cow_policies[i]->name, name) == 0)
      return cow_policies[i];
  return 0;
}

// Boot policy name with the command line args ("key=value ..."), as the
// kernel does. Returns the policy, or 0 if the name is unknown or the
// arguments are refused (the message goes to err).
static struct cow_policy*
boot_args(const char *name, const char *args, char *err, int errlen)
{
  struct cow_policy *p = find(name);
  if(p == 0)
    return 0;
  const struct bootparam *tables[] = { p->params, mech_params };
  if(bootparam_apply(args, tables, 2, err, errlen) < 0)
    return 0;
  if(p->init)
    p->init();
  return p;
}

static struct cow_policy*
boot(const char *name, const char *args)
{
  char err[512];
  struct cow_policy *p = boot_args(name, args ? args : "", err, sizeof(err));
  if(p == 0){
    printf("FAIL boot %s %s: %s\n", name, args ? args : "", err);
    exit(1);
  }
  return p;
}

// A process's policy state, as the kernel keeps it: zeroed at creation.
struct pstate {
  uint64 w[POLICY_STATE_BYTES / 8];
};

// The first process of a lineage: created, then exec'd.
static struct pstate*
newproc(struct cow_policy *p)
{
  struct pstate *s = calloc(1, sizeof(*s));
  if(p->on_exec)
    p->on_exec(s);
  return s;
}

static struct pstate*
forkproc(struct cow_policy *p, struct pstate *parent)
{
  struct pstate *c = calloc(1, sizeof(*c));
  if(p->on_fork)
    p->on_fork(parent, c);
  return c;
}

static void
endproc(struct cow_policy *p, struct pstate *s)
{
  if(p->release)
    p->release(s);
  free(s);
}

// The fork question as the kernel asks it, for one page: 1 to copy va.
static int
fork_copy(struct cow_policy *p, struct pstate *s, uint64 va)
{
  uint64 mask[POLICY_MASK_WORDS] = { 0 };
  uint64 base = va - va % POLICY_REGION_SIZE;
  int i = (va - base) / PG;
  int a = p->fork_region(s, base, mask);
  return a == FORK_COPY || (a == FORK_SOME && ((mask[i / 64] >> (i % 64)) & 1));
}

static int
fault(struct cow_policy *p, struct pstate *s, uint64 va, uint64 *start)
{
  *start = va;
  return p->on_fault ? p->on_fault(s, va, start) : 1;
}

static void
settle(struct cow_policy *p, struct pstate *s, uint64 va, int written)
{
  if(p->on_settle)
    p->on_settle(s, va, written);
}

// The kernel's side of a COW fault on page vpn, in a model where
// cow[i] says page i is still shared: ask the policy, resolve the
// window's shared pages (2 = copied early, not yet written). Returns how
// many neighbours were resolved.
static int
resolve(struct cow_policy *p, struct pstate *s, char *cow, int npages, int vpn)
{
  uint64 va = (uint64)vpn * PG, start;
  int n = fault(p, s, va, &start);
  int around = 0;
  cow[vpn] = 0;
  if(n > 1 && start <= va && va < start + (uint64)n * PG){
    for(uint64 a = start; a < start + (uint64)n * PG; a += PG){
      int i = a / PG;
      if(i < npages && cow[i]){
        cow[i] = 2;
        around++;
      }
    }
  }
  return around;
}

// ---- the registry and the interface, for every policy ----------------

static void
test_registry(void)
{
  int n = 0, hooks = 1, unique = 1;
  for(int i = 0; cow_policies[i]; i++, n++){
    struct cow_policy *p = cow_policies[i];
    const char *missing = policy_missing_hook(p);
    if(missing){
      printf("  policy %s lacks the required hook %s\n",
             p->name ? p->name : "(no name)", missing);
      hooks = 0;
    }
    for(int j = 0; j < i; j++)
      if(strcmp(cow_policies[j]->name, p->name) == 0)
        unique = 0;
  }
  check(n >= 1, "registry_not_empty", "want at least %ld policy, got %ld", 1, n);
  check(hooks, "registry_required_hooks", "want %ld (every required hook set), got %ld",
        1, hooks);
  check(unique, "registry_unique_names", "want %ld, got %ld", 1, unique);
  check(find("cow") != 0, "registry_has_cow", "want %ld (the default), got %ld",
        1, find("cow") != 0);

  // A policy without fork_region is refused, with the hook's name.
  struct cow_policy broken = { .name = "broken" };
  const char *m = policy_missing_hook(&broken);
  check(m && strcmp(m, "fork_region") == 0, "registry_refuses_missing_hook",
        "want %ld (fork_region named), got %ld", 1, m != 0);
}

// Every declared parameter: its default within its range, and the
// default accepted when given explicitly.
static void
test_params_declared(void)
{
  int ok = 1;
  for(int i = 0; cow_policies[i]; i++){
    const struct cow_policy *p = cow_policies[i];
    for(const struct bootparam *q = p->params; q && q->key; q++){
      if(!q->choices && (q->def < q->min || q->def > q->max)){
        printf("  %s: %s default %d outside %d..%d\n", p->name, q->key,
               q->def, q->min, q->max);
        ok = 0;
      }
      if(q->value == 0 || q->doc == 0){
        printf("  %s: %s lacks a value pointer or a doc line\n", p->name, q->key);
        ok = 0;
      }
    }
  }
  check(ok, "params_declared", "want %ld, got %ld", 1, ok);
}

// Bad boot parameters stop the boot with a message naming what is valid.
static void
test_params_refused(void)
{
  static const char *bad[] = {
    "window=abc", "window=-5", "window=0", "window=100000", "window=6",
    "windw=4", "window", "window=4 window=8", "window=",
  };
  char err[512];
  int refused = 0;
  for(int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++){
    err[0] = 0;
    if(boot_args("faultaround", bad[i], err, sizeof(err)) == 0 && err[0])
      refused++;
    else
      printf("  accepted: %s\n", bad[i]);
  }
  check(refused == sizeof(bad) / sizeof(bad[0]), "params_refused",
        "want %ld bad command lines refused, got %ld",
        (long)(sizeof(bad) / sizeof(bad[0])), refused);
  boot_args("faultaround", "windw=4", err, sizeof(err));
  check(strstr(err, "window=1..512") != 0, "params_message_lists_valid",
        "want %ld (message lists window=1..512), got %ld", 1,
        strstr(err, "window=1..512") != 0);
  int good = boot_args("faultaround", "window=4 -- cat x=y", err, sizeof(err)) != 0;
  check(good, "params_command_not_params",
        "want %ld (words after -- are the command), got %ld", 1, good);
}

// Every policy, on a standard life (exec, fork children that fault and
// settle, exit): answers within the contract and frees what it took.
static void
test_contract(void)
{
  for(int i = 0; cow_policies[i]; i++){
    struct cow_policy *p = cow_policies[i];
    char name[64];
    boot(p->name, "");
    long a0 = allocs, f0 = frees;
    struct pstate *parent = newproc(p);
    int ok = 1;
    for(int k = 0; k < 6; k++){
      struct pstate *c = forkproc(p, parent);
      for(uint64 base = 0; base < 4 * POLICY_REGION_SIZE; base += POLICY_REGION_SIZE){
        uint64 mask[POLICY_MASK_WORDS] = { 0 };
        int a = p->fork_region(parent, base, mask);
        ok &= a == FORK_SHARE || a == FORK_COPY || a == FORK_SOME;
      }
      for(int j = 0; j < 200; j++){
        uint64 va = (uint64)((j * 7 + k) % 1500) * PG, start;
        int n = fault(p, c, va, &start);
        ok &= n >= 1;
        settle(p, c, va + PG, j % 3 == 0);
      }
      endproc(p, c);
    }
    endproc(p, parent);
    snprintf(name, sizeof(name), "contract_%s", p->name);
    check(ok, name, "want %ld (answers within the contract), got %ld", 1, ok);
    snprintf(name, sizeof(name), "no_leak_%s", p->name);
    check(allocs - a0 == frees - f0, name, "want %ld objects freed, got %ld",
          allocs - a0, frees - f0);
  }
}

// ---- what the named policies promise ---------------------------------

static void
test_copy_cow(void)
{
  struct cow_policy *p = boot("copy", 0);
  struct pstate *s = newproc(p);
  int all = 1;
  for(uint64 va = 0; va < 64 * PG; va += PG)
    all &= fork_copy(p, s, va) == 1;
  check(all, "copy_copies_all", "want %ld, got %ld", 1, all);
  endproc(p, s);

  p = boot("cow", 0);
  s = newproc(p);
  int none = 1;
  for(uint64 va = 0; va < 64 * PG; va += PG)
    none &= fork_copy(p, s, va) == 0;
  uint64 start = 0;
  int n = fault(p, s, 7 * PG, &start);
  check(none, "cow_shares_all", "want %ld, got %ld", 1, none);
  check(n == 1 && start == 7 * PG, "cow_one_page", "want %ld page, got %ld", 1, n);
  endproc(p, s);
}

static void
test_faultaround(void)
{
  struct cow_policy *p = boot("faultaround", 0);
  uint64 start = 0;
  int n = fault(p, 0, 37 * PG, &start);
  check(n == 16 && start == 32 * PG, "faultaround_default_window",
        "want window %ld, got %ld", 16, n);
  p = boot("faultaround", "window=4");
  n = fault(p, 0, 37 * PG, &start);
  check(n == 4 && start == 36 * PG, "faultaround_window_param",
        "want window %ld, got %ld", 4, n);

  // 64 sequential writes: at most 64/W + 1 faults.
  p = boot("faultaround", 0);
  char cow[64];
  memset(cow, 1, sizeof(cow));
  int faults = 0;
  for(int i = 0; i < 64; i++){
    if(cow[i] == 1){
      faults++;
      resolve(p, 0, cow, 64, i);
    }
    cow[i] = 0;
  }
  check(faults <= 64 / 16 + 1, "faultaround_sequential",
        "want at most %ld faults, got %ld", 64 / 16 + 1, faults);
}

// A fork server: a parent forks children one after another; each
// writes the same 32 pages. Fills faults[k] for child k.
static void
forkserver(const char *name, int *faults, int nchild, int *wasted)
{
  struct cow_policy *p = boot(name, 0);
  struct pstate *parent = newproc(p);
  *wasted = 0;
  for(int k = 0; k < nchild; k++){
    char copied[64] = {0};
    for(int i = 0; i < 64; i++)
      copied[i] = fork_copy(p, parent, (uint64)i * PG);
    struct pstate *child = forkproc(p, parent);
    faults[k] = 0;
    for(int i = 0; i < 32; i++){
      int vpn = i * 2;   // every other page of the 64: not a run
      if(!copied[vpn]){
        uint64 start;
        fault(p, child, (uint64)vpn * PG, &start);
        faults[k]++;
      }
    }
    for(int i = 0; i < 64; i++)   // exit: settle the early copies
      if(copied[i]){
        int written = i % 2 == 0;
        *wasted += !written;
        settle(p, child, (uint64)i * PG, written);
      }
    endproc(p, child);
  }
  endproc(p, parent);
}

static void
test_hot(void)
{
  int faults[10], wasted;
  long a0 = allocs, f0 = frees;
  forkserver("hot", faults, 10, &wasted);
  int late = 0;
  for(int k = 2; k < 10; k++)
    late += faults[k];
  check(faults[0] == 32 && faults[1] == 32, "hot_learns_two_children",
        "want %ld faults for child 0, got %ld", 32, faults[0]);
  check(late == 0, "hot_third_child_no_faults",
        "want %ld faults from child 2 on, got %ld", 0, late);
  check(wasted == 0, "hot_no_waste", "want %ld wasted, got %ld", 0, wasted);
  check(allocs - a0 == frees - f0, "hot_no_leak",
        "want %ld objects freed, got %ld", allocs - a0, frees - f0);

  // Decay: with no writes, a learnt page stops being copied.
  struct cow_policy *p = boot("hot", "hot_decay=2");
  struct pstate *s = newproc(p);
  uint64 start;
  for(int i = 0; i < 4; i++)
    fault(p, s, 5 * PG, &start);
  int before = fork_copy(p, s, 5 * PG);
  for(int i = 0; i < 6; i++)
    endproc(p, forkproc(p, s));
  int after = fork_copy(p, s, 5 * PG);
  check(before == 1 && after == 0, "hot_decays",
        "want copy before decay (%ld) and not after, got after=%ld", 1, after);
  endproc(p, s);
}

static void
test_adaptive(void)
{
  struct cow_policy *p = boot("adaptive", 0);
  long a0 = allocs, f0 = frees;

  // Sequential write of 64 pages: at most a quarter of cow's 64 faults.
  struct pstate *s = newproc(p);
  static char cow[8192];
  memset(cow, 1, 64);
  int faults = 0;
  for(int i = 0; i < 64; i++){
    if(cow[i] == 1){
      faults++;
      resolve(p, s, cow, 64, i);
    }
    cow[i] = 0;   // written
  }
  check(faults <= 16, "adaptive_sequential",
        "want at most %ld faults, got %ld", 16, faults);
  endproc(p, s);

  // Random writes to 5% of 8192 pages: few pages copied ahead.
  s = newproc(p);
  memset(cow, 1, sizeof(cow));
  unsigned x = 12345;
  int copies = 0, around = 0, writes = 0;
  static char target[8192];
  memset(target, 0, sizeof(target));
  while(writes < 8192 / 20){
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    int i = x % 8192;
    if(target[i])
      continue;
    target[i] = 1;
    writes++;
    if(cow[i] == 1){
      copies++;
      around += resolve(p, s, cow, 8192, i);
    }
    cow[i] = 0;
  }
  int waste = 0;
  for(int i = 0; i < 8192; i++)
    waste += cow[i] == 2;
  check(waste * 20 <= copies + around, "adaptive_random_little_waste",
        "want waste at most 5%% of copies (%ld), got %ld", (copies + around) / 20, waste);
  endproc(p, s);

  // Waste collapses the window: a stream at window 2 would grow to 4;
  // after a wasted copy it starts again from 1 (so grows to 2).
  s = newproc(p);
  uint64 start;
  fault(p, s, 100 * PG, &start);
  int w2 = fault(p, s, 101 * PG, &start);
  settle(p, s, 102 * PG, 0);
  int w3 = fault(p, s, 103 * PG, &start);
  check(w2 == 2 && w3 == 2, "adaptive_waste_collapses",
        "want window 2 (restarted) after waste, not 4 (grew to %ld), got %ld", w2, w3);
  endproc(p, s);

  // Fork server: learns the hot pages like hot does.
  int fk[10], wasted;
  forkserver("adaptive", fk, 10, &wasted);
  int late = 0;
  for(int k = 2; k < 10; k++)
    late += fk[k];
  check(late == 0 && wasted == 0, "adaptive_forkserver",
        "want %ld faults from child 2 on, got %ld", 0, late);
  check(allocs - a0 == frees - f0, "adaptive_no_leak",
        "want %ld objects freed, got %ld", allocs - a0, frees - f0);
}

// ---- the history ------------------------------------------------------

static void
test_history(void)
{
  struct cow_policy *p = boot("hot", "hot_decay=0");
  struct pstate *s = newproc(p);
  uint64 start;
  for(int i = 0; i < 1000; i++){
    fault(p, s, (uint64)i * PG, &start);
    fault(p, s, (uint64)i * PG, &start);
  }
  int hot = 0, cold = 0, far = 0;
  for(int i = 0; i < 1000; i++){
    hot += fork_copy(p, s, (uint64)i * PG);
    cold += fork_copy(p, s, (uint64)(i + 1000) * PG);
    far += fork_copy(p, s, (uint64)(i + 8064) * PG);   // the old aliasing
  }
  check(hot == 1000 && cold == 0, "history_per_page",
        "want %ld written pages predicted and none other, got %ld", 1000, hot - cold);
  check(far == 0, "history_no_alias_8064",
        "want %ld pages 8064 pages apart predicted, got %ld", 0, far);
  endproc(p, s);

  // Up to 1 GiB and beyond: a page 1 GiB + 1 page away has its own score.
  s = newproc(p);
  uint64 gib = 1ULL << 30;
  fault(p, s, 3 * PG, &start);
  fault(p, s, 3 * PG, &start);
  int near = fork_copy(p, s, 3 * PG), twin = fork_copy(p, s, gib + 3 * PG);
  fault(p, s, 2 * gib + 5 * PG, &start);
  fault(p, s, 2 * gib + 5 * PG, &start);
  int high = fork_copy(p, s, 2 * gib + 5 * PG);
  check(near == 1 && twin == 0 && high == 1, "history_no_alias_gib",
        "want the page and not its 1 GiB twin (%ld), got twin=%ld", 1, twin);

  // A region never written costs nothing and answers FORK_SHARE.
  long a0 = allocs;
  uint64 mask[POLICY_MASK_WORDS] = { 0 };
  int a = p->fork_region(s, 100 * POLICY_REGION_SIZE, mask);
  check(a == FORK_SHARE && allocs == a0, "history_unwritten_region_free",
        "want FORK_SHARE (%ld) and no allocation, got %ld", FORK_SHARE, a);
  endproc(p, s);

  // Scores saturate at HIST_MAX and decay halves each one separately.
  p = boot("hot", "hot_decay=1");
  s = newproc(p);
  for(int i = 0; i < 40; i++)
    fault(p, s, 3 * PG, &start);
  fault(p, s, 4 * PG, &start);
  fault(p, s, 4 * PG, &start);
  struct pstate *c = forkproc(p, s);   // decay=1: 15 -> 7, 2 -> 1
  int x = fork_copy(p, s, 3 * PG), y = fork_copy(p, s, 4 * PG);
  check(x == 1 && y == 0, "history_decay_per_page",
        "want the saturated page still hot (%ld) and the other not, got %ld", 1, y);
  endproc(p, c);
  endproc(p, s);
}

int
main(void)
{
  test_registry();
  test_params_declared();
  test_params_refused();
  test_contract();
  test_copy_cow();
  test_faultaround();
  test_hot();
  test_adaptive();
  test_history();
  printf("policies: %d passed, %d failed\n", passed, failed);
  return failed != 0;
}
