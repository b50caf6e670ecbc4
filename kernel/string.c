// Memory and string helpers for the kernel.
#include "types.h"

void*
memset(void *dst, int c, uint64 n)
{
  char *d = dst;
  if(((uint64)d % 8) == 0 && (n % 8) == 0){
    // Whole words: pages are zeroed often (kalloc users, exec).
    uint64 w = (uchar)c;
    w |= w << 8;
    w |= w << 16;
    w |= w << 32;
    for(uint64 i = 0; i < n / 8; i++)
      ((uint64*)d)[i] = w;
    return dst;
  }
  for(uint64 i = 0; i < n; i++)
    d[i] = c;
  return dst;
}

int
memcmp(const void *v1, const void *v2, uint64 n)
{
  const uchar *s1 = v1, *s2 = v2;
  for(uint64 i = 0; i < n; i++)
    if(s1[i] != s2[i])
      return s1[i] - s2[i];
  return 0;
}

// Copy n bytes; the areas may overlap. Word-at-a-time when both are
// aligned, since page copies (fork, COW faults) go through here.
void*
memmove(void *dst, const void *src, uint64 n)
{
  char *d = dst;
  const char *s = src;
  if(s < d && s + n > d){
    while(n-- > 0)
      d[n] = s[n];
    return dst;
  }
  if(((uint64)d % 8) == 0 && ((uint64)s % 8) == 0){
    for(; n >= 8; n -= 8, d += 8, s += 8)
      *(uint64*)d = *(const uint64*)s;
  }
  while(n-- > 0)
    *d++ = *s++;
  return dst;
}

// gcc may emit calls to memcpy for structure assignment.
void*
memcpy(void *dst, const void *src, uint64 n)
{
  return memmove(dst, src, n);
}

int
strncmp(const char *p, const char *q, uint64 n)
{
  while(n > 0 && *p && *p == *q)
    n--, p++, q++;
  if(n == 0)
    return 0;
  return (uchar)*p - (uchar)*q;
}

char*
strncpy(char *s, const char *t, int n)
{
  char *os = s;
  // Copy at most n bytes; pad with zeros up to exactly n.
  for(; n > 0 && *t; n--)
    *s++ = *t++;
  for(; n > 0; n--)
    *s++ = 0;
  return os;
}

// Like strncpy but always NUL-terminates (n > 0).
char*
safestrcpy(char *s, const char *t, int n)
{
  char *os = s;
  if(n <= 0)
    return os;
  while(--n > 0 && (*s++ = *t++) != 0)
    ;
  *s = 0;
  return os;
}

int
strlen(const char *s)
{
  int n;
  for(n = 0; s[n]; n++)
    ;
  return n;
}
