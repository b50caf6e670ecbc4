// Boot in supervisor mode: hart 0 reads the device tree and sets up
// every subsystem, then all harts enter the scheduler.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "defs.h"
#include "forkplan.h"

extern uint64 boot_dtb;
extern char fsimage[], fsimage_end[];

static volatile int started = 0;

// Stop the machine through QEMU's test device: status 0 exits QEMU with
// 0, any other status n exits it with n.
void
poweroff(int status)
{
  volatile uint32 *test = (uint32*)VIRT_TEST;
  if(status == 0)
    *test = 0x5555;
  else
    *test = ((status & 0xffff) << 16) | 0x3333;
  for(;;)
    ;
}

void
main(void)
{
  if(cpuid() == 0){
    int fdt_ok = fdt_read(boot_dtb);
    consoleinit();
    printfinit();
    if(fdt_ok < 0 || bootinfo.ramsize == 0){
      printf("no device tree from the boot loader: assuming 128 MiB\n");
      bootinfo.rambase = KERNBASE;
      bootinfo.ramsize = 128L << 20;
    }
    if(bootinfo.ncpu == 0)
      bootinfo.ncpu = 1;
    if(bootinfo.ncpu > NCPU){
      // start() parks the harts past NCPU.
      printf("%d harts: only the first %d are used (NCPU)\n", bootinfo.ncpu, NCPU);
      bootinfo.ncpu = NCPU;
    }
    kinit(bootinfo.rambase, bootinfo.ramsize);
    kmallocinit();
    planinit();
    kvminit(bootinfo.rambase + bootinfo.ramsize);
    kvminithart();
    schedinit();
    procinit();
    trapinit();
    trapinithart();
    plicinit();
    plicinithart();
    fileinit();
    fsinit(fsimage, fsimage_end - fsimage);
    policy_select();
    userinit();
    printf("\nxv6-cow: %d harts, %lu MiB RAM, %lu free pages\n",
           bootinfo.ncpu, bootinfo.ramsize >> 20, kfreepages());
    printf("cow policy: %s\n", policy_name());
    __sync_synchronize();
    started = 1;
  } else {
    while(started == 0)
      ;
    __sync_synchronize();
    kvminithart();
    trapinithart();
    plicinithart();
  }
  scheduler();
}
