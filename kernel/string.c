// Byte-string helpers for the kernel. memset and memmove go a word at
// a time when they can, since whole pages pass through them (zeroing,
// COW copies).
#include "types.h"

#define WORD sizeof(uint64)
#define ALIGNED(p) (((uint64)(p) & (WORD - 1)) == 0)

void*
memset(void *dst, int c, uint64 n)
{
  uchar *d = dst;
  uint64 fill = 0x0101010101010101UL * (uchar)c;

  for(; n > 0 && !ALIGNED(d); n--)
    *d++ = c;
  for(; n >= WORD; n -= WORD, d += WORD)
    *(uint64*)d = fill;
  for(; n > 0; n--)
    *d++ = c;
  return dst;
}

int
memcmp(const void *a, const void *b, uint64 n)
{
  const uchar *x = a, *y = b;
  uint64 k = 0;

  while(k < n && x[k] == y[k])
    k++;
  return k == n ? 0 : x[k] - y[k];
}

// Copy n bytes from src to dst; the two may overlap.
void*
memmove(void *dst, const void *src, uint64 n)
{
  uchar *d = dst;
  const uchar *s = src;

  if(d > s && d < s + n){
    // dst overlaps the end of src: copy backwards, bytes only (rare).
    for(uint64 k = n; k > 0; k--)
      d[k-1] = s[k-1];
    return dst;
  }
  if(ALIGNED(d) && ALIGNED(s)){
    // forward words are safe even when dst overlaps src's start
    for(; n >= WORD; n -= WORD, d += WORD, s += WORD)
      *(uint64*)d = *(const uint64*)s;
  }
  for(uint64 k = 0; k < n; k++)
    d[k] = s[k];
  return dst;
}

// gcc emits calls to memcpy for structure assignments.
void*
memcpy(void *dst, const void *src, uint64 n)
{
  return memmove(dst, src, n);
}

int
strlen(const char *s)
{
  const char *e = s;

  while(*e)
    e++;
  return e - s;
}

// Compare at most n bytes of two strings.
int
strncmp(const char *a, const char *b, uint64 n)
{
  for(uint64 k = 0; k < n; k++){
    if(a[k] != b[k] || a[k] == 0)
      return (uchar)a[k] - (uchar)b[k];
  }
  return 0;
}

// Copy src into the n bytes at dst, padding with NULs; no NUL is added
// if src has n bytes or more.
char*
strncpy(char *dst, const char *src, int n)
{
  int k = 0;

  for(; k < n && src[k]; k++)
    dst[k] = src[k];
  for(; k < n; k++)
    dst[k] = 0;
  return dst;
}

// Copy src into the n bytes at dst, cut short if need be so that dst
// always ends with a NUL (n > 0).
char*
safestrcpy(char *dst, const char *src, int n)
{
  int k = 0;

  if(n <= 0)
    return dst;
  for(; k < n - 1 && src[k]; k++)
    dst[k] = src[k];
  dst[k] = 0;
  return dst;
}
