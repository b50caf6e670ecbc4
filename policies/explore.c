// Every policy of the registry on access patterns beyond the guest's
// workloads, in the host model of policies/test.c: the first child of a
// fresh lineage writes a pattern's pages once each, in the pattern's
// order, and each policy's cost is printed against cow's, with its
// faults and the pages it copied (at fork or around a fault) that were
// never written. A
// pattern takes milliseconds, so a policy (a new one appears here as
// soon as it is in the registry) can be tried on many shapes before
// anything boots. The model counts pages and faults, not the price of a
// policy's own code: the guest's instruction counts stay the measure
// (experiments/, experiments/profile).
//
//   build/policytest-host explore                 the battery below
//   build/policytest-host explore PATTERN ARGS... one pattern
//   build/policytest-host explore help            the patterns
//   make explore [EXPLORE='PATTERN ARGS...']
//
// Cost, in copies: every page written is copied once (at fork, at its
// fault or around another's), every page copied and never written is a
// copy wasted, and every fault adds a trap (at adaptive_trapcost's
// default, percent of a copy: forkbench's measure, see
// policies/README.md); cow pays a copy and a trap a write.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"
#include "model.h"
#include "experiments/draw.h"

#define MAXPAGES 8192

static int plan[MAXPAGES];
static char scratch[MAXPAGES];

// A pattern: its name, the arguments it takes (for the usage), how many
// it needs and how many it takes at most, and how it draws its plan over
// npages pages (returns the number of writes, or -1 if an argument is
// out of range).
struct pattern {
  const char *name, *args, *what;
  int nargs, maxargs;
  int (*draw)(const int *a, int nargs, int *npages);
};

static int
arg_ok(int v, int lo, int hi)
{
  return v >= lo && v <= hi;
}

// scan PAGES FRAC SKIP SEED [BACK]: the first FRAC% of PAGES pages in
// order (downwards if BACK), each passed over with probability SKIP%
// (experiments/seqwrite.c with skip=; its holes_draw).
static int
d_scan(const int *a, int na, int *np)
{
  int pages = a[0], frac = a[1], skip = a[2], back = na > 4 && a[4];
  if(!arg_ok(pages, 1, MAXPAGES) || !arg_ok(frac, 1, 100) || !arg_ok(skip, 0, 99))
    return -1;
  int len = pages * frac / 100, n = 0;
  holes_draw(scratch, len, skip, a[3]);
  for(int k = 0; k < len; k++)
    if(!scratch[k])
      plan[n++] = back ? pages - 1 - k : k;
  *np = pages;
  return n;
}

// kofm K M [BACK]: K of every M pages of 4,096, in order (records whose
// last M-K pages are left alone).
static int
d_kofm(const int *a, int na, int *np)
{
  int k = a[0], m = a[1], back = na > 2 && a[2], n = 0;
  if(!arg_ok(m, 1, 4096) || !arg_ok(k, 1, m))
    return -1;
  for(int i = 0; i < 4096; i++)
    if(i % m < k)
      plan[n++] = back ? 4095 - i : i;
  *np = 4096;
  return n;
}

// clusters LO HI SEED: a quarter of 4,096 pages in runs of LO..HI pages
// at random places, apart, each written upwards, the runs in the order
// drawn (the shape of experiments/clusters.c, not its draw).
static int
d_clusters(const int *a, int na, int *np)
{
  int lo = a[0], hi = a[1], n = 0;
  if(!arg_ok(lo, 1, 1024) || !arg_ok(hi, lo, 1024))
    return -1;
  uint64 st = (uint64)a[2] * 0x9e3779b97f4a7c15ULL + 1;
  memset(scratch, 0, 4096);
  for(int want = 1024, tries = 0; n < want && tries < 100000; tries++){
    int l = lo + (int)(xorshift(&st) % (uint64)(hi - lo + 1));
    if(l > want - n)
      l = want - n;
    int at = 1 + (int)(xorshift(&st) % (uint64)(4096 - l - 1));
    if(!run_place(scratch, at, l))
      continue;
    for(int i = 0; i < l; i++)
      plan[n++] = at + i;
  }
  *np = 4096;
  return n;
}

// walk PAGES FRAC STEP SEED: experiments/walk.c's plan (walk_draw).
static int
d_walk(const int *a, int na, int *np)
{
  int pages = a[0], frac = a[1], step = a[2];
  if(!arg_ok(pages, 2, MAXPAGES) || !arg_ok(frac, 1, 100) || !arg_ok(step, 1, pages - 1))
    return -1;
  int n = pages * frac / 100;
  memset(scratch, 0, pages);
  walk_draw(plan, scratch, pages, n, step, a[3]);
  *np = pages;
  return n;
}

