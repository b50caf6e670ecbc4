// bothwrite [pages=4096] [pfrac=10] [cfrac=10] [overlap=0] [iters=1] [seed=0] [fresh=0]
//
// Parent and child both write after the fork: a snapshot (Redis BGSAVE)
// whose child also writes (its serialisation buffers, a compaction
// pass), a pipeline of two processes that each update their own state,
// a periodic checkpoint. The parent fills a heap of `pages` pages; then,
// `iters` times, it forks a child and the two take turns in 16 rounds:
// the parent stores into the next sixteenth of its set P (pfrac% of the
// pages), then the child into the next sixteenth of its set C (cfrac% of
// the pages); after the last round the child exits and is waited for.
// overlap% of C are pages of P (data both update; the first of the two
// to store copies the page, the other one then owns the original); the
// rest of C are pages of its own. P and C are the same in every
// iteration: the first pages of the heap, P first, if seed is 0, else
// scattered (a permutation drawn with xorshift64 from seed). With
// fresh=1 (and a seed) they are drawn anew for each iteration, from
// seed + the iteration's number: a server whose updates between two
// snapshots fall on slots hashed uniformly over a large table, so that
// what one interval wrote says nothing of the next.
//
// The turns are passed through two pipes, so the interleaving is the
// same on one hart or several. Each process reads the turn into a
// mailbox page after the heap: its first read stores into it, so each
// iteration writes pfrac% + cfrac% of the pages plus 2 (the mailbox, once
// per process), and that sum is writes=. After each iteration the parent
// checks that it does not see the child's stores.
//
// One line per iteration (child=i: from before the fork to after the
// wait, parent and child) and then the whole run (no child= key), the
// sum.

#define USAGE "bothwrite [pages=4096] [pfrac=10] [cfrac=10] [overlap=0] [iters=1] [seed=0] [fresh=0]"
#include "user/user.h"
#include "experiments/exp.h"

#define ROUNDS 16

// One iteration: fork, take turns over pplan[0..np) (the parent) and
// cplan[0..nc) (the child), wait; *d receives the measurement. tag is
// the value the parent's stores start from. A function of its own so
// that its few values stay in registers (see fork_series in exp.h).
static void __attribute__((noinline))
turns(char *heap, char *mbox, int *pplan, int np, int *cplan, int nc,
      uint64 tag, struct delta *d)
{
  int p2c[2], c2p[2];
  struct meas m;

  if(pipe(p2c) < 0 || pipe(c2p) < 0)
    die("pipe failed");
  meas_start(&m);
  int pid = fork();
  if(pid < 0)
    die("fork failed: out of memory?");
  if(pid == 0){
    close(p2c[1]);
    close(c2p[0]);
    for(int r = 0; r < ROUNDS; r++){
      if(read(p2c[0], mbox, 1) != 1)
        exit(1);
      for(int i = (int64)r*nc/ROUNDS; i < (int64)(r+1)*nc/ROUNDS; i++)
        TOUCH(heap, cplan[i], 0xc0000000ULL + i);
      if(write(c2p[1], &okbyte, 1) != 1)
        exit(1);
    }
    CHILD_OK();
    exit(0);
  }
  close(p2c[0]);
  close(c2p[1]);
  for(int r = 0; r < ROUNDS; r++){
    for(int i = (int64)r*np/ROUNDS; i < (int64)(r+1)*np/ROUNDS; i++)
      TOUCH(heap, pplan[i], tag + i);
    if(write(p2c[1], &okbyte, 1) != 1 || read(c2p[0], mbox, 1) != 1)
      break;
  }
  if(wait(0) < 0)
    die("wait failed");
  meas_stop(&m, d, -1);
  close(p2c[1]);
  close(c2p[0]);
}

