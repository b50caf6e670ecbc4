// echo: print the arguments, separated by spaces, and a newline.

#include "user/user.h"

static char buf[512];
static int n;

// Add s to the output, writing out the buffer when it fills.
static void
put(char *s)
{
  for(; *s; s++){
    if(n == sizeof buf){
      write(1, buf, n);
      n = 0;
    }
    buf[n++] = *s;
  }
}

int
main(int argc, char *argv[])
{
  int i;

  for(i = 1; i < argc; i++){
    put(argv[i]);
    put(i + 1 < argc ? " " : "\n");
  }
  if(argc < 2)
    put("\n");
  // one write for short lines, so concurrent echoes do not mix
  write(1, buf, n);
  exit(0);
}
