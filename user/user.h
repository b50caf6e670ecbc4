// The user-space interface: system calls and the user library.
// Programs written for xv6 compile unchanged against it.
#ifndef USER_H
#define USER_H
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/vmstat.h"

// system calls
int fork(void);
int exit(int) __attribute__((noreturn));
int wait(int*);
int pipe(int*);
int write(int, const void*, int);
int read(int, void*, int);
int close(int);
int kill(int);
int exec(const char*, char**);
int open(const char*, int);
int mknod(const char*, short, short);
int unlink(const char*);
int fstat(int fd, struct stat*);
int link(const char*, const char*);
int mkdir(const char*);
int chdir(const char*);
int dup(int);
int getpid(void);
char* sbrk(int);
int sleep(int);
int uptime(void);
int vmstat(int who, struct vmstat *st);
int poweroff(int status);   // returns only if status is refused: -1
int bootcmd(char *buf, int n);
int getpolicy(char *buf, int n);   // name of the COW policy booted
// Threads (kernel/thread.c): a new thread of the calling process starts
// at fn(arg) on the stack whose top is stacktop; returns its tid or -1.
// fn must end with thread_exit (returning faults). Use thread_spawn.
int thread_create(void (*fn)(void*), void *arg, void *stacktop);
int thread_join(int tid, int *status);   // 0, or -1: no such thread
void thread_exit(int status) __attribute__((noreturn));
int gettid(void);
struct lockcount;
int lockstat(int cmd, struct lockcount *out);   // kernel/lockstat.h
uint64 threadinstr(void);   // own instructions, ticks left out (one hart)
int kparam(const char *key);   // a boot parameter's value, or -1

// ulib.c
int stat(const char*, struct stat*);
char* strcpy(char*, const char*);
void *memmove(void*, const void*, int);
char* strchr(const char*, char c);
int strcmp(const char*, const char*);
int strncmp(const char*, const char*, uint);
char* gets(char*, int max);
uint strlen(const char*);
void* memset(void*, int, uint);
int atoi(const char*);
int memcmp(const void *, const void *, uint);
void *memcpy(void *, const void *, uint);

// printf.c: each call formats into a buffer and issues one write, so the
// lines of concurrent processes never interleave. %d %u %x %p %s %c %l[dux].
void fprintf(int, const char*, ...) __attribute__((format(printf, 2, 3)));
void printf(const char*, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char*, int, const char*, ...) __attribute__((format(printf, 3, 4)));

// umalloc.c
void* malloc(uint);
void free(void*);

// uthread.c: threads with library-made stacks
int thread_spawn(void (*fn)(void*), void *arg);   // tid or -1
int thread_wait(int tid, int *status);           // join, reuse its stack

// counters.c: instruction and cycle counters readable from user mode
uint64 rdinstret(void);
uint64 rdcycle(void);
#endif