// stride S PASSES: pass p writes pages p, p+S, p+2S, ... of 4,096 (a
// table written column by column; experiments/stride.c).
static int
d_stride(const int *a, int na, int *np)
{
  int s = a[0], passes = a[1], n = 0;
  if(!arg_ok(s, 2, 2048) || !arg_ok(passes, 1, s))
    return -1;
  for(int p = 0; p < passes; p++)
    for(int i = p; i < 4096; i += s)
      plan[n++] = i;
  *np = 4096;
  return n;
}

// random FRAC SEED: FRAC% of 4,096 pages at random.
static int
d_random(const int *a, int na, int *np)
{
  if(!arg_ok(a[0], 1, 100))
    return -1;
  uint32 x = (uint32)a[1] * 2654435761u + 1;
  int n = 4096 * a[0] / 100;
  distinct_draw(plan, n, 4096, scratch, &x);
  *np = 4096;
  return n;
}

// logrand R: a log appended a page at a time above a table of 3,072
// pages, R random updates of the table between two appends, until half
// of the table is written (a database's log and its pages).
static int
d_logrand(const int *a, int na, int *np)
{
  int r = a[0], n = 0, updates = 0;
  if(!arg_ok(r, 1, 64))
    return -1;
  uint32 x = 4242 + r;
  memset(scratch, 0, 3072);
  for(int log = 3072; log < 4096; log++){
    plan[n++] = log;
    for(int k = 0; k < r && updates < 3072 / 2; k++, updates++){
      int q;
      do
        q = xorshift32(&x) % 3072;
      while(scratch[q]);
      scratch[q] = 1;
      plan[n++] = q;
    }
  }
  *np = 4096;
  return n;
}

// speeds K: K streams over 4,096 pages, each its own share, taking
// turns; stream j writes 1 + j % 4 pages a turn (producers at
// different rates).
static int
d_speeds(const int *a, int na, int *np)
{
  int k = a[0], n = 0, pos[64];
  if(!arg_ok(k, 1, 64))
    return -1;
  int len = 4096 / k;
  for(int j = 0; j < k; j++)
    pos[j] = j * len;
  for(int moved = 1; moved; ){
    moved = 0;
    for(int j = 0; j < k; j++)
      for(int t = 0; t <= j % 4 && pos[j] < (j + 1) * len; t++, moved = 1)
        plan[n++] = pos[j]++;
  }
  *np = 4096;
  return n;
}

// chunks LEN: every other run of LEN pages of 4,096, the runs from the
// top down, each written upwards (a stack of records pushed downwards).
static int
d_chunks(const int *a, int na, int *np)
{
  int len = a[0], n = 0;
  if(!arg_ok(len, 1, 2048))
    return -1;
  for(int b = 4096 / len - 1; b >= 0; b -= 2)
    for(int i = 0; i < len; i++)
      plan[n++] = b * len + i;
  *np = 4096;
  return n;
}

// tile T [COLS]: a T x T tile of a matrix 64 pages wide (at row 5,
// column 7), row by row, or column by column if COLS.
static int
d_tile(const int *a, int na, int *np)
{
  int t = a[0], cols = na > 1 && a[1], n = 0;
  if(!arg_ok(t, 1, 48))
    return -1;
  for(int u = 0; u < t; u++)
    for(int v = 0; v < t; v++)
      plan[n++] = cols ? (v + 5) * 64 + u + 7 : (u + 5) * 64 + v + 7;
  *np = 4096;
  return n;
}

static const struct pattern patterns[] = {
  { "scan", "PAGES FRAC SKIP SEED [BACK]", "a scan with holes", 4, 5, d_scan },
  { "kofm", "K M [BACK]", "K of every M pages", 2, 3, d_kofm },
  { "clusters", "LO HI SEED", "runs of LO..HI pages at random", 3, 3, d_clusters },
  { "walk", "PAGES FRAC STEP SEED", "a cursor wandering", 4, 4, d_walk },
  { "stride", "S PASSES", "a table column by column", 2, 2, d_stride },
  { "random", "FRAC SEED", "pages at random", 2, 2, d_random },
  { "logrand", "R", "a log between R random updates", 1, 1, d_logrand },
  { "speeds", "K", "K streams at different rates", 1, 1, d_speeds },
  { "chunks", "LEN", "runs pushed downwards", 1, 1, d_chunks },
  { "tile", "T [COLS]", "a tile of a matrix", 1, 2, d_tile },
};
#define NPATTERNS (int)(sizeof(patterns) / sizeof(patterns[0]))

