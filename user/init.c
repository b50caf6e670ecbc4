// init: the first user process. It opens the console as fds 0, 1
// and 2; then, if the kernel command line carries a command (what
// follows " -- "), it runs that with 'sh -c', reports its status and
// powers off; otherwise it keeps an interactive shell running forever.

#include "kernel/param.h"
#include "user/user.h"

#define CONSOLE 1   // device major number of the console

// Start /sh with argv. Returns its pid, or -1.
static int
spawn(char **argv)
{
  int pid;

  pid = fork();
  if(pid < 0){
    fprintf(2, "init: fork failed\n");
    return -1;
  }
  if(pid == 0){
    exec("/sh", argv);
    fprintf(2, "init: exec sh failed\n");
    exit(1);
  }
  return pid;
}

// Reap children until pid is among them (orphans are handed to init
// and must be reaped too). Returns 0 with pid's exit status in *st,
// or -1 if init has no children left.
static int
waitfor(int pid, int *st)
{
  int w;

  do {
    *st = 0;
    w = wait(st);
  } while(w >= 0 && w != pid);
  return w < 0 ? -1 : 0;
}

// Run cmd with 'sh -c' and power off. The last line printed is
// "init: exit status N" with sh's exact status: the host reads N from
// it, because the power-off status cannot carry every value.
static void
runcmd(char *cmd)
{
  char *argv[4];
  int pid, st, code;

  argv[0] = "sh";
  argv[1] = "-c";
  argv[2] = cmd;
  argv[3] = 0;
  pid = spawn(argv);
  if(pid < 0 || waitfor(pid, &st) < 0)
    st = 1;
  printf("init: exit status %d\n", st);
  code = st;
  if(code < 0 || code > 255 || code == POWEROFF_PANIC)
    code = 1;
  poweroff(code);
  poweroff(1);   // in case the kernel refused code after all
}

int
main(void)
{
  static char cmd[BOOTARGS];
  char *argv[2];

  if(open("console", O_RDWR) < 0){
    mknod("console", CONSOLE, 0);
    if(open("console", O_RDWR) < 0)
      poweroff(1);   // nowhere to even complain to
  }
  dup(0);
  dup(0);

  if(bootcmd(cmd, sizeof cmd) > 0)
    runcmd(cmd);

  argv[0] = "sh";
  argv[1] = 0;
  for(;;){
    int pid, st;

    pid = spawn(argv);
    if(pid < 0){
      sleep(10);
      continue;
    }
    waitfor(pid, &st);
    printf("init: restarting sh\n");
  }
}
