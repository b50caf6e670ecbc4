// The console device: output goes straight to the UART; input goes
// through a line discipline.
//
// Input has two stages. consoleintr(), called for each byte the UART
// receives, edits the line being typed in `line', echoing as it goes:
// backspace (or DEL) erases a byte, ^U the whole line, ^P lists the
// processes. Enter (CR or LF), ^D, or a line that fills the buffer
// commits the line: its bytes move to `ready', a ring that read() takes
// from. ^D stays in `ready' as an end-of-file mark: read() stops in
// front of it, and a read() that meets it first takes it and returns 0.
// So "abc^D" reads as "abc", then end of file.
//
// Invariants, under cons.lock: ready holds rhead - rtail bytes at
// ring[i % CONSBUF] for rtail <= i < rhead; linelen + rhead - rtail <=
// CONSBUF, so a committed line always fits. Readers sleep on &cons.rhead.
#include "types.h"
#include "defs.h"
#include "file.h"
#include "proc.h"

#define CONSBUF 128
#define CTRL(c) ((c) & 0x1f)
#define EOFMARK CTRL('D')

static struct {
  struct spinlock lock;
  char line[CONSBUF];   // the line being edited
  int linelen;
  char ring[CONSBUF];   // committed input
  uint64 rhead;         // bytes ever committed
  uint64 rtail;         // bytes ever read
} cons;

// Rub out the last character on the screen.
static void
erase(void)
{
  uartputc_sync('\b');
  uartputc_sync(' ');
  uartputc_sync('\b');
}

// Move the edited line into the ready ring and wake the readers.
// Caller holds cons.lock.
static void
commit(void)
{
  for(int k = 0; k < cons.linelen; k++)
    cons.ring[cons.rhead++ % CONSBUF] = cons.line[k];
  cons.linelen = 0;
  wakeup(&cons.rhead);
}

// One input byte from the UART (interrupt time).
void
consoleintr(int c)
{
  if(c == CTRL('P')){
    procdump();   // no lock: it must work when things are stuck
    return;
  }
  acquire(&cons.lock);
  switch(c){
  case 0:
    break;
  case CTRL('U'):
    for(; cons.linelen > 0; cons.linelen--)
      erase();
    break;
  case CTRL('H'):
  case 0x7f:
    if(cons.linelen > 0){
      cons.linelen--;
      erase();
    }
    break;
  default:
    if(cons.linelen + (cons.rhead - cons.rtail) >= CONSBUF)
      break;   // full: the byte is dropped
    if(c == '\r')
      c = '\n';
    if(c != EOFMARK)
      uartputc_sync(c);
    cons.line[cons.linelen++] = c;
    if(c == '\n' || c == EOFMARK ||
       cons.linelen + (cons.rhead - cons.rtail) == CONSBUF)
      commit();
  }
  release(&cons.lock);
}

// read() on the console: waits for a committed line, then copies up to
// n bytes of it, stopping after a newline or before an end-of-file mark.
// Returns the count, 0 at end of file, -1 if killed or dst is bad.
static int
consoleread(uint64 dst, int n)
{
  struct proc *p = myproc();
  int done = 0;

  if(n <= 0)
    return 0;
  acquire(&cons.lock);
  while(cons.rhead == cons.rtail){
    if(killed(p)){
      release(&cons.lock);
      return -1;
    }
    sleep_killable(&cons.rhead, &cons.lock);
  }
  if(cons.ring[cons.rtail % CONSBUF] == EOFMARK){
    cons.rtail++;
    release(&cons.lock);
    return 0;
  }
  // One contiguous span of the ring at a time, up to n bytes, the
  // ring's end, a newline (taken) or an end-of-file mark (left).
  while(done < n && cons.rtail != cons.rhead){
    uint64 at = cons.rtail % CONSBUF;
    uint64 max = cons.rhead - cons.rtail;
    if(max > CONSBUF - at)
      max = CONSBUF - at;
    if(max > n - done)
      max = n - done;
    int span = 0;
    char c = 0;
    while(span < max && (c = cons.ring[at + span]) != EOFMARK){
      span++;
      if(c == '\n')
        break;
    }
    if(span == 0)
      break;
    if(copyout(p->pagetable, dst + done, &cons.ring[at], span) < 0){
      if(done == 0)
        done = -1;
      break;
    }
    cons.rtail += span;
    done += span;
    if(c == '\n')
      break;
  }
  release(&cons.lock);
  return done;
}

// write() on the console: the bytes at src, in chunks; each chunk goes
// out in one uartwrite(), so concurrent writers do not interleave
// within it. Returns the count, or -1 if src is bad from the start.
static int
consolewrite(uint64 src, int n)
{
  pagetable_t pt = myproc()->pagetable;
  char chunk[128];
  int done = 0;

  while(done < n){
    int m = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
    if(copyin(pt, chunk, src + done, m) < 0)
      return done > 0 ? done : -1;
    uartwrite(chunk, m);
    done += m;
  }
  return done;
}

void
consoleinit(void)
{
  initlock(&cons.lock, "cons", LOCK_console);
  uartinit();
  devsw[CONSOLE].read = consoleread;
  devsw[CONSOLE].write = consolewrite;
}
