// Host unit tests of the policies' decisions: the policy files compile
// here unchanged (POLICY_HOST), with the kernel's helpers simulated and
// the kernel's fault handling modelled in a few lines (resolve()).
// Prints PASS/FAIL lines and "policies: N passed, N failed".
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"
#include "history.h"

static int passed, failed;
static long allocs, frees;
static const char *params[8][2];   // name, value: the "command line"

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

int
policy_param(const char *name, int def)
{
  for(int i = 0; i < 8 && params[i][0]; i++)
    if(strcmp(params[i][0], name) == 0)
      return atoi(params[i][1]);
  return def;
}

void*
policy_alloc(void)
{
  void *p = aligned_alloc(PG, PG);
  if(p){
    memset(p, 0, PG);
    allocs++;
  }
  return p;
}

void
policy_free(void *p)
{
  frees++;
  free(p);
}

static struct cow_policy*
find(const char *name)
{
  for(int i = 0; cow_policies[i]; i++)
    if(strcmp(cow_policies[i]->name, name) == 0)
      return cow_policies[i];
  return 0;
}

// Boot with policy name and the given parameters.
static struct cow_policy*
boot(const char *name, const char *param, const char *value)
{
  memset(params, 0, sizeof(params));
  params[0][0] = param;
  params[0][1] = value;
  struct cow_policy *p = find(name);
  if(p && p->init)
    p->init();
  return p;
}

// A process state the way the kernel makes one: fork from nothing
// (the first process), then exec.
static void*
newproc(struct cow_policy *p)
{
  void *s = 0;
  p->fork(0, &s);
  if(p->exec)
    p->exec(&s);
  return s;
}

static void
endproc(struct cow_policy *p, void *s)
{
  if(p->exit)
    p->exit(s);
}

// The kernel's side of a COW fault on page vpn, in a model where
// cow[i] says page i is still shared: ask the policy, resolve the
// window's shared pages. Returns how many neighbours were resolved.
static int
resolve(struct cow_policy *p, void *s, char *cow, int npages, int vpn)
{
  uint64 va = (uint64)vpn * PG, start = va;
  int n = p->fault(s, va, &start);
  int around = 0;
  cow[vpn] = 0;
  if(n > 1 && start <= va && va < start + (uint64)n * PG){
    for(uint64 a = start; a < start + (uint64)n * PG; a += PG){
      int i = a / PG;
      if(i < npages && cow[i]){
        cow[i] = 2;   // copied early, not yet written
        around++;
      }
    }
  }
  return around;
}

static void
test_registry(void)
{
  int n = 0, ok = 1;
  for(int i = 0; cow_policies[i]; i++, n++){
    struct cow_policy *p = cow_policies[i];
    if(!p->name || !p->fork || !p->fork_copy || !p->fault)
      ok = 0;
    for(int j = 0; j < i; j++)
      if(strcmp(cow_policies[j]->name, p->name) == 0)
        ok = 0;
  }
  check(n == 5, "registry_five", "want %ld policies, got %ld", 5, n);
  check(ok, "registry_hooks", "want %ld (names unique, hooks set), got %ld", 1, ok);
}

static void
test_copy_cow(void)
{
  struct cow_policy *p = boot("copy", 0, 0);
  void *s = newproc(p);
  int all = 1;
  for(uint64 va = 0; va < 64 * PG; va += PG)
    all &= p->fork_copy(s, va) == 1;
  check(all, "copy_copies_all", "want %ld, got %ld", 1, all);
  endproc(p, s);

  p = boot("cow", 0, 0);
  s = newproc(p);
  int none = 1;
  for(uint64 va = 0; va < 64 * PG; va += PG)
    none &= p->fork_copy(s, va) == 0;
  uint64 start = 0;
  int n = p->fault(s, 7 * PG, &start);
  check(none, "cow_shares_all", "want %ld, got %ld", 1, none);
  check(n == 1 && start == 7 * PG, "cow_one_page", "want %ld page, got %ld", 1, n);
  endproc(p, s);
}

