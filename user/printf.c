// Formatted output. A call formats into a local buffer and writes
// it with one write(), so that lines printed by concurrent
// processes do not interleave; only output longer than the buffer
// takes more than one write.

#include <stdarg.h>
#include "user/user.h"

#define OUTBUF 512

// Where formatted characters go: a buffer that is flushed to fd
// when full, or (fd < 0, for snprintf) a buffer that just stops
// accepting characters when full.
struct out {
  int fd;
  char *buf;
  int cap;    // bytes usable in buf
  int n;      // bytes in buf now
};

static char digits[] = "0123456789abcdef";

static void
flush(struct out *o)
{
  if(o->fd >= 0 && o->n > 0)
    write(o->fd, o->buf, o->n);
  o->n = 0;
}

static void
putc(struct out *o, char c)
{
  if(o->n == o->cap){
    if(o->fd < 0)
      return;
    flush(o);
  }
  o->buf[o->n++] = c;
}

// Emit s (len bytes), padded to width: on the left with pad
// (' ' or '0'), or on the right with spaces if left is set.
static void
putpad(struct out *o, const char *s, int len, int width, int left, char pad)
{
  int i;

  if(!left && pad == '0' && len > 0 && *s == '-'){
    // keep the sign in front of the zeros
    putc(o, '-');
    s++;
    len--;
    width--;
  }
  if(!left)
    for(i = len; i < width; i++)
      putc(o, pad);
  for(i = 0; i < len; i++)
    putc(o, s[i]);
  if(left)
    for(i = len; i < width; i++)
      putc(o, ' ');
}

// Convert x in the given base into the end of tmp[24] and return
// a pointer to the first digit.
static char*
utoa(char *tmp, uint64 x, int base, int neg)
{
  char *p;

  p = tmp + 24;
  *--p = 0;
  do {
    *--p = digits[x % base];
    x /= base;
  } while(x != 0);
  if(neg)
    *--p = '-';
  return p;
}

static void
vfmt(struct out *o, const char *fmt, va_list ap)
{
  char tmp[24], *s;
  int c, i, lng, width, left;
  char pad;
  int64 v;
  uint64 u;

  for(; (c = *fmt & 0xff) != 0; fmt++){
    if(c != '%'){
      putc(o, c);
      continue;
    }
    left = 0;
    pad = ' ';
    width = 0;
    lng = 0;
    c = *++fmt & 0xff;
    for(; c == '-' || c == '0'; c = *++fmt & 0xff){
      if(c == '-')
        left = 1;
      else
        pad = '0';
    }
    for(; c >= '0' && c <= '9'; c = *++fmt & 0xff)
      width = width*10 + c - '0';
    for(; c == 'l'; c = *++fmt & 0xff)
      lng = 1;
    switch(c){
    case 'd':
      v = lng ? va_arg(ap, int64) : va_arg(ap, int);
      u = v < 0 ? -(uint64)v : (uint64)v;
      s = utoa(tmp, u, 10, v < 0);
      break;
    case 'u':
    case 'x':
      u = lng ? va_arg(ap, uint64) : va_arg(ap, uint);
      s = utoa(tmp, u, c == 'u' ? 10 : 16, 0);
      break;
    case 'p':
      u = (uint64)va_arg(ap, void*);
      putc(o, '0');
      putc(o, 'x');
      s = utoa(tmp, u, 16, 0);
      for(i = strlen(s); i < 16; i++)
        putc(o, '0');
      break;
    case 's':
      s = va_arg(ap, char*);
      if(s == 0)
        s = "(null)";
      break;
    case 'c':
      tmp[0] = va_arg(ap, int);
      tmp[1] = 0;
      s = tmp;
      break;
    case '%':
      s = "%";
      break;
    case 0:
      // a lone '%' ends the format
      putc(o, '%');
      return;
    default:
      putc(o, '%');
      putc(o, c);
      continue;
    }
    if(c == 'c')
      putpad(o, s, 1, width, left, ' ');
    else
      putpad(o, s, strlen(s), width, left, c == 's' ? ' ' : pad);
  }
}

void
fprintf(int fd, const char *fmt, ...)
{
  char buf[OUTBUF];
  struct out o;
  va_list ap;

  o.fd = fd;
  o.buf = buf;
  o.cap = sizeof buf;
  o.n = 0;
  va_start(ap, fmt);
  vfmt(&o, fmt, ap);
  va_end(ap);
  flush(&o);
}

void
printf(const char *fmt, ...)
{
  char buf[OUTBUF];
  struct out o;
  va_list ap;

  o.fd = 1;
  o.buf = buf;
  o.cap = sizeof buf;
  o.n = 0;
  va_start(ap, fmt);
  vfmt(&o, fmt, ap);
  va_end(ap);
  flush(&o);
}

// Format into buf (n bytes in all), truncating if needed; buf is
// always NUL-terminated when n > 0. Returns the number of
// characters stored, not counting the NUL.
int
snprintf(char *buf, int n, const char *fmt, ...)
{
  struct out o;
  va_list ap;

  if(n <= 0)
    return 0;
  o.fd = -1;
  o.buf = buf;
  o.cap = n - 1;
  o.n = 0;
  va_start(ap, fmt);
  vfmt(&o, fmt, ap);
  va_end(ap);
  buf[o.n] = 0;
  return o.n;
}