// The sets of an iteration: P = list[0, np); C = list[0, nov) (shared
// with P) + list[np, np+nc-nov), list the heap's pages in order if seed
// is 0, else a permutation drawn from seed. The permutation is freed
// only if sets are drawn again (fresh): kept, the heap has the place it
// had before fresh existed, and so the counts of earlier runs.
static void
plans(int pages, int seed, int fresh, int np, int nc, int nov, int *pplan, int *cplan)
{
  int *perm = permutation(pages, seed);
  if(seed == 0)
    for(int i = 0; i < pages; i++)
      perm[i] = i;
  for(int i = 0; i < np; i++)
    pplan[i] = perm[i];
  for(int i = 0; i < nc; i++)
    cplan[i] = i < nov ? perm[i] : perm[np + i - nov];
  plan_check(pplan, np, pages);
  plan_check(cplan, nc, pages);
  if(fresh)
    free(perm);
}

int
main(int argc, char *argv[])
{
  int pages, pfrac, cfrac, overlap, iters, seed, fresh, np, nc, nov;
  int *pplan, *cplan, *writes;
  uint64 *expect = 0;
  char *heap, *mbox;
  struct delta *d;
  char params[112];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  pfrac = argnum(argc, argv, 2, "pfrac", 0, 100, 10);
  cfrac = argnum(argc, argv, 3, "cfrac", 0, 100, 10);
  overlap = argnum(argc, argv, 4, "overlap", 0, 100, 0);
  iters = argnum(argc, argv, 5, "iters", 1, 500, 1);
  seed = argnum(argc, argv, 6, "seed", 0, 1000000000, 0);
  fresh = argnum(argc, argv, 7, "fresh", 0, 1, 0);
  argmax(argc, 7);
  if(fresh && seed == 0)
    die("fresh=1 needs a seed above 0 (seed=0 means the first pages of the heap)");
  getpolicyname();
  np = (int)((int64)pages * pfrac / 100);
  nc = (int)((int64)pages * cfrac / 100);
  nov = (int)((int64)nc * overlap / 100);
  if(nov > np)
    die("overlap% of the child's set is more than the parent's set");
  if(np + nc - nov > pages)
    die("the two sets do not fit: pfrac + cfrac*(100-overlap)/100 > 100");

  pplan = xmalloc((np + 1) * sizeof(int));
  cplan = xmalloc((nc + 1) * sizeof(int));
  plans(pages, seed, fresh, np, nc, nov, pplan, cplan);
  writes = xmalloc(iters * sizeof(int));
  d = xmalloc(iters * sizeof(*d));
  heap = heap_alloc(pages + 1);
  mbox = heap + (uint64)pages * PGSZ;
  heap_fill(heap, pages + 1);
  if(fresh){
    // What the parent last stored in each page (after the heap, so that
    // the heap's place is that of a run without fresh).
    expect = xmalloc(pages * sizeof(uint64));
    for(int i = 0; i < pages; i++)
      expect[i] = fillword(i, 0);
  }
  childpipe_open();

  for(int it = 0; it < iters; it++){
    uint64 tag = (uint64)(it + 1) << 32;
    if(fresh && it > 0)
      plans(pages, seed + it, fresh, np, nc, nov, pplan, cplan);
    writes[it] = np + nc + 2;
    turns(heap, mbox, pplan, np, cplan, nc, tag, &d[it]);

    // The parent sees its own last stores and none of the child's.
    for(int i = 0; i < np; i++)
      if(*(uint64*)(heap + (uint64)pplan[i]*PGSZ) != tag + i)
        die("the parent lost one of its own stores");
    for(int i = nov; i < nc; i++){
      int pg = cplan[i];
      if(*(uint64*)(heap + (uint64)pg*PGSZ) != (expect ? expect[pg] : fillword(pg, 0)))
        die("the parent sees a store of its child");
    }
    for(int i = 0; expect && i < np; i++)
      expect[pplan[i]] = tag + i;
  }

  childpipe_check(iters);
  snprintf(params, sizeof(params),
           " pfrac=%d cfrac=%d overlap=%d iters=%d seed=%d fresh=%d",
           pfrac, cfrac, overlap, iters, seed, fresh);
  result_children(pages, params, d, writes, iters);
  exit(0);
}