static void
test_faultaround(void)
{
  struct cow_policy *p = boot("faultaround", 0, 0);
  uint64 start = 0;
  int n = p->fault(0, 37 * PG, &start);
  check(n == 16 && start == 32 * PG, "faultaround_default_window",
        "want window %ld, got %ld", 16, n);
  p = boot("faultaround", "window", "6");
  n = p->fault(0, 37 * PG, &start);
  check(n == 4 && start == 36 * PG, "faultaround_window_pow2",
        "want window %ld, got %ld", 4, n);
  p = boot("faultaround", "window", "0");
  n = p->fault(0, 37 * PG, &start);
  check(n == 1 && start == 37 * PG, "faultaround_window_min",
        "want window %ld, got %ld", 1, n);

  // 64 sequential writes: at most 64/W + 1 faults.
  p = boot("faultaround", 0, 0);
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
// writes the same 32 pages. Returns the faults of child k (0-based).
static void
forkserver(const char *name, int *faults, int nchild, int *wasted)
{
  struct cow_policy *p = boot(name, 0, 0);
  void *parent = newproc(p);
  *wasted = 0;
  for(int k = 0; k < nchild; k++){
    char copied[64] = {0};
    for(int i = 0; i < 64; i++)
      copied[i] = p->fork_copy(parent, (uint64)i * PG);
    void *child = 0;
    p->fork(parent, &child);
    faults[k] = 0;
    for(int i = 0; i < 32; i++){
      int vpn = i * 2;   // every other page of the 64: not a run
      if(!copied[vpn]){
        uint64 start;
        p->fault(child, (uint64)vpn * PG, &start);
        faults[k]++;
      }
    }
    for(int i = 0; i < 64; i++)   // exit: settle the early copies
      if(copied[i]){
        int written = i % 2 == 0;
        *wasted += !written;
        if(p->feedback)
          p->feedback(child, (uint64)i * PG, written);
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
        "want %ld pages freed, got %ld", allocs - a0, frees - f0);

  // Decay: with no writes, a learnt page stops being copied.
  struct cow_policy *p = boot("hot", "hot_decay", "2");
  void *s = newproc(p);
  uint64 start;
  for(int i = 0; i < 4; i++)
    p->fault(s, 5 * PG, &start);
  int before = p->fork_copy(s, 5 * PG);
  for(int i = 0; i < 6; i++){
    void *c = 0;
    p->fork(s, &c);
    endproc(p, c);
  }
  int after = p->fork_copy(s, 5 * PG);
  check(before == 1 && after == 0, "hot_decays",
        "want copy before decay (%ld) and not after, got after=%ld", 1, after);
  endproc(p, s);
}

static void
test_adaptive(void)
{
  struct cow_policy *p = boot("adaptive", 0, 0);
  long a0 = allocs, f0 = frees;

  // Sequential write of 64 pages: at most a quarter of cow's 64 faults.
  void *s = newproc(p);
  char cow[8192];
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
  char target[8192] = {0};
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
  p->fault(s, 100 * PG, &start);
  int w2 = p->fault(s, 101 * PG, &start);
  p->feedback(s, 102 * PG, 0);
  int w3 = p->fault(s, 103 * PG, &start);
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
        "want %ld pages freed, got %ld", allocs - a0, frees - f0);
}

// The history keeps a score per page; pages HIST_PAGES apart share one.
static void
test_history(void)
{
  struct cow_policy *p = boot("hot", "hot_decay", "0");
  void *s = newproc(p);
  uint64 start;
  for(int i = 0; i < 1000; i++){
    p->fault(s, (uint64)i * PG, &start);
    p->fault(s, (uint64)i * PG, &start);
  }
  int hot = 0, cold = 0, alias = 0;
  for(int i = 0; i < 1000; i++){
    hot += p->fork_copy(s, (uint64)i * PG);
    cold += p->fork_copy(s, (uint64)(i + 1000) * PG);
    alias += p->fork_copy(s, (uint64)(i + HIST_PAGES) * PG);
  }
  check(hot == 1000 && cold == 0, "history_per_page",
        "want %ld written pages predicted and none other, got %ld", 1000, hot - cold);
  check(alias == 1000, "history_aliases",
        "want %ld pages HIST_PAGES apart to share a score, got %ld", 1000, alias);
  endproc(p, s);

  // Scores saturate at HIST_MAX and decay halves each one separately.
  p = boot("hot", "hot_decay", "1");
  s = newproc(p);
  for(int i = 0; i < 40; i++)
    p->fault(s, 3 * PG, &start);
  p->fault(s, 4 * PG, &start);
  p->fault(s, 4 * PG, &start);
  void *c = 0;
  p->fork(s, &c);   // decay=1: every fork halves: 15 -> 7, 2 -> 1
  int a = p->fork_copy(s, 3 * PG), b = p->fork_copy(s, 4 * PG);
  check(a == 1 && b == 0, "history_decay_per_page",
        "want the saturated page still hot (%ld) and the other not, got %ld", 1, b);
  endproc(p, c);
  endproc(p, s);
}

int
main(void)
{
  test_registry();
  test_copy_cow();
  test_faultaround();
  test_hot();
  test_adaptive();
  test_history();
  printf("policies: %d passed, %d failed\n", passed, failed);
  return failed != 0;
}
