#ifndef DEFS_H
#define DEFS_H
#include "param.h"
// Functions and data shared between kernel files, grouped by the file
// that defines them.
struct context;
struct cpu;
struct file;
struct inode;
struct pipe;
struct proc;
struct ptguard;
struct thread;
struct lockcount;
struct spinlock;
struct sleeplock;
struct stat;
struct vmstat;

struct page;

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
int             cow_fork(struct proc*, struct proc*);
int             cow_fault(struct proc*, uint64);

// kmalloc.c
void            kmallocinit(void);
void*           kmalloc(uint64);
void            kmfree(void*);
uint64          kmalloc_pages(void);


// options.c
extern const struct bootparam *const mech_params;
extern int ptshare;
extern int ptlock_mode;
extern int kalloc_mode;
extern int heapoff;
#define KALLOC_GLOBAL 0
#define KALLOC_PERCPU 1

// ptlock.c
int             pt_write_lock(struct proc*);
void            pt_write_unlock(struct proc*, int);
void            pt_fault_begin(struct proc*, struct ptguard*);
void            pt_fault_end(struct ptguard*);
pte_t*          pt_fault_pte(struct ptguard*, uint64);

// ptshare.c
int             leaf_shared(pagetable_t);
pagetable_t     l1_leaf(pte_t);
pagetable_t     l1_resolve(struct proc*, pte_t*);
int             l1_fault(struct proc*, uint64);
pagetable_t     leaf_copy(pagetable_t);
pagetable_t     leaf_unshare(struct proc*, pte_t*);
void            leaf_put(pagetable_t);

// policy.c
void            policy_select(void);
const char*     policy_name(void);
int             policy_param_value(const char*);
void            policy_on_exec(struct proc*);
void            policy_on_fork(struct proc*, struct proc*);
int             policy_fork_region(struct proc*, uint64, uint64*);
uint64          policy_fork_next(struct proc*, uint64);
extern int      policy_tells;
extern int      policy_quiet;
int             policy_fork_tells(struct proc*);
void            policy_fork_written(struct proc*, uint64, const uint64*);
extern int      policy_faults;
extern int      (*policy_fault_hook)(void*, uint64, int, uint64*, int*);
int             policy_on_fault_locked(struct proc*, pte_t*, uint64, int, uint64*, int*);
void            policy_on_settle(struct proc*, uint64, int);
void            policy_on_settle_run(struct proc*, uint64, int, int);
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
void*           kalloc(void);
void            kfree(void*);
void            kinit(uint64, uint64);
struct page*    pa2page(uint64);
void            page_ref(uint64);
int             page_unref(uint64);
void            page_free(uint64);
int             page_refcount(uint64);
uint64          kfreepages(void);
int             kfree_above(uint64);
uint64          ktotalpages(void);
uint64          kallocfailures(void);
int             is_ram(uint64);

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
extern struct spinlock ptable_lock;
int             cpuid(void);
struct cpu*     mycpu(void);
struct thread*  mythread(void);
struct proc*    myproc(void);
void            procinit(void);
void            proc_mapstacks(pagetable_t);
pagetable_t     proc_pagetable(void);
void            proc_freepagetable(pagetable_t, uint64, struct proc*);
void            userinit(void);
int             growproc(struct proc*, int);
int             fork(void);
void            exit(int) __attribute__((noreturn));
int             wait(uint64);
int             kill(int);
int             killed(struct proc*);
void            setkilled(struct proc*);
void            procdump(void);

// sched.c
extern struct spinlock sched_lock;
void            schedinit(void);
void            scheduler(void) __attribute__((noreturn));
void            sched_start(struct thread*);
void            switch_out(void);
void            switch_out_dead(void) __attribute__((noreturn));
void            yield(void);
void            preempt(struct thread*, uint64);
uint64          intr_charge(struct proc*, uint64);
uint64          thread_instr(void);
void            sleep(void*, struct spinlock*);
void            sleep_killable(void*, struct spinlock*);
void            wakeup(void*);
void            wake_thread(struct thread*);

// thread.c
struct thread*  thread_alloc(struct proc*);
void            thread_free(struct thread*);
void            thread_start(void);
void            thread_die(struct thread*) __attribute__((noreturn));
int             stop_others(struct proc*, struct thread*);
void            reap_others(struct proc*, struct thread*);
int             thread_create(uint64, uint64, uint64);
void            thread_exit(int) __attribute__((noreturn));
int             thread_join(int, uint64);

// tlb.c
void            ipi_send(int);
void            tlb_poll(void);
void            spin_wait(void);
void            tlb_local(struct proc*);
void            tlb_local_page(struct proc*, uint64);
void            tlb_flush_page(struct proc*, uint64);
void            tlb_flush(struct proc*);

// swtch.S
void            swtch(struct context*, struct context*);

// spinlock.c
void            acquire(struct spinlock*);
int             holding(struct spinlock*);
void            initlock(struct spinlock*, char*, int);
void            lockstat_add(int, int, uint64);
void            lockstat_read(struct lockcount*, int);
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
pte_t*          l1_entry(pagetable_t, uint64, int);
pagetable_t     leaf_table(pagetable_t, uint64, int);
pte_t*          walk(pagetable_t, uint64, int);
pte_t*          walkuser(pagetable_t, uint64);
int             uvm_readable(struct proc*, uint64, uint64);
int             mappages(pagetable_t, uint64, uint64, uint64, int);
pagetable_t     uvmcreate(void);
uint64          uvmalloc(pagetable_t, uint64, uint64, int);
uint64          uvmdealloc(pagetable_t, uint64, uint64, struct proc*);
void            uvmfree(pagetable_t, uint64, struct proc*);
void            uvmunmap(pagetable_t, uint64, uint64, struct proc*);
int             copyout(pagetable_t, uint64, const void*, uint64);
int             copyin(pagetable_t, void*, uint64, uint64);
int             copyinstr(pagetable_t, char*, uint64, uint64);
int             either_copyout(int user_dst, uint64 dst, void *src, uint64 len);
int             either_copyin(void *dst, int user_src, uint64 src, uint64 len);

#define NELEM(x) (sizeof(x)/sizeof((x)[0]))
#endif
