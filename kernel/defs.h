#ifndef DEFS_H
#define DEFS_H
#include "param.h"
// Functions and data shared between kernel files, grouped by the file
// that defines them.
struct context;
struct file;
struct inode;
struct pipe;
struct proc;
struct spinlock;
struct sleeplock;
struct stat;
struct vmstat;

// Physical page metadata (kalloc.c): one per page of RAM.
struct page {
  int ref;        // page tables and kernel users holding the page; atomic
  uchar early;    // copied before anyone wrote it (cow.c), not yet settled
};

// What the device tree said (fdt.c).
struct bootinfo {
  uint64 rambase;
  uint64 ramsize;
  int ncpu;
  char bootargs[BOOTARGS];
};

// console.c
void            consoleinit(void);
void            consoleintr(int);

// cow.c
void            cow_unmap(struct proc*, pte_t, uint64);
int             cow_fork(struct proc*, struct proc*);
int             cow_fault(struct proc*, uint64);

// kmalloc.c
void            kmallocinit(void);
void*           kmalloc(uint64);
void            kmfree(void*);
uint64          kmalloc_pages(void);

// options.c
extern const struct bootparam *const mech_params;

// policy.c
void            policy_select(void);
const char*     policy_name(void);
void            policy_on_exec(struct proc*);
void            policy_on_fork(struct proc*, struct proc*);
int             policy_fork_region(struct proc*, uint64, uint64*);
int             policy_on_fault(struct proc*, uint64, uint64*);
void            policy_on_settle(struct proc*, uint64, int);
void            policy_release(struct proc*);

// vmstat.c
void            vmstat_fold(struct proc*, struct proc*);
int             vmstat_get(struct proc*, int, struct vmstat*);

// exec.c
int             kexec(char*, char**);

// fdt.c
extern struct bootinfo bootinfo;
int             fdt_read(uint64);
char*           bootarg(const char*, char*, int);
char*           bootcmd(void);

// file.c
void            fileinit(void);
struct fileops;
struct file*    file_new(const struct fileops*, int readable, int writable);
struct file*    file_dup(struct file*);
void            file_put(struct file*);
int             file_read(struct file*, uint64 dst, int n);
int             file_write(struct file*, uint64 src, int n);
int             file_stat(struct file*, uint64 dst);

// fd.c
struct file*    fd_get(struct proc*, int fd);
int             fd_install(struct proc*, struct file*);
struct file*    fd_remove(struct proc*, int fd);
void            fd_copy(struct proc *parent, struct proc *child);
void            fd_release(struct proc*);
struct inode*   cwd_get(struct proc*);
void            cwd_set(struct proc*, struct inode*);

// fs.c
void            fsinit(char*, uint64);
struct inode*   ialloc(short type);
struct inode*   iget(uint inum);
struct inode*   idup(struct inode*);
void            ilock(struct inode*);
void            iunlock(struct inode*);
void            iput(struct inode*);
void            iunlockput(struct inode*);
void            itruncate(struct inode*);
char*           ipage(struct inode*, uint64 pn, int grow);
int             readi(struct inode*, int user_dst, uint64 dst, uint64 off, uint64 n);
int             writei(struct inode*, int user_src, uint64 src, uint64 off, uint64 n);
void            stati(struct inode*, struct stat*);

// dir.c
struct inode*   dir_lookup(struct inode *dp, const char *name, uint64 *pslot);
int             dir_add(struct inode *dp, const char *name, uint inum);
void            dir_clear(struct inode *dp, uint64 slot);
int             dir_isempty(struct inode *dp);
int             dir_mkempty(struct inode *ip, struct inode *parent);
struct inode*   namei(char *path);
struct inode*   nameiparent(char *path, char *name);

// kalloc.c
extern struct page *pages;
void*           kalloc(void);
void            kfree(void*);
void            kinit(uint64, uint64);
struct page*    pa2page(uint64);
void            page_ref(uint64);
int             page_refcount(uint64);
uint64          kfreepages(void);
uint64          ktotalpages(void);
int             is_ram(uint64);
int             page_early(uint64);

// main.c
void            poweroff(int) __attribute__((noreturn));

// pipe.c
int             pipe_new(struct file **rf, struct file **wf);

// plic.c
void            plicinit(void);
void            plicinithart(void);
int             plic_claim(void);
void            plic_complete(int);

// printf.c
void            printf(const char*, ...) __attribute__ ((format (printf, 1, 2)));
void            panic(const char*) __attribute__((noreturn));
void            printfinit(void);

// proc.c
int             cpuid(void);
void            exit(int) __attribute__((noreturn));
int             fork(void);
int             growproc(int);
void            proc_mapstacks(pagetable_t);
pagetable_t     proc_pagetable(struct proc*);
void            proc_freepagetable(pagetable_t, uint64, struct proc*);
int             kill(int);
int             killed(struct proc*);
void            setkilled(struct proc*);
struct cpu*     mycpu(void);
struct proc*    myproc(void);
void            procinit(void);
void            scheduler(void) __attribute__((noreturn));
void            sched(void);
void            sleep(void*, struct spinlock*);
void            userinit(void);
int             wait(uint64);
void            wakeup(void*);
void            yield(void);
void            forkret(void);
int             either_copyout(int user_dst, uint64 dst, void *src, uint64 len);
int             either_copyin(void *dst, int user_src, uint64 src, uint64 len);
void            procdump(void);

// swtch.S
void            swtch(struct context*, struct context*);

// spinlock.c
void            acquire(struct spinlock*);
int             holding(struct spinlock*);
void            initlock(struct spinlock*, char*);
void            release(struct spinlock*);
void            push_off(void);
void            pop_off(void);

// sleeplock.c
void            acquiresleep(struct sleeplock*);
void            releasesleep(struct sleeplock*);
int             holdingsleep(struct sleeplock*);
void            initsleeplock(struct sleeplock*, char*);

// string.c
int             memcmp(const void*, const void*, uint64);
void*           memmove(void*, const void*, uint64);
void*           memset(void*, int, uint64);
char*           safestrcpy(char*, const char*, int);
int             strlen(const char*);
int             strncmp(const char*, const char*, uint64);
char*           strncpy(char*, const char*, int);

// syscall.c
void            syscall(void);

// trap.c
extern uint     ticks;
extern struct spinlock tickslock;
void            trapinit(void);
void            trapinithart(void);
void            usertrapret(void);

// uart.c
void            uartinit(void);
void            uartintr(void);
void            uartputc_sync(int);
void            uartwrite(const char*, int);

// vm.c
void            kvminit(uint64);
void            kvminithart(void);
pagetable_t     leaf_table(pagetable_t, uint64, int);
pte_t*          walk(pagetable_t, uint64, int);
pte_t*          walkuser(pagetable_t, uint64);
int             mappages(pagetable_t, uint64, uint64, uint64, int);
pagetable_t     uvmcreate(void);
uint64          uvmalloc(pagetable_t, uint64, uint64, int);
uint64          uvmdealloc(pagetable_t, uint64, uint64, struct proc*);
void            uvmfree(pagetable_t, uint64, struct proc*);
void            uvmunmap(pagetable_t, uint64, uint64, struct proc*);
int             copyout(pagetable_t, uint64, const void*, uint64);
int             copyin(pagetable_t, void*, uint64, uint64);
int             copyinstr(pagetable_t, char*, uint64, uint64);

#define NELEM(x) (sizeof(x)/sizeof((x)[0]))
#endif
