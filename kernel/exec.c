// exec: replace the current process's memory with an ELF64 program from
// the file system. Any problem with the file (not ELF, truncated,
// overlapping or absurd segments, out of memory) returns -1 and leaves
// the caller as it was.
#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "elf.h"

// Load filesz bytes at file offset off into the (already mapped) user
// pages at va. Returns 0 or -1 if the file is too short.
static int
loadseg(pagetable_t pt, uint64 va, struct inode *ip, uint64 off, uint64 filesz)
{
  for(uint64 i = 0; i < filesz; i += PGSIZE){
    pte_t *pte = walkuser(pt, va + i);
    if(pte == 0)
      panic("loadseg: not mapped");
    uint64 n = filesz - i < PGSIZE ? filesz - i : PGSIZE;
    if(readi(ip, 0, PTE2PA(*pte), off + i, n) != n)
      return -1;
  }
  return 0;
}

// Returns argc (the new a0), or -1.
int
kexec(char *path, char **argv)
{
  struct elfhdr elf;
  struct proghdr ph;
  struct inode *ip;
  pagetable_t pt = 0;
  // Page 0 stays unmapped, so that a null pointer faults in user code
  // and is refused by copyin/copyout: programs are linked at PGSIZE.
  uint64 sz = PGSIZE, ustack[MAXARG+1];
  struct proc *p = myproc();

  if((ip = namei(path)) == 0)
    return -1;
  ilock(ip);
  if(readi(ip, 0, (uint64)&elf, 0, sizeof(elf)) != sizeof(elf) ||
     elf.magic != ELF_MAGIC || elf.phentsize != sizeof(ph))
    goto bad;
  if((pt = proc_pagetable(p)) == 0)
    goto bad;

  for(int i = 0; i < elf.phnum; i++){
    uint64 off = elf.phoff + i*sizeof(ph);
    if(readi(ip, 0, (uint64)&ph, off, sizeof(ph)) != sizeof(ph))
      goto bad;
    if(ph.type != ELF_PROG_LOAD)
      continue;
    if(ph.memsz < ph.filesz || ph.vaddr + ph.memsz < ph.vaddr ||
       ph.vaddr % PGSIZE != 0 || ph.vaddr < sz || ph.off + ph.filesz < ph.off)
      goto bad;
    int perm = 0;
    if(ph.flags & ELF_PROG_FLAG_EXEC)
      perm |= PTE_X;
    if(ph.flags & ELF_PROG_FLAG_WRITE)
      perm |= PTE_W;
    uint64 sz1 = uvmalloc(pt, sz, ph.vaddr + ph.memsz, perm);
    if(sz1 == 0)
      goto bad;
    sz = sz1;
    if(loadseg(pt, ph.vaddr, ip, ph.off, ph.filesz) < 0)
      goto bad;
  }
  iunlockput(ip);
  ip = 0;

  // The stack: an unmapped guard page, then USERSTACK pages.
  sz = PGROUNDUP(sz) + PGSIZE;
  uint64 sz1 = uvmalloc(pt, sz, sz + USERSTACK*PGSIZE, PTE_W);
  if(sz1 == 0)
    goto bad;
  uint64 stackbase = sz;
  sz = sz1;
  uint64 sp = sz;

  // Argument strings, then the argv array, 16-byte aligned as the RISC-V
  // calling convention wants.
  uint64 argc;
  for(argc = 0; argv[argc]; argc++){
    if(argc >= MAXARG)
      goto bad;
    sp -= strlen(argv[argc]) + 1;
    sp -= sp % 16;
    if(sp < stackbase ||
       copyout(pt, sp, argv[argc], strlen(argv[argc]) + 1) < 0)
      goto bad;
    ustack[argc] = sp;
  }
  ustack[argc] = 0;
  sp -= (argc+1) * sizeof(uint64);
  sp -= sp % 16;
  if(sp < stackbase || copyout(pt, sp, ustack, (argc+1)*sizeof(uint64)) < 0)
    goto bad;

  char *last = path, *s;
  for(s = path; *s; s++)
    if(*s == '/')
      last = s + 1;
  safestrcpy(p->name, last, sizeof(p->name));

  pagetable_t oldpt = p->pagetable;
  uint64 oldsz = p->sz;
  p->pagetable = pt;
  p->sz = sz;
  p->heapbase = sz;
  p->trapframe->epc = elf.entry;
  p->trapframe->sp = sp;
  p->trapframe->a1 = sp;
  proc_freepagetable(oldpt, oldsz, p);
  policy_on_exec(p);
  return argc;   // lands in a0: main(argc, argv)

bad:
  if(pt)
    proc_freepagetable(pt, sz, 0);
  if(ip)
    iunlockput(ip);
  return -1;
}
