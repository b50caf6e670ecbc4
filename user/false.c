// false: do nothing and fail: exit with status 1, or with the status
// given. sh has no exit builtin; 'false N' as the last command of a
// line makes the line's status N (the host tests read it at power-off).

#include "user/user.h"

// Whether s is a decimal integer with an optional leading '-'.
static int
isnumber(const char *s)
{
  if(*s == '-')
    s++;
  if(*s == 0)
    return 0;
  for(; *s; s++)
    if(*s < '0' || *s > '9')
      return 0;
  return 1;
}

int
main(int argc, char *argv[])
{
  if(argc > 2 || (argc == 2 && !isnumber(argv[1]))){
    fprintf(2, "usage: false [status]\n");
    exit(1);
  }
  exit(argc == 2 ? atoi(argv[1]) : 1);
}
