// A lineage's write history (history.c), shared by the hot and adaptive
// policies: which virtual pages the processes of one lineage wrote while
// they were shared. A lineage is a process and the children it forks
// (and theirs) since its last exec: they run the same program, so the
// same addresses mean the same data.
//
// One page per lineage, allocated at exec and freed with the lineage's
// last process: a small header and a 4-bit score per virtual page,
// indexed by page number modulo HIST_PAGES (pages HIST_PAGES apart share
// a score; at 31.5 MiB apart that is rare, and a score is only advice).
#ifndef HISTORY_H
#define HISTORY_H

#include "policy.h"

#define HIST_HDR 64                                   // header bytes
#define HIST_PAGES ((POLICY_PGSIZE - HIST_HDR) * 2)   // 8064 scores
#define HIST_MAX 15                                   // scores saturate

struct history {
  int ref;        // processes holding it; updated atomically
  int forks;      // forks made from this lineage, for decay
  int decay;      // halve every score each decay forks (0: never)
  int used;       // writes ever recorded: 0 lets fork skip lookups
  int aux;        // the policy's own lineage-wide value (adaptive: its
                  // fault-around limit); updated atomically
};

struct history *hist_new(int decay);
void hist_get(struct history *h);
void hist_put(struct history *h);
void hist_fork(struct history *h);
int hist_score(struct history *h, uint64 va);
void hist_add(struct history *h, uint64 va, int delta);
void hist_clear(struct history *h, uint64 va);

#endif
