// hot: eager-copy-hot-pages. A lineage (a process and the children it
// forks, since its last exec) keeps a write history (history.c): each COW
// fault scores the page one point, and so does each page copied early
// that was then written; a copy wasted takes a point off; every decay
// forks all scores halve. At fork, pages scoring at least threshold are
// copied for the child at once, the rest are shared. This models the
// fork-server pattern (zygote, pre-fork servers): the same parent forks
// child after child and the children write the same pages; from the
// third child on, the hot pages take no faults.
//
// Parameters: hot_threshold=T (default 2: written after two forks),
// hot_decay=D (default 8 forks; 0 never ages).
#include "history.h"

static int threshold = 2;
static int decay = 8;

static void
hot_init(void)
{
  threshold = policy_param("hot_threshold", 2);
  if(threshold < 1)
    threshold = 1;
  decay = policy_param("hot_decay", 8);
}

// The child joins its parent's lineage.
static int
hot_fork(void *parent, void **child)
{
  struct history *h = parent;
  if(h){
    hist_fork(h);
    hist_get(h);
  }
  *child = h;
  return 0;
}

static int
hot_fork_copy(void *parent, uint64 va)
{
  return hist_score(parent, va) >= threshold;
}

static int
hot_fault(void *state, uint64 va, uint64 *start)
{
  hist_add(state, va, 1);
  *start = va;
  return 1;
}

static void
hot_feedback(void *state, uint64 va, int written)
{
  hist_add(state, va, written ? 1 : -1);
}

// A new program starts a new lineage. Out of memory: no history, so
// every page is shared (plain cow).
static void
hot_exec(void **state)
{
  hist_put(*state);
  *state = hist_new(decay);
}

static void
hot_exit(void *state)
{
  hist_put(state);
}

struct cow_policy policy_hot = {
  .name = "hot",
  .init = hot_init,
  .fork = hot_fork,
  .fork_copy = hot_fork_copy,
  .fault = hot_fault,
  .feedback = hot_feedback,
  .exec = hot_exec,
  .exit = hot_exit,
};
