// Read what the kernel needs from the flattened device tree that QEMU
// passes at boot: the RAM range (/memory), the number of harts
// (/cpus/cpu@N) and the command line (/chosen/bootargs).
// The tree lies in RAM that kinit() later frees, so fdt_read() copies
// everything out before that.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "defs.h"

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

struct bootinfo bootinfo;

static uint32
be32(void *p)
{
  uchar *b = p;
  return ((uint32)b[0] << 24) | ((uint32)b[1] << 16) | ((uint32)b[2] << 8) | b[3];
}

static uint64
be64(void *p)
{
  return ((uint64)be32(p) << 32) | be32((uchar*)p + 4);
}

static int
prefix(const char *s, const char *pre)
{
  return strncmp(s, pre, strlen(pre)) == 0;
}

// Walk the structure block once. The root's #address-cells and
// #size-cells are both 2 on QEMU virt, which /memory's reg relies on.
// Returns 0, or -1 if dtb is not a device tree.
int
fdt_read(uint64 dtb)
{
  uchar *h = (uchar*)dtb;
  if(dtb == 0 || be32(h) != FDT_MAGIC)
    return -1;
  uchar *p = h + be32(h + 8);
  char *strings = (char*)h + be32(h + 12);
  char *path[4] = { 0 };   // names of the nodes we are inside
  int depth = 0;

  for(;;){
    uint32 tok = be32(p);
    p += 4;
    if(tok == FDT_BEGIN_NODE){
      char *name = (char*)p;
      if(depth < 4)
        path[depth] = name;
      depth++;
      if(depth == 3 && prefix(path[1], "cpus") && prefix(name, "cpu@"))
        bootinfo.ncpu++;
      p = (uchar*)(((uint64)name + strlen(name) + 1 + 3) & ~3UL);
    } else if(tok == FDT_END_NODE){
      depth--;
    } else if(tok == FDT_PROP){
      uint32 len = be32(p);
      char *pname = strings + be32(p + 4);
      uchar *val = p + 8;
      if(depth == 2 && prefix(path[1], "memory") &&
         strncmp(pname, "reg", 4) == 0 && len >= 16 && bootinfo.ramsize == 0){
        bootinfo.rambase = be64(val);
        bootinfo.ramsize = be64(val + 8);
      }
      if(depth == 2 && strncmp(path[1], "chosen", 7) == 0 &&
         strncmp(pname, "bootargs", 9) == 0)
        safestrcpy(bootinfo.bootargs, (char*)val,
                   len < BOOTARGS ? len : BOOTARGS);
      p = val + ((len + 3) & ~3U);
    } else if(tok == FDT_NOP){
      continue;
    } else {
      break;   // FDT_END or garbage
    }
  }
  return 0;
}

// Returns the value of "key=value" in the command line, copied into buf,
// or 0 if the key is absent. Stops at the first " -- ".
char*
bootarg(const char *key, char *buf, int n)
{
  char *s = bootinfo.bootargs;
  int klen = strlen(key);
  while(*s){
    while(*s == ' ')
      s++;
    if(strncmp(s, "--", 2) == 0 && (s[2] == ' ' || s[2] == 0))
      return 0;
    char *w = s;
    while(*s && *s != ' ')
      s++;
    if(strncmp(w, key, klen) == 0 && w[klen] == '='){
      int len = s - (w + klen + 1);
      if(len >= n)
        len = n - 1;
      memmove(buf, w + klen + 1, len);
      buf[len] = 0;
      return buf;
    }
  }
  return 0;
}

// The command to run instead of an interactive shell: what follows " -- "
// on the command line, or "" if none.
char*
bootcmd(void)
{
  char *s = bootinfo.bootargs;
  for(; *s; s++){
    if((s == bootinfo.bootargs || s[-1] == ' ') && strncmp(s, "--", 2) == 0 &&
       (s[2] == ' ' || s[2] == 0))
      return s[2] ? s + 3 : s + 2;
  }
  return s;
}
