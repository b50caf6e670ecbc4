// Kernel printf and panic. Formats %d %u %x %p %s %c %% with an optional
// l (64-bit); each call is printed under one lock, so lines from several
// harts do not mix.
#include <stdarg.h>
#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "riscv.h"
#include "memlayout.h"
#include "defs.h"

volatile int panicked = 0;

static struct {
  struct spinlock lock;
  int locking;   // 0 while panicking, so that panic never blocks
} pr;

static const char digits[] = "0123456789abcdef";

static void
printint(uint64 x, int base, int sign)
{
  char buf[24];
  int i = 0, neg = 0;
  if(sign && (int64)x < 0){
    neg = 1;
    x = -(int64)x;
  }
  do {
    buf[i++] = digits[x % base];
    x /= base;
  } while(x != 0);
  if(neg)
    buf[i++] = '-';
  while(--i >= 0)
    uartputc_sync(buf[i]);
}

void
printf(const char *fmt, ...)
{
  va_list ap;
  int locking = pr.locking;
  if(locking)
    acquire(&pr.lock);
  va_start(ap, fmt);
  for(int i = 0; fmt[i]; i++){
    char c = fmt[i];
    if(c != '%'){
      uartputc_sync(c);
      continue;
    }
    c = fmt[++i];
    int lng = 0;
    if(c == 'l'){
      lng = 1;
      c = fmt[++i];
    }
    if(c == 0)
      break;
    switch(c){
    case 'd':
      printint(lng ? va_arg(ap, int64) : va_arg(ap, int), 10, 1);
      break;
    case 'u':
      printint(lng ? va_arg(ap, uint64) : va_arg(ap, uint), 10, 0);
      break;
    case 'x':
      printint(lng ? va_arg(ap, uint64) : va_arg(ap, uint), 16, 0);
      break;
    case 'p':
      uartputc_sync('0');
      uartputc_sync('x');
      printint(va_arg(ap, uint64), 16, 0);
      break;
    case 'c':
      uartputc_sync(va_arg(ap, int));
      break;
    case 's': {
      const char *s = va_arg(ap, const char*);
      for(s = s ? s : "(null)"; *s; s++)
        uartputc_sync(*s);
      break;
    }
    case '%':
      uartputc_sync('%');
      break;
    default:
      uartputc_sync('%');
      uartputc_sync(c);
    }
  }
  va_end(ap);
  if(locking)
    release(&pr.lock);
}

// A broken kernel invariant: print, then power off with POWEROFF_PANIC when
// running unattended (make run, tests, experiments), so the host sees the
// failure at once; spin otherwise, so that gdb can look.
void
panic(const char *s)
{
  pr.locking = 0;
  printf("panic: %s\n", s);
  if(bootcmd()[0])
    poweroff(POWEROFF_PANIC);
  panicked = 1;   // freeze output on the other harts
  for(;;)
    ;
}

void
printfinit(void)
{
  initlock(&pr.lock, "pr", LOCK_console);
  pr.locking = 1;
}
