// wc: count lines, words and bytes in the named files, or in
// standard input. Prints "lines words bytes [name]".

#include "user/user.h"

static char buf[512];

// Count fd's contents and print them. Returns 0, or -1 on a
// read error.
static int
wc(int fd, char *name)
{
  int i, n, l, w, c, inword;

  l = w = c = 0;
  inword = 0;
  while((n = read(fd, buf, sizeof buf)) > 0){
    c += n;
    for(i = 0; i < n; i++){
      if(buf[i] == '\n')
        l++;
      if(strchr(" \t\r\n\v", buf[i])){
        inword = 0;
      } else if(!inword){
        w++;
        inword = 1;
      }
    }
  }
  if(n < 0){
    fprintf(2, "wc: cannot read %s\n", name ? name : "standard input");
    return -1;
  }
  if(name)
    printf("%d %d %d %s\n", l, w, c, name);
  else
    printf("%d %d %d\n", l, w, c);
  return 0;
}

int
main(int argc, char *argv[])
{
  int i, fd, st;

  if(argc < 2)
    exit(wc(0, 0) < 0 ? 1 : 0);
  st = 0;
  for(i = 1; i < argc; i++){
    fd = open(argv[i], O_RDONLY);
    if(fd < 0){
      fprintf(2, "wc: cannot open %s\n", argv[i]);
      exit(1);
    }
    if(wc(fd, argv[i]) < 0)
      st = 1;
    close(fd);
  }
  exit(st);
}
