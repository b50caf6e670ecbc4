// ownclock [n=1000000]: run a loop of exactly 2n instructions and print
// how many instructions it took by the hart's counter (raw) and by the
// thread's own clock (own: threadinstr, interrupts and time off the
// hart left out), as "ownclock n=N raw=R own=O". Under QEMU -icount on
// one hart a loop longer than a timer tick (TICK_CYCLES, 10 ms: 10
// million instructions) shows the ticks in raw and not in own;
// experiments/tests/ticks.sh checks it. Without -icount rdinstret
// counts host cycles, and the numbers mean nothing.
#include "user/user.h"
#include "kernel/syscall.h"

// Both readings and the loop in one asm statement, so that the
// compiler puts nothing of its own between them. The loop is an addi
// and a bnez per turn.
static void
spin(uint64 n, uint64 *raw, uint64 *own)
{
  uint64 r0, r1, o0, o1, k = n;
  asm volatile("li a7, %[ti]\n\tecall\n\tmv %[o0], a0\n\t"
               "rdinstret %[r0]\n"
               "1:\taddi %[k], %[k], -1\n\tbnez %[k], 1b\n\t"
               "rdinstret %[r1]\n\t"
               "li a7, %[ti]\n\tecall\n\tmv %[o1], a0"
               : [o0] "=&r" (o0), [o1] "=&r" (o1), [r0] "=&r" (r0),
                 [r1] "=&r" (r1), [k] "+r" (k)
               : [ti] "i" (SYS_threadinstr)
               : "a0", "a7", "memory");
  *raw = r1 - r0;
  *own = o1 - o0;
}

int
main(int argc, char *argv[])
{
  uint64 n = 1000000, raw, own;
  if(argc > 2 || (argc == 2 && (argv[1][0] < '1' || argv[1][0] > '9'))){
    fprintf(2, "usage: ownclock [n=1000000], n > 0\n");
    exit(1);
  }
  if(argc == 2)
    n = atoi(argv[1]);
  spin(n, &raw, &own);
  printf("ownclock n=%ld raw=%ld own=%ld\n", n, raw, own);
  exit(0);
}
