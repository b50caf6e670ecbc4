// Seeded draws shared by the workloads (through experiments/exp.h), the
// guest's policy tests (user/policytest.c) and the host model of the
// policies (policies/test.c), so that a test can replay a workload's
// plan exactly. Include after uint64, uint32 and memset are declared
// (kernel/types.h and user/user.h in the guest, policies/policy.h and
// string.h on the host).
#ifndef DRAW_H
#define DRAW_H

// Not every includer uses every draw.
#define DRAW_FN static __attribute__((unused))

// xorshift64: a small seeded pseudo-random generator of our own.
DRAW_FN uint64
xorshift(uint64 *state)
{
  uint64 x = *state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *state = x;
  return x;
}

// xorshift32 (shifts 13, 17, 5): the draws of the policy tests, the
// guest's (user/policytest.c) and the host model's (policies/test.c),
// so that a case written in both draws the same pages.
DRAW_FN uint32
xorshift32(uint32 *x)
{
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return *x;
}

// plan[0..n): n distinct pages of [0, npages), in the order drawn from
// x. used: npages bytes of scratch.
DRAW_FN void
distinct_draw(int *plan, int n, int npages, char *used, uint32 *x)
{
  memset(used, 0, npages);
  for(int k = 0; k < n; ){
    int i = xorshift32(x) % npages;
    if(!used[i]){
      used[i] = 1;
      plan[k++] = i;
    }
  }
}

// experiments/seqwrite.c's holes: over[k] is 1 for each of the n pages
// the scan passes over, each with probability skip% (none if skip is
// 0), drawn in the order the pages are visited.
DRAW_FN void
holes_draw(char *over, int n, int skip, int seed)
{
  uint64 st = (uint64)seed * 0x9e3779b97f4a7c15ULL + 1;
  for(int k = 0; k < n; k++)
    over[k] = skip > 0 && (int)(xorshift(&st) % 100) < skip;
}

// experiments/walk.c's plan: from a page drawn at random, a cursor moves
// by a nonzero offset of at most step pages either way (mirrored back
// at the ends of [0, pages)), and plan[k] is the k-th page it visits
// first, until n are visited. seen: pages bytes, all zero.
DRAW_FN void
walk_draw(int *plan, char *seen, int pages, int n, int step, int seed)
{
  uint64 st = (uint64)seed * 0x9e3779b97f4a7c15ULL + 1;
  int at = (int)(xorshift(&st) % (uint64)pages), k = 0;
  while(k < n){
    if(!seen[at]){
      seen[at] = 1;
      plan[k++] = at;
    }
    int off = 1 + (int)(xorshift(&st) % (uint64)step);
    if(xorshift(&st) & 1)
      off = -off;
    int to = at + off;
    if(to < 0 || to >= pages)
      to = at - off;
    if(to < 0 || to >= pages)
      to = at + (at == 0 ? 1 : -1);
    at = to;
  }
}

#endif
