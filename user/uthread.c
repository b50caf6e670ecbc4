// thread_spawn and thread_wait: threads with stacks the library makes.
// thread_spawn starts fn(arg) in a new thread of the calling process on
// a stack taken with sbrk; the thread ends when fn returns (status 0) or
// calls thread_exit. thread_wait joins it and keeps its stack for the
// next spawn, so that a program spawning and waiting in a loop does not
// grow. Neither may be called by two threads at once.
#include "kernel/types.h"
#include "user/user.h"

#define STACKSIZE (4 * 4096)
#define NSTACK 16

// What a new thread needs, kept at the top of its own stack.
struct start {
  void (*fn)(void*);
  void *arg;
};

static char *stacks[NSTACK];   // stacks made so far
static int owner[NSTACK];      // tid of the thread on each, 0 if free

static void
entry(struct start *s)
{
  s->fn(s->arg);
  thread_exit(0);
}

int
thread_spawn(void (*fn)(void*), void *arg)
{
  int slot = -1;
  for(int i = 0; i < NSTACK && slot < 0; i++)
    if(stacks[i] && owner[i] == 0)
      slot = i;
  for(int i = 0; i < NSTACK && slot < 0; i++){
    if(stacks[i] == 0){
      char *s = sbrk(STACKSIZE);
      if(s == (char*)-1)
        return -1;
      stacks[i] = s;
      slot = i;
    }
  }
  if(slot < 0)
    return -1;
  struct start *s = (struct start*)(stacks[slot] + STACKSIZE - 16);
  s->fn = fn;
  s->arg = arg;
  int tid = thread_create((void (*)(void*))entry, s, s);
  if(tid > 0)
    owner[slot] = tid;
  return tid;
}

// Join thread tid (from thread_spawn) and free its stack for reuse.
// Returns 0, or -1 as thread_join does.
int
thread_wait(int tid, int *status)
{
  int r = thread_join(tid, status);
  for(int i = 0; i < NSTACK; i++)
    if(owner[i] == tid)
      owner[i] = 0;
  return r;
}
