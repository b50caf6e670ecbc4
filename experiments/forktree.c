// forktree [pages=256] [gens=3] [children=2]
//
// Generations writing at the same time (a parallel build, a process
// pool that forks workers which fork helpers): the first process has a
// heap of `pages` pages; every process of generation g < gens forks
// `children` children (generation g+1) and then stores into every page
// of its heap while they run, then waits for them. With the defaults
// that is 1 + 2 + 4 + 8 = 15 processes. Meaningful with CPUS > 1, where
// the generations really run at once. Measured from before the first
// fork to after the last wait, the whole tree (each process waits for
// its children, so their counters are folded up).

#define USAGE "forktree [pages=256] [gens=3] [children=2]"
#include "user/user.h"
#include "experiments/exp.h"

// Fork the generations below gen, write the heap, wait for the children.
// Returns the number of processes below this one that failed to fork.
static int
grow(char *heap, int pages, int gen, int gens, int fan)
{
  int forked = 0;

  if(gen < gens){
    for(int i = 0; i < fan; i++){
      int pid = fork();
      if(pid < 0)
        break;
      if(pid == 0){
        if(grow(heap, pages, gen + 1, gens, fan) == 0)
          CHILD_OK();
        exit(0);
      }
      forked++;
    }
  }
  for(int i = 0; i < pages; i++)
    TOUCH(heap, i, gen + 1);
  for(int i = 0; i < forked; i++)
    wait(0);
  return forked == (gen < gens ? fan : 0) ? 0 : 1;
}

int
main(int argc, char *argv[])
{
  int pages, gens, fan, total, width;
  char *heap;
  struct meas m;
  struct delta d;
  char params[48];

  pages = argnum(argc, argv, 1, "pages", 1, MAXPAGES, 256);
  gens = argnum(argc, argv, 2, "gens", 0, 10, 3);
  fan = argnum(argc, argv, 3, "children", 1, 8, 2);
  argmax(argc, 3);
  // processes below the first: fan + fan^2 + ... + fan^gens
  total = 0;
  width = 1;
  for(int g = 0; g < gens; g++){
    width *= fan;
    total += width;
  }
  if(total > 60)
    die("too many processes: keep children^gens small (at most 60 below the root)");
  getpolicyname();
  heap = heap_alloc(pages);
  heap_fill(heap, pages);
  childpipe_open();

  meas_start(&m);
  if(grow(heap, pages, 0, gens, fan) != 0)
    die("fork failed: out of memory?");
  meas_stop(&m, &d, -1);

  childpipe_check(total);
  snprintf(params, sizeof(params), " gens=%d children=%d", gens, fan);
  result(pages, params, &d);
  exit(0);
}
