// forkexec [pages=4096] [iters=10]
//
// A big process starting a small program (a shell command run from a
// server, a JVM spawning a helper): a parent with a heap of `pages` pages
// forks `iters` times, one after another; each child redirects its output
// to the file /forkexec.out and execs /echo, which prints one word and
// exits. The child's copy of the heap is thrown away by exec without
// ever being written: the case COW was made for. Measured over the whole
// loop, parent and children (the children's exec and echo included).

#define USAGE "forkexec [pages=4096] [iters=10]"
#include "user/user.h"
#include "experiments/exp.h"

static char *echoargv[] = { "echo", "forkexec", 0 };

int
main(int argc, char *argv[])
{
  int pages, iters, fd, n;
  char *heap, buf[16];
  struct meas m;
  struct delta d;
  char params[48];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  iters = argnum(argc, argv, 2, "iters", 1, 500, 10);
  argmax(argc, 2);
  getpolicyname();
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  meas_start(&m);
  for(int it = 0; it < iters; it++){
    int pid = fork();
    if(pid < 0)
      die("fork failed: out of memory?");
    if(pid == 0){
      close(1);
      if(open("/forkexec.out", O_CREATE | O_WRONLY | O_TRUNC) != 1)
        exit(1);
      CHILD_OK();
      close(okpipe[0]);
      close(okpipe[1]);
      exec("/echo", echoargv);
      exit(1);
    }
    if(wait(0) < 0)
      die("wait failed");
  }
  meas_stop(&m, &d, -1);

  childpipe_check(iters);
  // the last child's echo must have written its word
  fd = open("/forkexec.out", O_RDONLY);
  n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
  if(fd >= 0)
    close(fd);
  if(n != 9 || memcmp(buf, "forkexec\n", 9) != 0)
    die("the exec'd /echo did not write its output");
  unlink("/forkexec.out");
  snprintf(params, sizeof(params), " iters=%d", iters);
  result(pages, params, &d);
  exit(0);
}
