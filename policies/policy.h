// The COW policy interface: the kernel's fork and COW-fault mechanism
// (kernel/cow.c) asks the chosen policy *which* pages to copy and *when*;
// the policy never touches page tables. A policy is a struct cow_policy
// in a file of its own plus one line in registry.c; it is chosen at boot
// with policy=NAME on the kernel command line.
//
// Policies are plain C using only what this header declares, so the same
// files compile into the kernel and into the host unit tests
// (policies/test.c), where the helpers below are simulated.
#ifndef POLICY_H
#define POLICY_H

#ifdef POLICY_HOST
#include <stdint.h>
typedef uint64_t uint64;
typedef uint32_t uint32;
typedef uint16_t uint16;
typedef uint8_t uint8;
#else
#include "kernel/types.h"
#endif

#define POLICY_PGSIZE 4096

struct cow_policy {
  const char *name;

  // Once at boot, after this policy was chosen and before the first
  // process exists. Reads parameters with policy_param().
  void (*init)(void);

  // At fork, before any page is looked at. *child receives the child's
  // per-process state (0 if the policy keeps none); parent is the
  // parent's state (0 for the first process). Returns 0, or -1 if out of
  // memory, which makes fork fail.
  int (*fork)(void *parent, void **child);

  // At fork, once for each page the parent may write (writable or COW),
  // in increasing va order. Returns 1 to copy the page for the child now,
  // 0 to share it copy-on-write. Read-only pages are always shared and
  // never asked about.
  int (*fork_copy)(void *parent, uint64 va);

  // At a store fault on a COW page at va (and at a kernel write into one,
  // copyout), before the kernel resolves it. Returns the number of pages
  // n >= 1 of the window to resolve in this fault and sets *start to its
  // first address: the kernel resolves va and every other page in
  // [*start, *start + n*PGSIZE) that is still COW; it ignores a window
  // that does not contain va. 1 with *start = va means "this page only".
  int (*fault)(void *state, uint64 va, uint64 *start);

  // A page that the kernel copied early on this policy's advice (at fork
  // or around a fault) is being unmapped from the process that owns
  // state: written is 1 if the process stored to it (PTE dirty bit),
  // 0 if the copy was wasted.
  void (*feedback)(void *state, uint64 va, int written);

  // The process owning *state replaced its program (exec); the old
  // image's pages are already unmapped. The policy may replace *state
  // (releasing the old one): what it learnt about the old program's
  // addresses says nothing about the new one's. May be 0.
  void (*exec)(void **state);

  // The process owning state exits (or its fork failed), after its
  // pages were unmapped. Releases state. May be 0.
  void (*exit)(void *state);
};

// The registry (registry.c): every policy, null-terminated.
extern struct cow_policy *cow_policies[];

// Helpers a policy may call, provided by the kernel (and by the host
// test harness).

// Returns the integer value of "name=N" on the kernel command line, or
// def if it is absent or malformed.
int policy_param(const char *name, int def);

// Returns one zeroed page of memory for policy state, or 0 if memory is
// out. Free it with policy_free().
void *policy_alloc(void);
void policy_free(void *page);

#endif
