// System call numbers: 1-21 are xv6's, the rest belong to this kernel.
#ifndef SYSCALL_H
#define SYSCALL_H
#define SYS_fork    1
#define SYS_exit    2
#define SYS_wait    3
#define SYS_pipe    4
#define SYS_read    5
#define SYS_kill    6
#define SYS_exec    7
#define SYS_fstat   8
#define SYS_chdir   9
#define SYS_dup    10
#define SYS_getpid 11
#define SYS_sbrk   12
#define SYS_sleep  13
#define SYS_uptime 14
#define SYS_open   15
#define SYS_write  16
#define SYS_mknod  17
#define SYS_unlink 18
#define SYS_link   19
#define SYS_mkdir  20
#define SYS_close  21
#define SYS_vmstat 22   // int vmstat(int who, struct vmstat *st)
#define SYS_poweroff 23 // int poweroff(int status): does not return
#define SYS_bootcmd 24  // int bootcmd(char *buf, int n): command after " -- "
#define SYS_getpolicy 25 // int getpolicy(char *buf, int n): the COW policy's name
#define SYS_thread_create 26 // int thread_create(void (*fn)(void*), void *arg, void *stacktop)
#define SYS_thread_join 27   // int thread_join(int tid, int *status)
#define SYS_thread_exit 28   // void thread_exit(int status)
#define SYS_gettid 29        // int gettid(void)
#define SYS_lockstat 30      // int lockstat(int cmd, struct lockcount *out)
#define SYS_kparam 31        // int kparam(const char *key): a boot parameter's value
#define SYS_threadinstr 32   // uint64 threadinstr(void): the thread's own instructions
#endif
