// init: the first user process. It sets up the console as fds
// 0, 1 and 2, then either runs the command given on the kernel
// command line and powers off, or keeps a shell running forever.

#include "user/user.h"

#define CONSOLE 1   // device major number of the console

// Start sh with the given arguments. Returns its pid, or -1.
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

// Wait for pid, reaping any orphans that were handed to us on
// the way. Returns pid's exit status, or -1 if we have no children.
static int
waitfor(int pid)
{
  int w, st;

  for(;;){
    st = 0;
    w = wait(&st);
    if(w < 0)
      return -1;
    if(w == pid)
      return st;
  }
}

int
main(void)
{
  static char cmd[512];
  char *argv[4];
  int pid, st;

  if(open("console", O_RDWR) < 0){
    mknod("console", CONSOLE, 0);
    if(open("console", O_RDWR) < 0)
      poweroff(1);   // nowhere to even complain to
  }
  dup(0);
  dup(0);

  if(bootcmd(cmd, sizeof cmd) > 0){
    cmd[sizeof cmd - 1] = 0;
    argv[0] = "sh";
    argv[1] = "-c";
    argv[2] = cmd;
    argv[3] = 0;
    pid = spawn(argv);
    st = pid < 0 ? 1 : waitfor(pid);
    if(st < 0)
      st = 1;   // no child to wait for, or sh was killed
    poweroff(st);
    poweroff(1);   // st was refused: out of range, or the panic status
  }

  argv[0] = "sh";
  argv[1] = 0;
  for(;;){
    pid = spawn(argv);
    if(pid < 0){
      sleep(10);
      continue;
    }
    waitfor(pid);
    printf("init: restarting sh\n");
  }
}
