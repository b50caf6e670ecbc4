// The console: line-edited input from the UART, output to the UART.
// Editing: backspace erases a character, ^U the line, ^D ends the input
// (read returns what is there, or 0 at the start of a line), ^P lists the
// processes.
#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "fs.h"
#include "file.h"
#include "memlayout.h"
#include "riscv.h"
#include "defs.h"

#define BACKSPACE 0x100
#define C(x) ((x) - '@')   // control-x

#define INPUT_BUF 128

static struct {
  struct spinlock lock;
  char buf[INPUT_BUF];
  uint r;   // next byte read() returns
  uint w;   // end of the completed lines
  uint e;   // end of the line being edited
} cons;

// Echo one character; backspace rubs the previous one out.
static void
consputc(int c)
{
  if(c == BACKSPACE){
    uartputc_sync('\b');
    uartputc_sync(' ');
    uartputc_sync('\b');
  } else {
    uartputc_sync(c);
  }
}

// write() on the console: copy from src in chunks and send each chunk in
// one uartwrite. Returns the number of bytes written, or -1 if src is
// bad from the start.
static int
consolewrite(int user_src, uint64 src, int n)
{
  char buf[128];
  int done = 0;
  while(done < n){
    int m = n - done;
    if(m > sizeof(buf))
      m = sizeof(buf);
    if(either_copyin(buf, user_src, src + done, m) < 0){
      if(done == 0)
        return -1;   // a bad buffer is an error, not 0 bytes written
      break;
    }
    uartwrite(buf, m);
    done += m;
  }
  return done;
}

// read() on the console: wait for a whole line (or ^D) and copy up to n
// bytes of it. Returns the count, 0 at end of file, -1 if killed.
static int
consoleread(int user_dst, uint64 dst, int n)
{
  int target = n;
  acquire(&cons.lock);
  while(n > 0){
    while(cons.r == cons.w){
      if(killed(myproc())){
        release(&cons.lock);
        return -1;
      }
      sleep(&cons.r, &cons.lock);
    }
    int c = cons.buf[cons.r++ % INPUT_BUF];
    if(c == C('D')){
      // Keep the ^D for the next read if this one already has bytes, so
      // that the caller sees them first and then 0.
      if(n < target)
        cons.r--;
      break;
    }
    char cc = c;
    if(either_copyout(user_dst, dst, &cc, 1) < 0)
      break;
    dst++;
    n--;
    if(c == '\n')
      break;
  }
  release(&cons.lock);
  return target - n;
}

// Called by the UART interrupt for every input byte.
void
consoleintr(int c)
{
  acquire(&cons.lock);
  switch(c){
  case C('P'):
    release(&cons.lock);
    procdump();
    return;
  case C('U'):
    while(cons.e != cons.w && cons.buf[(cons.e-1) % INPUT_BUF] != '\n'){
      cons.e--;
      consputc(BACKSPACE);
    }
    break;
  case C('H'):
  case '\x7f':
    if(cons.e != cons.w){
      cons.e--;
      consputc(BACKSPACE);
    }
    break;
  default:
    if(c != 0 && cons.e - cons.r < INPUT_BUF){
      c = (c == '\r') ? '\n' : c;
      consputc(c);
      cons.buf[cons.e++ % INPUT_BUF] = c;
      if(c == '\n' || c == C('D') || cons.e - cons.r == INPUT_BUF){
        cons.w = cons.e;
        wakeup(&cons.r);
      }
    }
    break;
  }
  release(&cons.lock);
}

void
consoleinit(void)
{
  initlock(&cons.lock, "cons", LOCK_console);
  uartinit();
  devsw[CONSOLE].read = consoleread;
  devsw[CONSOLE].write = consolewrite;
}
