// A lineage's write history (history.c), shared by the hot and adaptive
// policies: which virtual pages the processes of one lineage wrote while
// they were shared. A lineage is a process and the children it forks
// (and theirs) since its last exec: they run the same program, so the
// same addresses mean the same data.
#ifndef HISTORY_H
#define HISTORY_H

#include "policy.h"

#define HIST_NPAGES 8     // table pages, allocated when first needed
#define HIST_SLOTS (POLICY_PGSIZE / 8)   // entries per table page
#define HIST_PROBE 16     // linear probing limit within one table page
#define HIST_MAX 15       // scores saturate here

struct hent {
  uint32 key;     // virtual page number + 1; 0 = empty slot
  uint32 score;   // writes seen, decayed; updated atomically
};

struct history {
  int ref;        // processes holding it; updated atomically
  int forks;      // forks made from this lineage, for decay
  int decay;      // halve every score each decay forks (0: never)
  int used;       // slots ever taken: 0 lets lookups stop at once
  int aux;        // the policy's own lineage-wide value (adaptive: its
                  // fault-around limit); updated atomically
  struct hent *page[HIST_NPAGES];   // set once, by compare-and-swap
};

struct history *hist_new(int decay);
void hist_get(struct history *h);
void hist_put(struct history *h);
void hist_fork(struct history *h);
int hist_score(struct history *h, uint64 va);
void hist_add(struct history *h, uint64 va, int delta);
void hist_clear(struct history *h, uint64 va);

#endif
