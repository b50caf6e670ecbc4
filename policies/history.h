// A lineage and its write history (history.c), shared by the hot and
// adaptive policies. A lineage is a process and the children it forks
// (and theirs) since its last exec: they run the same program, so the
// same virtual address means the same data, and what one child wrote
// predicts what the next one will write.
//
// The history keeps, per virtual page:
// - a score (0..15, a byte, so that one atomic add updates it): how
//   often, lately, the lineage wrote the page while it was shared (a COW
//   fault), or wrote an early copy of it;
// - a 2-bit tag: the class of prediction the page fell in at the
//   lineage's last fork (0: not predicted), cleared by the first use;
// - a parent bit: a process wrote the page after it had forked (its
//   child's copy of it then spares the parent a fault): set when a
//   parent faults on it or writes a copy made around a fault, and by
//   the parent's side of a fork copy settling written, cleared when it
//   settles unwritten;
// - a recent bit: the lineage wrote the page since its last fork (or
//   was given a copy of it then, and did not leave it unused).
// They are kept in blocks of one 2 MiB region each (the unit of the fork
// question), allocated the first time a page of the region scores and
// reached through a directory per GiB; a region never written costs
// nothing, and no two pages below HIST_LIMIT share a score. Pages above
// HIST_LIMIT are not recorded (they score 0: shared, as under cow).
//
// Predictions are judged by rates, not by single pages: for each class
// the lineage counts the pages predicted at its forks and the
// predictions that were used (the page written by the child or by the
// parent); a policy copies a class only while its rate is high enough.
// A page copied at fork is counted used at once and taken back if its
// copy settles unwritten (the common case, a used copy, then costs its
// settle nothing); a page predicted but not copied is counted used when
// a process of the lineage faults on it.
#ifndef HISTORY_H
#define HISTORY_H

#include "policy.h"

#define HIST_MAX     15                              // scores saturate
#define HIST_WORDS   (POLICY_REGION_PAGES / 8)       // 64-bit score words per block
#define HIST_BITW    (POLICY_REGION_PAGES / 32)      // 1-bit words per block
#define HIST_DIRSIZE 256                             // regions per directory
#define HIST_NDIR    128                             // directories
#define HIST_LIMIT   ((uint64)HIST_NDIR * HIST_DIRSIZE * POLICY_REGION_SIZE)

// Prediction classes (tags).
#define HIST_NONE    0
#define HIST_AGAIN   1   // written since the last fork, and repeatedly
                         // (score >= the rule's again)
#define HIST_ONCE    2   // written since the last fork, not repeatedly
#define HIST_FILL    3   // not written since the last fork, in a region
                         // whose written extent is nearly all written
#define HIST_NCLASS  4

struct hist_block {
  uint64 w[HIST_WORDS];      // scores: page i in byte i%8 of w[i/8]
  uint32 tag0[HIST_BITW];    // tag bit 0 of page i at bit i%32 of [i/32]
  uint32 tag1[HIST_BITW];    // tag bit 1
  uint32 par[HIST_BITW];     // parent bits
  uint32 recent[HIST_BITW];  // recent bits
  uint32 lo, hi;             // extent of pages ever scored, + 1 (0: none)
};

struct hist_dir {
  struct hist_block *block[HIST_DIRSIZE];
  uint64 have[HIST_DIRSIZE / 64];   // bit r: block[r] exists (hist_next)
};
// Each is one policy_zalloc, which gives at most a page.
_Static_assert(sizeof(struct hist_dir) <= 4096, "hist_dir exceeds a page");
_Static_assert(sizeof(struct hist_block) <= 4096, "hist_block exceeds a page");

// How often a class of predictions was right: pages predicted at forks,
// and predictions used. Both halve every decay forks. Atomic.
struct hist_rate {
  uint32 pred, hit;
};

struct history {
  int forks;                 // forks made from the lineage, for decay
  int decay;                 // halve every score each decay forks (0: never)
  struct hist_rate rate[HIST_NCLASS];
  // The price of learning, halved with the rates: faults recorded and
  // fork questions answered (counted by the policy). Atomic.
  uint32 recorded, asked;
  // How densely the lineage wrote before its last fork that predicted
  // (hist_region): pages written since the fork before (predicted as
  // again or once), and the pages of the extents they lie in, summed
  // over the regions asked; fork is the lineage's fork count then.
  // Atomic (approximate if forks race).
  struct { int fork; uint32 written, extent; } dense;
  struct hist_dir **dir;     // HIST_NDIR directories, allocated with the
                             // first (0: none yet), so that a lineage
                             // that never learns is small. Atomic
  uint32 ndir;               // 1 + the highest dir[] ever filled (hist_next's
                             // bound); grows only. Atomic
};

// A process's shortcut to the block it used last (faults and settles
// come in runs within a region). Zeroed: empty.
struct hist_cache {
  uint64 region;             // region number + 1 (0: empty)
  struct hist_block *b;
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

// How a policy classifies pages at fork (hist_region). A page not
// written since the last fork is predicted only as part of a region
// nearly all written (HIST_FILL): a working set that moved on is not.
struct hist_rule {
  int again;                 // score at or above, and recent: HIST_AGAIN
  int once;                  // 1: pages written since the last fork (and
                             // not again) are HIST_ONCE; 0: no such class
  int fill;                  // percent of a region's written extent that
                             // must have scored for HIST_FILL (0: never)
  int copy;                  // classes to copy: bit c for class c
};

void hist_fork(struct history *h);
void hist_forget(struct history *h);
int hist_write(struct history *h, struct hist_cache *c, uint64 va, int parent);
int hist_told(struct history *h, uint64 base, const uint64 *mask);
int hist_settled(struct history *h, struct hist_cache *c, uint64 va, int parent);
void hist_settled_run(struct history *h, struct hist_cache *c, uint64 va, int n, int parent,
                      uint32 *hits);
void hist_hits(struct history *h, int cls, uint32 n);
void hist_parent(struct history *h, struct hist_cache *c, uint64 va, int written);
void hist_parent_run(struct history *h, struct hist_cache *c, uint64 va, int n, int written);
int hist_unused(struct history *h, struct hist_cache *c, uint64 va, int fork);
void hist_unused_run(struct history *h, struct hist_cache *c, uint64 va, int n, int fork);
int hist_region(struct history *h, uint64 base, const struct hist_rule *r,
                uint64 *mask);
uint64 hist_next(struct history *h, uint64 base);
int hist_trust(struct history *h, int cls, int prior, int weight, int pct);
int hist_repeat(struct history *h, int least);

#endif
