// Host tool: pack files into the program image that the kernel links in
// and loads into "/" at boot (format in kernel/fs.h).
//   mkimage OUT FILE...   (each file is stored under its base name)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

typedef unsigned int uint;
typedef unsigned short ushort;
typedef uint64_t uint64;
#define PGSIZE 4096
#include "kernel/fs.h"

int
main(int argc, char **argv)
{
  if(argc < 2){
    fprintf(stderr, "usage: mkimage out.img file...\n");
    return 1;
  }
  int n = argc - 2;
  struct imghdr h = { IMG_MAGIC, n };
  struct imgent *ents = calloc(n ? n : 1, sizeof(*ents));
  char **data = calloc(n ? n : 1, sizeof(*data));
  uint off = sizeof(h) + n * sizeof(*ents);

  for(int i = 0; i < n; i++){
    const char *path = argv[i+2];
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if(strlen(base) > DIRSIZ){
      fprintf(stderr, "mkimage: name longer than %d: %s\n", DIRSIZ, base);
      return 1;
    }
    for(int j = 0; j < i; j++)
      if(strncmp(ents[j].name, base, DIRSIZ) == 0){
        fprintf(stderr, "mkimage: duplicate name %s\n", base);
        return 1;
      }
    FILE *f = fopen(path, "rb");
    if(f == 0 || fseek(f, 0, SEEK_END) != 0){
      perror(path);
      return 1;
    }
    long size = ftell(f);
    rewind(f);
    data[i] = malloc(size ? size : 1);
    if(fread(data[i], 1, size, f) != (size_t)size){
      perror(path);
      return 1;
    }
    fclose(f);
    strncpy(ents[i].name, base, DIRSIZ);
    ents[i].size = size;
    ents[i].off = off;
    off += (size + 7) & ~7L;
  }

  FILE *out = fopen(argv[1], "wb");
  if(out == 0){
    perror(argv[1]);
    return 1;
  }
  fwrite(&h, sizeof(h), 1, out);
  fwrite(ents, sizeof(*ents), n, out);
  static const char pad[8];
  for(int i = 0; i < n; i++){
    fwrite(data[i], 1, ents[i].size, out);
    fwrite(pad, 1, ((ents[i].size + 7) & ~7U) - ents[i].size, out);
  }
  if(fclose(out) != 0){
    perror(argv[1]);
    return 1;
  }
  return 0;
}
