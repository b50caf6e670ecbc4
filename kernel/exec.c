// exec: replace the calling process's program with an ELF64 file.
//
// The new image is built completely in a page table of its own while the
// old one stays untouched, so any problem with the file (not ELF,
// truncated, overlapping or absurd segments, out of memory) returns -1
// to a caller that is exactly as it was. Only then does exec end the
// process's other threads and swap the new image in.
//
// The image, from address 0 up: page 0 unmapped (so that a null pointer
// faults), the loadable segments in file order, an unmapped guard page,
// USERSTACK pages of stack; the program break starts above the stack.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "forkplan.h"
#include "elf.h"

struct image {
  pagetable_t pt;
  uint64 sz;       // bytes mapped from 0 (page 0 and the guard included)
  uint64 entry;    // first instruction
  uint64 sp;       // initial stack pointer: argv[] lies there
  uint64 argc;
};

// Copy n bytes at offset off of ip into the image at va, whose pages are
// mapped. Returns 0, or -1 if the file is too short.
static int
fill(struct image *im, uint64 va, struct inode *ip, uint64 off, uint64 n)
{
  while(n > 0){
    pte_t *pte = walkuser(im->pt, PGROUNDDOWN(va));
    if(pte == 0)
      return -1;
    uint64 in_page = va % PGSIZE;
    uint64 chunk = PGSIZE - in_page < n ? PGSIZE - in_page : n;
    if(readi(ip, 0, PTE2PA(*pte) + in_page, off, chunk) != chunk)
      return -1;
    va += chunk;
    off += chunk;
    n -= chunk;
  }
  return 0;
}

// Is ph a segment this kernel can load after what is mapped (sz)?
static int
segment_ok(struct proghdr *ph, uint64 sz)
{
  return ph->memsz >= ph->filesz &&
         ph->vaddr + ph->memsz >= ph->vaddr &&      // no wrap
         ph->vaddr + ph->memsz <= USERTOP &&
         ph->off + ph->filesz >= ph->off &&
         ph->vaddr % PGSIZE == 0 &&
         ph->vaddr >= sz;                           // in order, no overlap
}

// Map and fill the loadable segments of the ELF file at path. Returns 0
// or -1.
static int
load(struct image *im, char *path)
{
  struct elfhdr eh;
  struct inode *ip = namei(path);
  if(ip == 0)
    return -1;
  ilock(ip);
  int ok = readi(ip, 0, (uint64)&eh, 0, sizeof(eh)) == sizeof(eh) &&
           eh.magic == ELF_MAGIC && eh.phentsize == sizeof(struct proghdr);
  for(int i = 0; ok && i < eh.phnum; i++){
    struct proghdr ph;
    uint64 at = eh.phoff + (uint64)i * sizeof(ph);
    if(readi(ip, 0, (uint64)&ph, at, sizeof(ph)) != sizeof(ph)){
      ok = 0;
      break;
    }
    if(ph.type != ELF_PROG_LOAD)
      continue;
    int perm = (ph.flags & ELF_PROG_FLAG_EXEC ? PTE_X : 0) |
               (ph.flags & ELF_PROG_FLAG_WRITE ? PTE_W : 0);
    uint64 end = ph.vaddr + ph.memsz;
    if(!segment_ok(&ph, im->sz) || uvmalloc(im->pt, im->sz, end, perm) == 0){
      ok = 0;
      break;
    }
    im->sz = end;
    ok = fill(im, ph.vaddr, ip, ph.off, ph.filesz) == 0;
  }
  iunlockput(ip);
  im->entry = eh.entry;
  return ok ? 0 : -1;
}

// Map the guard page and the stack above the segments and put the
// argument strings and then argv[] on it, 16-byte aligned as the RISC-V
// calling convention wants. Returns 0 or -1.
static int
push_args(struct image *im, char **argv)
{
  uint64 bottom = PGROUNDUP(im->sz) + PGSIZE;   // above the guard
  uint64 top = bottom + USERSTACK * PGSIZE;
  if(uvmalloc(im->pt, bottom, top, PTE_W) == 0)
    return -1;
  im->sz = top;
  uint64 uargv[MAXARG + 1];
  uint64 sp = top;
  int n = 0;
  for(; argv[n]; n++){
    if(n >= MAXARG)
      return -1;
    uint64 len = strlen(argv[n]) + 1;
    sp = (sp - len) & ~15UL;
    if(sp < bottom || copyout(im->pt, sp, argv[n], len) < 0)
      return -1;
    uargv[n] = sp;
  }
  uargv[n] = 0;
  sp = (sp - (n + 1) * sizeof(uint64)) & ~15UL;
  if(sp < bottom || copyout(im->pt, sp, uargv, (n + 1) * sizeof(uint64)) < 0)
    return -1;
  im->sp = sp;
  im->argc = n;
  return 0;
}

// The last element of path: the name a program shows in ^P.
static char*
basename(char *path)
{
  char *name = path;
  for(char *s = path; *s; s++)
    if(*s == '/')
      name = s + 1;
  return name;
}

// Replace the calling process's program with the one at path, run with
// the NULL-terminated argv. Returns argc (main's first argument, left in
// a0), or -1 with the process unchanged.
int
kexec(char *path, char **argv)
{
  struct thread *t = mythread();
  struct proc *p = t->p;
  struct image im = { 0, PGSIZE, 0, 0, 0 };   // page 0 stays unmapped

  if((im.pt = proc_pagetable()) == 0)
    return -1;
  if(load(&im, path) < 0 || push_args(&im, argv) < 0)
    goto fail;
  // From here exec succeeds. It needs the process to itself: a sibling
  // already ending it or exec'ing wins, and this thread just ends.
  if(stop_others(p, t) < 0)
    goto fail;
  reap_others(p, t);
  if(mappages(im.pt, TRAPFRAME_VA(t->slot), PGSIZE, (uint64)t->tf,
              PTE_R | PTE_W) != 0)
    panic("exec: trapframe");   // the trampoline's leaf table holds it

  pagetable_t oldpt = p->pagetable;
  uint64 oldsz = p->sz;
  p->pagetable = im.pt;
  // heapoff (a boot option) moves where the heap starts: repetitions of
  // an experiment vary it, as real runs vary their heap's address. The
  // gap is left unmapped.
  p->sz = im.sz + (uint64)heapoff * PGSIZE;
  p->heapbase = p->sz;
  safestrcpy(p->name, basename(path), sizeof(p->name));
  t->tf->epc = im.entry;
  t->tf->sp = im.sp;
  t->tf->a1 = im.sp;   // argv
  plan_drop_all(p);   // they were for the old memory
  proc_freepagetable(oldpt, oldsz, p);
  p->ask_faults = policy_faults;   // a hush was for the old program
  p->skip_faults = 0;              // and so was a skip
  policy_on_exec(p);
  return im.argc;

fail:
  proc_freepagetable(im.pt, im.sz, 0);
  return -1;
}
