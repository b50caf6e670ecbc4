#ifndef FORKPLAN_H
#define FORKPLAN_H
// A fork's copies for one 2 MiB region, left to the first write there
// (forkplan.c).
#define PLAN_WORDS 8   // 512 pages, a bit each (POLICY_MASK_WORDS)

struct forkplan {
  struct forkplan *next;     // in the free pool
  int ref;                   // the processes holding it; atomic
  uint64 base;               // the region
  uint64 mask[PLAN_WORDS];   // pages the policy wanted copied
  uint64 taken[PLAN_WORDS];  // pages one side has acted on; atomic
};

void planinit(void);
int plan_make(struct proc *parent, struct proc *child, uint64 base,
              const uint64 *mask);
struct forkplan *plan_take(struct proc *p, uint64 base);
void plan_put(struct forkplan *pl);
void plan_drop_all(struct proc *p);
int plan_first(struct forkplan *pl, int i);
#endif
