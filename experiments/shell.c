// shell [iters=1] [pages=0]
//
// Ordinary shell use: writes a script of everyday commands (pipes, ls,
// grep, wc, echo, cat, redirection, mkdir, rm) to /shell.sh, then runs
// `sh /shell.sh` `iters` times, one after another, each with its output
// going to /shell.out, from a launcher that holds a heap of `pages`
// pages (0: none). Measured over all the runs, the launcher and every
// process below it: sh forking a child per command and each exec.

#define USAGE "shell [iters=1] [pages=0]"
#include "user/user.h"
#include "experiments/exp.h"

static char script[] =
  "echo the quick brown fox > /shtmp1\n"
  "echo jumps over the lazy dog >> /shtmp1\n"
  "cat /shtmp1 | wc\n"
  "ls | grep e | wc\n"
  "grep fox /shtmp1 | wc\n"
  "cat /README | grep xv6 | wc\n"
  "ls / > /shtmp2\n"
  "wc /shtmp2 /shtmp1\n"
  "mkdir /shdir\n"
  "echo hello > /shdir/f\n"
  "cat /shdir/f | grep hello\n"
  "rm /shdir/f /shtmp1 /shtmp2\n"
  "rm /shdir\n";

static char *shargv[] = { "sh", "/shell.sh", 0 };

int
main(int argc, char *argv[])
{
  int iters, pages, fd, st, bad;
  struct meas m;
  struct delta d;
  struct stat sb;
  char params[48];

  iters = argnum(argc, argv, 1, "iters", 1, 100, 1);
  pages = argnum(argc, argv, 2, "pages", 0, MAXPAGES, 0);
  argmax(argc, 2);
  getpolicyname();
  if(pages > 0)
    heap_fill(heap_alloc(pages), pages);
  fd = open("/shell.sh", O_CREATE | O_WRONLY | O_TRUNC);
  if(fd < 0 || write(fd, script, sizeof(script) - 1) != sizeof(script) - 1)
    die("cannot write /shell.sh");
  close(fd);

  bad = 0;
  meas_start(&m);
  for(int it = 0; it < iters; it++){
    int pid = fork();
    if(pid < 0)
      die("fork failed: out of memory?");
    if(pid == 0){
      close(1);
      if(open("/shell.out", O_CREATE | O_WRONLY | O_TRUNC) != 1)
        exit(1);
      exec("/sh", shargv);
      exit(1);
    }
    if(wait(&st) < 0)
      die("wait failed");
    if(st != 0)
      bad++;
  }
  meas_stop(&m, &d, -1);

  if(bad)
    die("the script failed (see /shell.out)");
  if(stat("/shell.out", &sb) < 0 || sb.size == 0)
    die("the script wrote no output");
  unlink("/shell.out");
  unlink("/shell.sh");
  snprintf(params, sizeof(params), " iters=%d", iters);
  result(pages, params, &d);
  exit(0);
}
