#ifndef BITS_H
#define BITS_H
// Bit tricks shared by the kernel (through riscv.h) and the policies,
// which also compile for the host (policies/policy.h): plain C, on the
// uint64 of either side's types.

// The index of the lowest set bit of w (w != 0). rv64gc has no
// count-trailing-zeros instruction (that is Zbb's), and GCC's
// __builtin_ctzll calls libgcc's, which scans bytes from the top: some
// 40 instructions for a low bit, the common case of fork's masks (a
// copied page's neighbour is often copied too). Halving from the bottom
// takes 2 when bit 0 is set, 17 at most.
static inline int
lowbit(uint64 w)
{
  if(w & 1)
    return 0;
  int n = 0;
  if((w & 0xffffffffUL) == 0){ n += 32; w >>= 32; }
  if((w & 0xffff) == 0){ n += 16; w >>= 16; }
  if((w & 0xff) == 0){ n += 8; w >>= 8; }
  if((w & 0xf) == 0){ n += 4; w >>= 4; }
  if((w & 3) == 0){ n += 2; w >>= 2; }
  return n + (int)((w & 1) ^ 1);
}

// The index of the highest set bit of w (w != 0), halving from the top
// (libgcc's __builtin_clzll, as its ctz, is a call).
static inline int
highbit(uint64 w)
{
  int n = 0;
  if(w >> 32){ n += 32; w >>= 32; }
  if(w >> 16){ n += 16; w >>= 16; }
  if(w >> 8){ n += 8; w >>= 8; }
  if(w >> 4){ n += 4; w >>= 4; }
  if(w >> 2){ n += 2; w >>= 2; }
  return n + (int)(w >> 1);
}

#endif
