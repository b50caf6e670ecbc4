// forkexec [pages=4096] [iters=10] [frac=0] [seed=0]
//
// A big process starting a small program (a shell command run from a
// server, a JVM spawning a helper): a parent with a heap of `pages` pages
// forks `iters` times, one after another; each child redirects its output
// to the file /forkexec.out and execs /echo, which prints one word and
// exits. The child's copy of the heap is thrown away by exec without
// ever being written: the case COW was made for. Measured over the whole
// loop, parent and children (the children's exec and echo included).
//
// With frac > 0 the parent, once each child is gone, stores into frac%
// of its heap (a server updating its tables between spawns, a shell or
// a build driver between commands): the first pages if seed is 0, else
// a fixed scattered set drawn from seed. Its pages are shared with
// nobody by then, so under cow those stores cost a trap each and no
// copy; copying them at fork for children that exec wastes every copy.

#define USAGE "forkexec [pages=4096] [iters=10] [frac=0] [seed=0]"
#include "user/user.h"
#include "experiments/exp.h"

static char *echoargv[] = { "echo", "forkexec", 0 };

int
main(int argc, char *argv[])
{
  int pages, iters, frac, seed, fd, n, *set;
  char *heap, buf[16];
  struct meas m;
  struct delta d;
  char params[48];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 4096);
  iters = argnum(argc, argv, 2, "iters", 1, 500, 10);
  frac = argnum(argc, argv, 3, "frac", 0, 100, 0);
  seed = argnum(argc, argv, 4, "seed", 0, 1000000000, 0);
  argmax(argc, 4);
  getpolicyname();
  int writes = (int)((int64)pages * frac / 100);
  set = permutation(pages, seed);
  if(seed == 0)
    for(int i = 0; i < pages; i++)
      set[i] = i;
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
    for(int i = 0; i < writes; i++)
      TOUCH(heap, set[i], it + 1);
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
  snprintf(params, sizeof(params), " iters=%d frac=%d seed=%d", iters, frac, seed);
  result(pages, params, &d);
  exit(0);
}
