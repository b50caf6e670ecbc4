// grep: print the lines that match a pattern. The pattern
// language is small: c matches itself, . any character, x* any
// number of x, ^ at the start anchors to the line's start and $
// at the end to its end. Exits 0 if some line matched, else 1.

#include "user/user.h"

#define MAXPAT 128

// The pattern, compiled into a list of atoms.
struct atom {
  char c;
  char any;    // '.': matches every character
  char star;   // followed by '*': matches zero or more times
};

static struct atom pat[MAXPAT];
static int npat;
static int atstart, atend;   // ^ and $ anchors

static char buf[1024];

// Compile re into pat. Returns 0, or -1 if it is too long.
static int
compile(char *re)
{
  if(*re == '^'){
    atstart = 1;
    re++;
  }
  for(npat = 0; *re; re++){
    if(re[0] == '$' && re[1] == 0){
      atend = 1;
      break;
    }
    if(npat == MAXPAT)
      return -1;
    pat[npat].c = *re;
    pat[npat].any = *re == '.';
    pat[npat].star = re[1] == '*';
    if(pat[npat].star)
      re++;
    npat++;
  }
  return 0;
}

static int
one(struct atom *a, char c)
{
  return c != 0 && (a->any || a->c == c);
}

// Does pat[i..] match a prefix of s (all of s if anchored at the
// end)? Starred atoms try their longest run first and back off.
static int
matchat(int i, char *s)
{
  int k;

  for(; i < npat; i++){
    if(pat[i].star){
      for(k = 0; one(&pat[i], s[k]); k++)
        ;
      for(; k >= 0; k--)
        if(matchat(i + 1, s + k))
          return 1;
      return 0;
    }
    if(!one(&pat[i], *s))
      return 0;
    s++;
  }
  return !atend || *s == 0;
}

// Does the pattern match somewhere in the NUL-terminated line?
static int
match(char *line)
{
  if(atstart)
    return matchat(0, line);
  do {
    if(matchat(0, line))
      return 1;
  } while(*line++);
  return 0;
}

// Print fd's matching lines. Returns the number of them.
static int
grep(int fd)
{
  int n, m, found;
  char *p, *q;

  found = 0;
  m = 0;
  while((n = read(fd, buf + m, sizeof buf - m - 1)) > 0){
    m += n;
    buf[m] = 0;
    p = buf;
    while((q = strchr(p, '\n')) != 0){
      *q = 0;
      if(match(p)){
        *q = '\n';
        write(1, p, q + 1 - p);
        found++;
      }
      p = q + 1;
    }
    m -= p - buf;
    if(m == sizeof buf - 1){
      // a line longer than the buffer: take it in pieces
      if(match(buf)){
        write(1, buf, m);
        write(1, "\n", 1);
        found++;
      }
      m = 0;
    } else if(m > 0){
      memmove(buf, p, m);
    }
  }
  if(m > 0){
    // last line without a newline
    buf[m] = 0;
    if(match(buf)){
      buf[m] = '\n';
      write(1, buf, m + 1);
      found++;
    }
  }
  return found;
}

int
main(int argc, char *argv[])
{
  int i, fd, found;

  if(argc < 2){
    fprintf(2, "usage: grep pattern [file ...]\n");
    exit(1);
  }
  if(compile(argv[1]) < 0){
    fprintf(2, "grep: pattern too long\n");
    exit(1);
  }
  if(argc == 2)
    exit(grep(0) > 0 ? 0 : 1);
  found = 0;
  for(i = 2; i < argc; i++){
    fd = open(argv[i], O_RDONLY);
    if(fd < 0){
      fprintf(2, "grep: cannot open %s\n", argv[i]);
      exit(1);
    }
    found += grep(fd);
    close(fd);
  }
  exit(found > 0 ? 0 : 1);
}
