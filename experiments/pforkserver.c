// pforkserver [pages=256] [servers=4] [children=10] [wpages=4]
//
// A parallel fork server (several preforking servers or zygotes on one
// machine, a parallel build forking compilers): the first process fills
// a heap of `pages` pages and forks `servers` servers at once; each
// server forks `children` children one after another and waits for
// each; each child stores into the first `wpages` pages of the heap and
// exits. With CPUS = servers the servers fork, fault and exit at the
// same time on different harts, so the page allocator (kalloc=) and the
// process table are taken from several harts at once.
//
// writes = servers * children * wpages, the (process, page) pairs
// stored into: only children store, each into pages shared with its
// server and the first process, so plain cow takes exactly `writes` COW
// faults, all copies. Measured from before the first fork to after the
// last server was waited for (the servers wait for their children, so
// every counter is folded up), with the lock statistics (exp.h).
// Children and servers report success through the pipe of exp.h, which
// is read only after the measurement: servers * (children + 1) bytes,
// kept below the pipe's 4 KiB by the limits on servers and children.

#define USAGE "pforkserver [pages=256] [servers=4] [children=10] [wpages=4]"
#include "user/user.h"
#include "experiments/exp.h"

// Fork the servers, let each fork and wait for its children, wait for
// the servers; *d receives the measurement. Returns the number of
// servers that could not be forked. A function of its own, entered
// before the first fork, so that its few values stay in registers: a
// store to the stack after a fork would be a COW fault of the harness.
// The servers run the loop inline, in the same registers.
static int __attribute__((noinline))
run(char *heap, int servers, int children, int wpages, struct delta *d)
{
  struct meas m;
  int s, started = 0;

  meas_start(&m);
  for(s = 0; s < servers; s++){
    int pid = fork();
    if(pid < 0)
      break;
    if(pid == 0){
      int ok = 0;
      for(int c = 0; c < children; c++){
        int kid = fork();
        if(kid < 0)
          break;
        if(kid == 0){
          for(int i = 0; i < wpages; i++)
            TOUCH(heap, i, s + 1);
          CHILD_OK();
          exit(0);
        }
        if(wait(0) < 0)
          break;
        ok++;
      }
      if(ok == children)
        CHILD_OK();
      exit(0);
    }
    started++;
  }
  for(int i = 0; i < started; i++)
    wait(0);
  meas_stop(&m, d, -1);
  return servers - started;
}

int
main(int argc, char *argv[])
{
  int pages, servers, children, wpages;
  char *heap;
  struct delta d;
  char params[96];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 256);
  servers = argnum(argc, argv, 2, "servers", 1, 16, 4);
  children = argnum(argc, argv, 3, "children", 1, 200, 10);
  wpages = argnum(argc, argv, 4, "wpages", 0, MAXPAGES, 4);
  argmax(argc, 4);
  if(wpages > pages)
    die("wpages must be at most pages");
  getpolicyname();
  lockstat_report();
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  if(run(heap, servers, children, wpages, &d) != 0)
    die("fork of a server failed: out of memory or processes?");
  // every child and every server that finished its children said so
  childpipe_check(servers * (children + 1));
  snprintf(params, sizeof(params), " servers=%d children=%d wpages=%d writes=%d",
           servers, children, wpages, servers * children * wpages);
  result(pages, params, &d);
  exit(0);
}
