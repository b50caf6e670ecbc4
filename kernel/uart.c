// NS16550 UART driver. Input arrives by interrupt (uartintr hands each
// byte to the console); output polls the transmit-holding register, which
// QEMU's model empties at once, so no transmit buffer is needed.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "defs.h"

#define REG(r) ((volatile uchar *)(UART0 + (r)))
#define RHR 0   // receive holding
#define THR 0   // transmit holding
#define IER 1   // interrupt enable
#define FCR 2   // FIFO control
#define LCR 3   // line control
#define LSR 5   // line status
#define LSR_RX_READY (1 << 0)
#define LSR_TX_IDLE  (1 << 5)

static struct spinlock uart_lock;
extern volatile int panicked;

void
uartinit(void)
{
  *REG(IER) = 0x00;
  *REG(LCR) = 0x80;         // divisor latch: 38.4K baud
  *REG(0) = 0x03;
  *REG(1) = 0x00;
  *REG(LCR) = 0x03;         // 8 bits, no parity, latch off
  // The FIFOs stay off. Enabling them resets them, which drops a byte
  // typed before boot (the only one the receiver holds then), and QEMU,
  // which hands the UART no more input until the guest reads the
  // receive register, then stalls all input typed ahead: with one hart
  // none of it arrived. Without a FIFO every byte is an interrupt, which
  // a console can afford; QEMU holds back input until the byte before
  // is read, so none is overrun.
  *REG(FCR) = 0x00;
  *REG(IER) = 0x01;         // receive interrupts
  initlock(&uart_lock, "uart", LOCK_console);
}

// Write one byte, waiting until the UART can take it. Usable from any
// context, including with interrupts off and from panic().
void
uartputc_sync(int c)
{
  push_off();
  if(panicked){
    for(;;)
      ;
  }
  while((*REG(LSR) & LSR_TX_IDLE) == 0)
    ;
  *REG(THR) = c;
  pop_off();
}

// Write n bytes as one unit, so that concurrent writers do not interleave
// inside a write.
void
uartwrite(const char *buf, int n)
{
  acquire(&uart_lock);
  for(int i = 0; i < n; i++){
    while((*REG(LSR) & LSR_TX_IDLE) == 0)
      ;
    *REG(THR) = buf[i];
  }
  release(&uart_lock);
}

// Returns the next input byte, or -1 if none.
static int
uartgetc(void)
{
  if(*REG(LSR) & LSR_RX_READY)
    return *REG(RHR);
  return -1;
}

// Interrupt: pass every waiting input byte to the console.
void
uartintr(void)
{
  int c;
  while((c = uartgetc()) >= 0)
    consoleintr(c);
}
