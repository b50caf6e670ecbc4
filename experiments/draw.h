// Seeded draws shared by the workloads (through experiments/exp.h) and
// the host model of the policies (policies/test.c), so that a test can
// replay a workload's plan exactly. Include after uint64 is defined
// (kernel/types.h in the guest, policies/policy.h on the host).
#ifndef DRAW_H
#define DRAW_H

// xorshift64: a small seeded pseudo-random generator of our own.
static uint64
xorshift(uint64 *state)
{
  uint64 x = *state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *state = x;
  return x;
}

// experiments/walk.c's plan: from a page drawn at random, a cursor moves
// by a nonzero offset of at most step pages either way (mirrored back
// at the ends of [0, pages)), and plan[k] is the k-th page it visits
// first, until n are visited. seen: pages bytes, all zero.
static void
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
