// The small C library every user program links with: the entry point,
// and the string, memory and file helpers that user.h declares.

#include "user/user.h"

// gcc turns byte loops into calls to memset and memcpy; inside those
// very functions that would be a call to themselves.
#define NOLIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

extern int main(int, char**);

// Where exec starts a program, with argc in a0 and argv in a1: a C
// function's first two arguments. Returning from main is exit.
void
_start(int argc, char **argv)
{
  exit(main(argc, argv));
}

// The status of the file named path, as fstat gives it. Returns 0, or
// -1 if it cannot be opened.
int
stat(const char *path, struct stat *st)
{
  int fd = open(path, O_RDONLY);
  int r = fd < 0 ? -1 : fstat(fd, st);

  if(fd >= 0)
    close(fd);
  return r;
}

uint
strlen(const char *s)
{
  const char *e = s;

  while(*e)
    e++;
  return e - s;
}

NOLIBCALL char*
strcpy(char *dst, const char *src)
{
  uint k = 0;

  do
    dst[k] = src[k];
  while(src[k++]);
  return dst;
}

int
strcmp(const char *a, const char *b)
{
  for(; *a && *a == *b; a++, b++)
    ;
  return (uchar)*a - (uchar)*b;
}

// Compare at most n bytes.
int
strncmp(const char *a, const char *b, uint n)
{
  for(uint k = 0; k < n; k++){
    if(a[k] != b[k] || a[k] == 0)
      return (uchar)a[k] - (uchar)b[k];
  }
  return 0;
}

// The first c in s, or 0 if there is none.
char*
strchr(const char *s, char c)
{
  for(;; s++){
    if(*s == c)
      return (char*)s;
    if(*s == 0)
      return 0;
  }
}

NOLIBCALL void*
memset(void *dst, int c, uint n)
{
  uchar *d = dst;

  for(uint k = 0; k < n; k++)
    d[k] = c;
  return dst;
}

int
memcmp(const void *a, const void *b, uint n)
{
  const uchar *x = a, *y = b;

  for(uint k = 0; k < n; k++){
    if(x[k] != y[k])
      return x[k] - y[k];
  }
  return 0;
}

// Copy n bytes; the two areas may overlap.
NOLIBCALL void*
memmove(void *dst, const void *src, int n)
{
  uchar *d = dst;
  const uchar *s = src;

  if(d <= s || d >= s + n){
    for(int k = 0; k < n; k++)
      d[k] = s[k];
  } else {
    for(int k = n - 1; k >= 0; k--)
      d[k] = s[k];
  }
  return dst;
}

// gcc emits calls to memcpy for structure copies.
void*
memcpy(void *dst, const void *src, uint n)
{
  return memmove(dst, src, n);
}

// Read one line from fd 0 into buf: at most max-1 bytes, up to and
// including a newline (or CR). buf ends with a NUL; at end of file it
// holds what there was, perhaps "".
char*
gets(char *buf, int max)
{
  int len = 0;
  char c = 0;

  while(len + 1 < max && c != '\n' && c != '\r' && read(0, &c, 1) == 1)
    buf[len++] = c;
  if(max > 0)
    buf[len] = 0;
  return buf;
}

// A decimal number with an optional '-', up to the first non-digit.
int
atoi(const char *s)
{
  int sign = 1, v = 0;

  if(*s == '-'){
    sign = -1;
    s++;
  }
  for(; *s >= '0' && *s <= '9'; s++)
    v = 10 * v + (*s - '0');
  return sign * v;
}
