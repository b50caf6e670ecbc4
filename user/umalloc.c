// malloc and free: a first-fit allocator over a list of free
// blocks kept in address order, so that free can merge a block
// with the free blocks right before and after it. Memory comes
// from sbrk and is never given back.

#include "user/user.h"

#define ALIGN    16          // payload alignment (the RISC-V ABI's)
#define MINGROW  (16*1024)   // smallest sbrk, to keep sbrk calls rare

// Header in front of every block, free or allocated. Its size is a
// multiple of ALIGN, so payloads stay aligned if blocks are.
struct blk {
  uint64 size;        // bytes in the block, header included
  struct blk *next;   // next free block by address (free blocks only)
};

static struct blk *freelist;

// Put b on the free list, merging it with adjacent free blocks.
static void
release(struct blk *b)
{
  struct blk *prev, *nx;

  prev = 0;
  for(nx = freelist; nx != 0 && nx < b; nx = nx->next)
    prev = nx;

  if(nx != 0 && (char*)b + b->size == (char*)nx){
    b->size += nx->size;
    b->next = nx->next;
  } else {
    b->next = nx;
  }

  if(prev == 0){
    freelist = b;
  } else if((char*)prev + prev->size == (char*)b){
    prev->size += b->size;
    prev->next = b->next;
  } else {
    prev->next = b;
  }
}

// Ask sbrk for at least need more bytes and free them into the
// list. Returns 0, or -1 if the kernel refuses.
static int
grow(uint64 need)
{
  uint64 brk, pad;
  char *p;
  struct blk *b;

  if(need < MINGROW)
    need = MINGROW;
  // the break can start unaligned (it follows the program's bss)
  brk = (uint64)sbrk(0);
  pad = (ALIGN - brk % ALIGN) % ALIGN;
  if(need + pad > 0x7fffffff)
    return -1;
  p = sbrk(need + pad);
  if(p == (char*)-1)
    return -1;
  b = (struct blk*)(p + pad);
  b->size = need;
  release(b);
  return 0;
}

// Returns 16-byte aligned memory for n bytes, or 0 if there is no
// memory left.
void*
malloc(uint n)
{
  struct blk *b, *prev, *rest;
  uint64 need;

  need = ((uint64)n + sizeof(struct blk) + ALIGN - 1) & ~(uint64)(ALIGN - 1);
  for(;;){
    prev = 0;
    for(b = freelist; b != 0; b = b->next){
      if(b->size >= need)
        break;
      prev = b;
    }
    if(b != 0)
      break;
    if(grow(need) < 0)
      return 0;
  }

  if(b->size - need >= sizeof(struct blk) + ALIGN){
    // split: hand out the front, leave the rest on the list
    rest = (struct blk*)((char*)b + need);
    rest->size = b->size - need;
    rest->next = b->next;
    b->size = need;
  } else {
    rest = b->next;
  }
  if(prev == 0)
    freelist = rest;
  else
    prev->next = rest;
  b->next = 0;
  return b + 1;
}

void
free(void *p)
{
  if(p == 0)
    return;
  release((struct blk*)p - 1);
}
