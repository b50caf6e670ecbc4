// A lineage and its write history (history.c), shared by the hot and
// adaptive policies. A lineage is a process and the children it forks
// (and theirs) since its last exec: they run the same program, so the
// same virtual address means the same data, and what one child wrote
// predicts what the next one will write.
//
// The history is a 4-bit score per virtual page: how often, lately, the
// lineage wrote the page while it was shared. Scores are kept in blocks
// of one 2 MiB region each (the unit of the fork question), allocated
// the first time a page of the region scores, reached through a
// directory per GiB; a region never written costs nothing, and no two
// pages below HIST_LIMIT share a score. Pages above HIST_LIMIT are not
// recorded (they score 0: shared, as under plain cow).
#ifndef HISTORY_H
#define HISTORY_H

#include "policy.h"

#define HIST_MAX     15                              // scores saturate
#define HIST_WORDS   (POLICY_REGION_PAGES / 8)       // 32-bit words per block
#define HIST_DIRSIZE 512                             // regions per directory
#define HIST_NDIR    64                              // directories
#define HIST_LIMIT   ((uint64)HIST_NDIR * HIST_DIRSIZE * POLICY_REGION_SIZE)

struct hist_block {
  uint32 w[HIST_WORDS];      // 8 scores per word, page i at bits 4*(i%8)
};

struct hist_dir {
  struct hist_block *block[HIST_DIRSIZE];
};

struct history {
  int forks;                 // forks made from the lineage, for decay
  int decay;                 // halve every score each decay forks (0: never)
  struct hist_dir *dir[HIST_NDIR];
};

// A lineage: held by each of its processes. A policy that keeps more
// per lineage embeds this struct first in its own and says how big it
// is to lineage_new().
struct lineage {
  int ref;                   // processes holding it; atomic
  struct history h;
};

struct lineage *lineage_new(uint64 size, int decay);
void lineage_get(struct lineage *l);
void lineage_put(struct lineage *l);

void hist_fork(struct history *h);
int hist_score(struct history *h, uint64 va);
void hist_add(struct history *h, uint64 va, int delta);
void hist_clear(struct history *h, uint64 va);
int hist_region(struct history *h, uint64 base, int threshold, uint64 *mask);

#endif
