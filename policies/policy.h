// The COW policy interface. The kernel's copy-on-write mechanism
// (kernel/cow.c) knows how to share a page at fork, copy it or reuse it
// at a store fault, and account for it; the policy chosen at boot only
// answers *which* pages to copy and *when*. It never touches page
// tables. A policy is a struct cow_policy in a file of its own plus one
// line in registry.c, chosen with policy=NAME on the kernel command line.
//
// Policies are plain C using only what this header declares, so the same
// files compile into the kernel and into the host unit tests
// (policies/test.c), where the helpers at the end are simulated.
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
#include "kernel/bootparam.h"
#include "kernel/bits.h"

#define POLICY_PGSIZE 4096
#define POLICY_REGION_PAGES 512   // pages per fork question (2 MiB)
#define POLICY_REGION_SIZE ((uint64)POLICY_REGION_PAGES * POLICY_PGSIZE)
#define POLICY_MASK_WORDS (POLICY_REGION_PAGES / 64)
#define POLICY_NO_REGION (~(uint64)0)   // fork_next: no region left to ask

// Every process has this many bytes of private policy state, inside the
// process itself: zeroed when the process is created, so setting it up
// can never fail. A policy casts the pointer its hooks receive to its
// own struct (which must fit: see POLICY_STATE_FITS).
#define POLICY_STATE_BYTES 768
#define POLICY_STATE_FITS(type) \
  _Static_assert(sizeof(type) <= POLICY_STATE_BYTES, \
                 #type " does not fit in POLICY_STATE_BYTES")

// What on_fault is told of the faulting page's neighbours: how many of
// the pages just below va, and just above it, the process has written
// in a row (see policy_written_run), each counted up to NEAR_MAX.
#define NEAR_MAX          3
#define NEAR_BELOW(near)  ((near) & 3)
#define NEAR_ABOVE(near)  (((near) >> 2) & 3)
// Also in near: the process's previous COW fault copied nothing (no
// other process held its page any more: its children exited or exec'd)
// and, if it asked for a WINDOW_UNSHARED window, that window took over
// a page at least. Its pages are likely let go too: taking one over
// costs no copy.
#define NEAR_AFTER_REUSE  16

// Or'ed into on_fault's answer: resolve only the window's pages no
// other process holds (each taken over in place, no copy: some 25
// instructions a page, where a fault costs some 800 more), and leave
// the shared ones COW. A contiguous window (step 1) only.
#define WINDOW_UNSHARED   0x40000000

// How an early copy settles (on_settle).
#define SETTLE_WRITTEN 1   // the process stored to it; else it was wasted
#define SETTLE_FORK    2   // copied at fork; else around a fault
#define SETTLE_PARENT  4   // (with SETTLE_FORK) not the child's copy but
                           // the parent's page it was copied from
// A settle the policy need not be told of (quiet_settles): bit how.
#define SETTLE_QUIET(how) ((uint8)(1u << (how)))

// What fork_region answers for a region.
#define FORK_SHARE   0   // share every page of the region (copy none)
#define FORK_COPY    1   // copy every page the parent may write
#define FORK_SOME    2   // copy the pages whose bit is set in mask

// Hooks are called with `st`, the private state of the process concerned
// (never a null pointer). The kernel may call hooks of one lineage's
// processes on several harts at once: state shared between processes
// (a lineage's history) must be updated atomically; a process's own
// state is only touched by hooks about that process, one at a time.
// No hook may sleep; the kernel may hold a page-table lock around
// fork_region and on_fault (and only there).
struct cow_policy {
  // REQUIRED. The name of policy=NAME.
  const char *name;

  // REQUIRED. At fork, once for each 2 MiB region (one leaf page table,
  // POLICY_REGION_PAGES pages from base) in which the parent maps a page,
  // in increasing order. Answers FORK_SHARE, FORK_COPY, or FORK_SOME
  // with a bit set in mask (zeroed by the kernel; bit i of word i/64 is
  // the page at base + i*PGSIZE) for each page to copy now. Only pages
  // the parent may write are copied; read-only pages are always shared.
  // The answer is advice: a copy that finds no free page is shared.
  int (*fork_region)(void *parent, uint64 base, uint64 *mask);

  // OPTIONAL (NULL: every region is asked). At fork, after on_fork:
  // the base of the first region at or above base about which
  // fork_region might answer anything but FORK_SHARE (POLICY_NO_REGION:
  // none). The kernel shares the regions below it without asking, and
  // asks again after the region it returned. A policy whose history
  // covers a few regions of a large heap thus costs a few questions per
  // fork, not one per 2 MiB. Skipped regions get no fork_region call:
  // a policy that counts or marks something in every asked region must
  // only skip regions where that is nothing.
  uint64 (*fork_next)(void *parent, uint64 base);

  // OPTIONAL (NULL: never told). At fork, after on_fork and before the
  // first fork_next: does this fork want to be told which of the
  // parent's pages were written since they were last shared (by the
  // parent, or by a process sharing them, such as an earlier child)?
  // Telling costs the fork a pass over the parent's page tables; a
  // policy asks when it has no record of those writes (adaptive, at a
  // lineage's second fork).
  int (*fork_tell)(void *parent);

  // OPTIONAL (needed with fork_tell). If fork_tell said yes: once for
  // each region with such pages, in increasing order, before any
  // fork_next or fork_region: bit i of mask (as fork_region's) set for
  // each written page. A hint: a page another process shares may have
  // been written by a process outside the parent's lineage.
  void (*fork_written)(void *parent, uint64 base, const uint64 *mask);

  // OPTIONAL (NULL: no parameters). The boot parameters this policy
  // reads, ended by an entry with key 0 (bootparam.h). Their values are
  // in place before init runs; a bad one stops the boot.
  const struct bootparam *params;

  // OPTIONAL. Once at boot, after the parameters are set, before the
  // first process exists.
  void (*init)(void);

  // OPTIONAL (NULL: the child's state stays zeroed). At fork, before
  // fork_region: set up child (zeroed) from parent.
  void (*on_fork)(void *parent, void *child);

  // OPTIONAL (NULL: resolve the faulting page only). At a store fault on
  // a COW page at va, or a kernel write into one (copyout), before it is
  // resolved. near tells how many pages just below and just above va
  // the process has written (NEAR_BELOW(near), NEAR_ABOVE(near), up to
  // NEAR_MAX; see policy_written_run): read from the faulting page's own
  // leaf table, it costs the kernel little, and spares a policy that
  // looks for write streams a question at every random write. Returns
  // n >= 1 and sets *start (and, for a strided window, *step): the
  // kernel resolves va and each of the n pages *start + k * *step *
  // PGSIZE (0 <= k < n) that is still COW (advice: a neighbour that
  // finds no free page stays COW). *start is va and *step 1 when the
  // hook is called, a contiguous window [*start, *start + n*PGSIZE); a
  // step of s pages (s != 0, negative going down) follows a stride. A
  // window that does not hold va is ignored. With WINDOW_UNSHARED or'ed
  // into n, only the window's pages no other process holds are resolved
  // (near's NEAR_AFTER_REUSE suggests when).
  int (*on_fault)(void *st, uint64 va, int near, uint64 *start, int *step);

  // OPTIONAL (NULL: nothing learnt). A page the kernel copied early on
  // this policy's advice (at fork or around a fault) leaves the process:
  // it is unmapped, or shared again by a fork. how has SETTLE_WRITTEN
  // set if the process stored to it (PTE dirty bit; clear: the copy was
  // wasted), and SETTLE_FORK if the copy was made at fork (clear: around
  // a fault). A fork copy settles on both sides: in the child, and
  // (SETTLE_PARENT) in the parent, whose page started clean at the fork
  // and whose store to it means the child's copy spared it a fault; it
  // settles at the parent's next fork or when unmapped.
  void (*on_settle)(void *st, uint64 va, int how);

  // OPTIONAL (NULL: on_settle once per page). n early copies on the
  // consecutive pages from va on settle alike (how), as when a process
  // unmaps its memory: the same as on_settle for each of them, in
  // address order, for the price of one call.
  void (*on_settle_run)(void *st, uint64 va, int n, int how);

  // OPTIONAL (0: every settle is told). The settles the policy has
  // nothing to do with, SETTLE_QUIET(how) for each such how: the kernel
  // calls neither on_settle nor on_settle_run for them. A policy that
  // counts a fork copy used when it makes it learns nothing when a
  // child's written copy settles, and those are most of the settles of
  // a fork server whose children write what was predicted (every call
  // some 35 instructions, page by page where the predicted pages are
  // scattered).
  uint8 quiet_settles;

  // OPTIONAL. The process replaced its program (exec); the old image is
  // already unmapped. What was learnt about the old program's addresses
  // says nothing about the new one's.
  void (*on_exec)(void *st);

  // OPTIONAL. The process is gone (exit, or its fork failed), after its
  // pages were unmapped: release what st holds.
  void (*release)(void *st);
};

// The registry (registry.c): every policy, null-terminated.
extern struct cow_policy *cow_policies[];

// Returns the name of the first required hook p lacks, or 0 if none.
static inline const char*
policy_missing_hook(const struct cow_policy *p)
{
  if(p->name == 0 || p->name[0] == 0)
    return "name";
  if(p->fork_region == 0)
    return "fork_region";
  return 0;
}

// Helpers a policy may call, provided by the kernel (and by the host
// test harness).

// Returns n zeroed bytes (n <= 4096) for state shared between processes,
// or 0 if memory is out; free with policy_free().
void *policy_zalloc(uint64 n);
void policy_free(void *p);

// Within on_fault only (st is the faulting process's state): how many
// pages next to va, going in direction dir (1: up, -1: down; any other
// nonzero dir: pages dir apart, a stride), the process has written,
// counting pages from va + dir*PGSIZE on, until one is not, and at most
// max. A page counts as written if the process stored to
// it since it became its own (mapped writable, not shared, dirty bit
// set): an early copy counts only once it was written. This is the
// dirty bit that settles an early copy, read while the copy is still
// mapped, so that a policy can measure a write stream and judge its
// early copies during the process's life, not only when they leave it.
int policy_written_run(void *st, uint64 va, int dir, int max);

// Within on_fault, or within on_fork about the parent (st): how many
// of the n pages from va on (page aligned, within one 2 MiB region) the
// process has written, as policy_written_run counts a page written (a
// page a WINDOW_UNSHARED window took over counts once written after).
// A policy that resolves a block of pages around a fault counts them
// before and after, to judge what the block's early copies were worth;
// at fork, what its windows of let-go pages were worth.
int policy_written_count(void *st, uint64 va, int n);
// Within on_fault only: is the faulting page still held by another
// process, so that the fault will copy it (1), or did every other
// holder let it go (exit, exec, its own copy), so that the fault only
// takes it over, a trap and no copy (0)? A fork copy of a page spares
// a copy only where the first write finds it shared: a parent that
// writes its pages after its children are gone (a shell, between
// commands) gains nothing from copying them for the children.
int policy_fault_shared(void *st);

// Within on_fault only: the top of the process's memory (its user pages
// lie below it). A window reaching past it copies nothing there.
uint64 policy_memtop(void *st);

// Within on_fork only, about the child or the parent (st): do not call
// on_fault for the process's COW faults until it forks or execs (each
// resolves its own page, as if on_fault had answered 1; near is not
// read). For a process whose faults the policy has nothing to say
// about: the hook's call, near and its bookkeeping cost some 80
// instructions a fault. Its early copies still settle.
void policy_hush_faults(void *st);

// Within on_fault only, about the faulting process (st): do not call
// on_fault for its next n COW faults, nor past its next fork or exec
// (each resolves its own page, as if on_fault had answered 1; near is
// not read). For a process whose last faults the policy had nothing to
// say about, for a while: unlike a hush, it is asked again after them.
void policy_skip_faults(void *st, uint32 n);

#endif
