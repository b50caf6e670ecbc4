// The small C library every user program links with: the entry
// point and the string and memory helpers declared in user.h.

#include "user/user.h"

extern int main(int, char**);

// Entry point: exec leaves argc in a0 and argv in a1, so a C
// function can take them as arguments. Returning from main is the
// same as calling exit with its value.
void
_start(int argc, char **argv)
{
  exit(main(argc, argv));
}

// Fill *st with the status of the file named n.
// Returns 0, or -1 if it cannot be opened.
int
stat(const char *n, struct stat *st)
{
  int fd, r;

  fd = open(n, O_RDONLY);
  if(fd < 0)
    return -1;
  r = fstat(fd, st);
  close(fd);
  return r;
}

char*
strcpy(char *d, const char *s)
{
  char *p;

  p = d;
  while((*p++ = *s++) != 0)
    ;
  return d;
}

int
strcmp(const char *p, const char *q)
{
  while(*p && *p == *q){
    p++;
    q++;
  }
  return (uchar)*p - (uchar)*q;
}

int
strncmp(const char *p, const char *q, uint n)
{
  for(; n > 0; n--, p++, q++){
    if(*p != *q || *p == 0)
      return (uchar)*p - (uchar)*q;
  }
  return 0;
}

uint
strlen(const char *s)
{
  uint n;

  for(n = 0; s[n]; n++)
    ;
  return n;
}

// The byte loops below go through volatile pointers so that gcc
// cannot "optimise" them into calls to memset/memcpy themselves.
void*
memset(void *dst, int c, uint n)
{
  volatile uchar *d;

  d = dst;
  while(n-- > 0)
    *d++ = c;
  return dst;
}

// Returns a pointer to the first c in s, or 0 if there is none.
char*
strchr(const char *s, char c)
{
  for(; *s; s++)
    if(*s == c)
      return (char*)s;
  return 0;
}

// Read a line of at most max-1 bytes from fd 0 into buf, keeping
// the newline. At end of file buf holds what was read (maybe "").
char*
gets(char *buf, int max)
{
  int i;
  char c;

  for(i = 0; i + 1 < max; ){
    if(read(0, &c, 1) < 1)
      break;
    buf[i++] = c;
    if(c == '\n' || c == '\r')
      break;
  }
  buf[i] = 0;
  return buf;
}

// Decimal string to int, with an optional leading '-'.
// Stops at the first non-digit.
int
atoi(const char *s)
{
  int n, neg;

  neg = 0;
  if(*s == '-'){
    neg = 1;
    s++;
  }
  n = 0;
  while(*s >= '0' && *s <= '9')
    n = n*10 + (*s++ - '0');
  return neg ? -n : n;
}

// Copy n bytes; the areas may overlap.
void*
memmove(void *dst, const void *src, int n)
{
  volatile uchar *d;
  const uchar *s;

  d = dst;
  s = src;
  if(s < (const uchar*)dst && s + n > (const uchar*)dst){
    d += n;
    s += n;
    while(n-- > 0)
      *--d = *--s;
  } else {
    while(n-- > 0)
      *d++ = *s++;
  }
  return dst;
}

int
memcmp(const void *a, const void *b, uint n)
{
  const uchar *p, *q;

  p = a;
  q = b;
  for(; n > 0; n--, p++, q++)
    if(*p != *q)
      return *p - *q;
  return 0;
}

// gcc may emit calls to memcpy for structure copies, so it must exist.
void*
memcpy(void *dst, const void *src, uint n)
{
  return memmove(dst, src, n);
}