// The battery: a few of each, the shapes policies/README.md's rules
// were measured on.
static const char *battery[] = {
  "scan 4096 100 0 1", "scan 4096 100 5 1", "scan 4096 100 10 1",
  "scan 4096 100 15 1", "scan 4096 100 25 1", "scan 4096 100 10 1 1",
  "kofm 3 4", "kofm 4 5", "kofm 5 6", "kofm 4 8", "kofm 6 8", "kofm 12 16",
  "clusters 4 4 1", "clusters 8 8 1", "clusters 16 16 1", "clusters 4 16 1",
  "clusters 1 8 2", "clusters 1 32 3",
  "walk 4096 25 3 1", "walk 4096 10 8 2", "walk 8192 5 12 9",
  "stride 8 1", "stride 8 8", "stride 32 32", "stride 64 16",
  "random 10 1", "random 50 1", "random 100 1",
  "logrand 2", "logrand 8", "speeds 4", "speeds 32",
  "chunks 4", "chunks 8", "tile 16", "tile 16 1", "tile 32 1",
};

static void
usage(void)
{
  fprintf(stderr, "usage: make explore [EXPLORE='PATTERN ARGS...']"
          " (policytest-host explore [PATTERN ARGS...])\npatterns:\n");
  for(int i = 0; i < NPATTERNS; i++)
    fprintf(stderr, "  %-8s %-28s %s\n", patterns[i].name, patterns[i].args,
            patterns[i].what);
}

// The plan of the pattern argv[0] with the arguments argv[1..argc):
// returns its writes (its pages in *npages), or -1 with a message if
// the words name no pattern, or arguments out of range or too few or
// too many.
static int
pattern_plan(int argc, char **argv, int *npages)
{
  const struct pattern *pt = 0;
  int a[8] = { 0 }, na = argc - 1;
  for(int i = 0; i < NPATTERNS; i++)
    if(strcmp(argv[0], patterns[i].name) == 0)
      pt = &patterns[i];
  if(pt == 0){
    fprintf(stderr, "explore: no pattern '%s'\n", argv[0]);
    usage();
    return -1;
  }
  for(int i = 0; i < na; i++){
    char *end;
    long v = strtol(argv[i + 1], &end, 10);
    if(i >= 8 || *argv[i + 1] == 0 || *end || v < 0 || v > 1000000000){
      fprintf(stderr, "explore: %s: bad argument '%s'\n", pt->name, argv[i + 1]);
      return -1;
    }
    a[i] = (int)v;
  }
  int n = na < pt->nargs || na > pt->maxargs ? -1 : pt->draw(a, na, npages);
  if(n <= 0){
    fprintf(stderr, "explore: %s wants %s (in range)\n", pt->name, pt->args);
    return -1;
  }
  return n;
}

// The cost of outcome o of n writes, against cow's (the header's).
static double
cost(struct outcome o, int n)
{
  double trap = adaptive_trapcost_default();
  return (o.faults * trap + (n + o.wasted) * 100.0) / (n * (100 + trap));
}

double
explore_cost(const char *policy, int argc, char **argv)
{
  int npages, n = pattern_plan(argc, argv, &npages);
  return n < 0 ? -1 : cost(one_child(policy, 0, npages, plan, n), n);
}

// One pattern, from its words: a line with each policy's cost against
// cow's and, in parentheses, its faults and pages wasted. Returns 0, or
// -1 if pattern_plan refused the words.
static int
explore_one(int argc, char **argv)
{
  int npages, n = pattern_plan(argc, argv, &npages);
  if(n < 0)
    return -1;
  char label[64] = "";
  for(int i = 0; i < argc; i++)
    snprintf(label + strlen(label), sizeof(label) - strlen(label), "%s%s",
             i ? " " : "", argv[i]);
  printf("%-22s %5d writes:", label, n);
  for(struct cow_policy **p = cow_policies; *p; p++){
    struct outcome o = one_child((*p)->name, 0, npages, plan, n);
    printf(" %s %.3f (%d/%d)", (*p)->name, cost(o, n), o.faults, o.wasted);
  }
  printf("\n");
  return 0;
}

int
explore(int argc, char **argv)
{
  if(argc > 0 && strcmp(argv[0], "help") == 0){
    usage();
    return 0;
  }
  if(argc > 0)
    return explore_one(argc, argv) < 0 ? 2 : 0;
  printf("cost against cow's (faults/pages copied and never written),"
         " host model, trap %d%% of a copy\n", adaptive_trapcost_default());
  for(int i = 0; i < (int)(sizeof(battery) / sizeof(battery[0])); i++){
    char line[64], *w[8];
    int nw = 0;
    snprintf(line, sizeof(line), "%s", battery[i]);
    for(char *t = strtok(line, " "); t && nw < 8; t = strtok(0, " "))
      w[nw++] = t;
    if(explore_one(nw, w) < 0)
      return 2;
  }
  return 0;
}
