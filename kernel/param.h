#ifndef PARAM_H
#define PARAM_H
#define NCPU          8     // maximum number of harts
#define NPROC       128     // maximum number of processes
#define NTHREAD     192     // maximum number of threads, all processes
#define NTHREADPROC  16     // maximum threads of one process
#define NOFILE       16     // open files per process
#define NFILE       200     // open files per system
#define NINODE     1024     // inodes (files, directories, devices) in the fs
#define NDEV         10     // maximum major device number
#define MAXARG       32     // max exec arguments
#define MAXPATH     128     // maximum file path name
#define NPLAN         4     // deferred fork copies a process holds (forkplan.c)
#define USERSTACK     4     // user stack pages (a guard page lies below)
#define KSTACKPAGES   1     // kernel stack pages per process
#define TICK_CYCLES 100000  // timer interval: 10 ms at QEMU's 10 MHz timebase
#define BOOTARGS    512     // longest kernel command line kept
#define MAXLINK     512     // most links to one inode; link and mkdir fail past it
#define POWEROFF_PANIC 3    // exit status of QEMU after a kernel panic; refused
                            // to poweroff() so that hosts can trust it
#endif
