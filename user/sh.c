// sh: the shell. A line is parsed into a tree of commands and the
// tree is then walked: sequences (; and &) run in the shell itself,
// everything else runs in forked children.
//
//   line     := [pipeline] { (';' | '&' | newline) [pipeline] }
//   pipeline := simple { '|' simple }
//   simple   := { word | redir }  |  '(' line ')' { redir }
//   redir    := ('<' | '>' | '>>') word
//
// Words may be quoted with '...' or "..." (no escapes); '#' starts
// a comment. The only builtin is cd.

#include "user/user.h"

#define MAXLINE 512
#define MAXARGS 32
#define ARENA   (16*1024)   // parse tree storage for one line
#define MAXDEPTH 8           // nesting of ( ); the user stack is small
#define MAXSTAGE (MAXLINE/2) // commands in one pipeline

enum { EMPTY, EXEC, SUB, PIPE, LIST, BACK };

struct redir {
  int fd;              // 0 or 1
  int mode;            // '<', '>' or '+' (>>)
  char *file;
  struct redir *next;
};

// PIPE and LIST chains nest to the right, a|b|c being
// PIPE(a, PIPE(b, c)), so that they can be walked with a loop.
struct cmd {
  int type;
  struct cmd *left;    // PIPE, LIST: first part; SUB, BACK: the body
  struct cmd *right;   // PIPE, LIST: the rest
  char **argv;         // EXEC: null-terminated
  struct redir *redir; // EXEC, SUB: in the order written
};

// Token kinds other than single characters like '|'.
enum { T_END = 256, T_WORD, T_APPEND, T_BAD };

struct parser {
  char *s;             // next input character
  char *wp;            // where the next word's characters go
  int tok;             // current token
  char *word;          // its text, if T_WORD
  char *err;           // first error, if any
  int depth;           // of ( ) around the current token
};

static char arena[ARENA];
static uint used;
static char words[2*MAXLINE + 2];
static char *av[MAXARGS];       // words of the command being parsed
static int pids[MAXSTAGE];      // children of the pipeline being run
static int stats[MAXSTAGE];

static int isconsole;

// Bump allocator for the parse tree, reset for every line.
// Returns 0 when the line needs more than ARENA bytes.
static void*
alloc(struct parser *ps, uint n)
{
  void *p;

  n = (n + 7) & ~7;
  if(used + n > ARENA){
    if(ps->err == 0)
      ps->err = "line too complex";
    return 0;
  }
  p = arena + used;
  used += n;
  memset(p, 0, n);
  return p;
}

static struct cmd*
mkcmd(struct parser *ps, int type, struct cmd *l, struct cmd *r)
{
  struct cmd *c;

  c = alloc(ps, sizeof *c);
  if(c == 0)
    return 0;
  c->type = type;
  c->left = l;
  c->right = r;
  return c;
}

static int
isspace(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\v';
}

static int
issym(char c)
{
  return strchr("<>|;&()", c) != 0;
}

// Scan the next token into ps->tok (and ps->word).
static void
advance(struct parser *ps)
{
  char *s, q;

  s = ps->s;
  while(isspace(*s))
    s++;
  if(*s == '#')
    while(*s && *s != '\n')
      s++;
  if(*s == 0){
    ps->tok = T_END;
  } else if(*s == '\n'){
    ps->tok = ';';
    s++;
  } else if(*s == '>' && s[1] == '>'){
    ps->tok = T_APPEND;
    s += 2;
  } else if(issym(*s)){
    ps->tok = *s++;
  } else {
    ps->tok = T_WORD;
    ps->word = ps->wp;
    while(*s && *s != '\n' && !isspace(*s) && !issym(*s)){
      if(*s == '\'' || *s == '"'){
        q = *s++;
        while(*s && *s != q)
          *ps->wp++ = *s++;
        if(*s == 0){
          ps->tok = T_BAD;
          if(ps->err == 0)
            ps->err = "unterminated quote";
          break;
        }
        s++;
      } else {
        *ps->wp++ = *s++;
      }
    }
    *ps->wp++ = 0;
  }
  ps->s = s;
}

static void*
syntax(struct parser *ps, char *msg)
{
  if(ps->err == 0)
    ps->err = msg;
  return 0;
}

static int
isredir(int tok)
{
  return tok == '<' || tok == '>' || tok == T_APPEND;
}

// Parse one redirection and add it to the end of c's list.
// Returns 0 on error.
static int
parseredir(struct parser *ps, struct cmd *c)
{
  struct redir *r, **pp;
  int mode;

  mode = ps->tok == T_APPEND ? '+' : ps->tok;
  advance(ps);
  if(ps->tok != T_WORD){
    syntax(ps, "missing file name after redirection");
    return 0;
  }
  r = alloc(ps, sizeof *r);
  if(r == 0)
    return 0;
  r->mode = mode;
  r->fd = mode == '<' ? 0 : 1;
  r->file = ps->word;
  for(pp = &c->redir; *pp; pp = &(*pp)->next)
    ;
  *pp = r;
  advance(ps);
  return 1;
}

static struct cmd *parseline(struct parser*);

// Append c to the chain of type at *tailp (see struct cmd).
// Returns the new tail pointer, or 0 if out of memory.
static struct cmd**
chain(struct parser *ps, int type, struct cmd **tailp, struct cmd *c)
{
  struct cmd *l;

  if(*tailp == 0){
    *tailp = c;
    return tailp;
  }
  l = mkcmd(ps, type, *tailp, c);
  if(l == 0)
    return 0;
  *tailp = l;
  return &l->right;
}

static struct cmd*
parsesimple(struct parser *ps)
{
  struct cmd *c, *body;
  int ac, i;

  if(ps->tok == '('){
    if(++ps->depth > MAXDEPTH)
      return syntax(ps, "too many nested (");
    advance(ps);
    body = parseline(ps);
    if(body == 0)
      return 0;
    ps->depth--;
    if(ps->tok != ')')
      return syntax(ps, "missing )");
    advance(ps);
    c = mkcmd(ps, SUB, body, 0);
    if(c == 0)
      return 0;
    while(isredir(ps->tok))
      if(!parseredir(ps, c))
        return 0;
    if(ps->tok == T_WORD || ps->tok == '(')
      return syntax(ps, "unexpected word after )");
    return c;
  }

  c = mkcmd(ps, EXEC, 0, 0);
  if(c == 0)
    return 0;
  ac = 0;
  for(;;){
    if(ps->tok == T_WORD){
      if(ac == MAXARGS)
        return syntax(ps, "too many arguments");
      av[ac++] = ps->word;
      advance(ps);
    } else if(isredir(ps->tok)){
      if(!parseredir(ps, c))
        return 0;
    } else {
      break;
    }
  }
  if(ps->tok == '(')
    return syntax(ps, "unexpected (");
  if(ac == 0 && c->redir == 0)
    return syntax(ps, "missing command");
  c->argv = alloc(ps, (ac + 1) * sizeof(char*));
  if(c->argv == 0)
    return 0;
  for(i = 0; i < ac; i++)
    c->argv[i] = av[i];
  return c;
}

static struct cmd*
parsepipe(struct parser *ps)
{
  struct cmd *pl, *c, **tailp;
  int n;

  pl = 0;
  tailp = &pl;
  for(n = 0; ; n++){
    if(n == MAXSTAGE)
      return syntax(ps, "pipeline too long");
    c = parsesimple(ps);
    if(c == 0)
      return 0;
    tailp = chain(ps, PIPE, tailp, c);
    if(tailp == 0)
      return 0;
    if(ps->tok != '|')
      return pl;
    advance(ps);
  }
}

// Parse a sequence up to the end of input or an unmatched ')'.
// Empty items (as in "a;;b" or a trailing ';') are allowed.
static struct cmd*
parseline(struct parser *ps)
{
  struct cmd *seq, *c, **tailp;

  seq = 0;
  tailp = &seq;
  while(ps->tok != T_END && ps->tok != ')'){
    if(ps->tok == ';' || ps->tok == '&'){
      advance(ps);
      continue;
    }
    c = parsepipe(ps);
    if(c == 0)
      return 0;
    if(ps->tok == '&'){
      c = mkcmd(ps, BACK, c, 0);
      if(c == 0)
        return 0;
    }
    tailp = chain(ps, LIST, tailp, c);
    if(tailp == 0)
      return 0;
  }
  if(seq == 0)
    seq = mkcmd(ps, EMPTY, 0, 0);
  return seq;
}

// Parse a whole line. Returns 0 after storing a message in ps->err.
static struct cmd*
parse(struct parser *ps, char *line)
{
  struct cmd *c;

  used = 0;
  ps->s = line;
  ps->wp = words;
  ps->err = 0;
  ps->depth = 0;
  advance(ps);
  c = parseline(ps);
  if(c != 0 && ps->tok != T_END)
    return syntax(ps, "unexpected )");
  if(ps->err)
    return 0;
  return c;
}

// Wait for the n children in pid[], putting their statuses in
// st[]; other children (finished background jobs) are reaped on
// the way. A child that cannot be waited for gets status 1.
static void
waitall(int *pid, int *st, int n)
{
  int w, s, i, left;

  for(i = 0; i < n; i++)
    st[i] = 1;
  left = n;
  while(left > 0){
    s = 0;
    w = wait(&s);
    if(w < 0)
      return;
    for(i = 0; i < n; i++){
      if(pid[i] == w){
        st[i] = s;
        left--;
      }
    }
  }
}

// Open f in the given mode as the lowest free fd.
// Returns that fd or -1.
static int
openredir(struct redir *r)
{
  char buf[128];
  int fd;

  if(r->mode == '<')
    return open(r->file, O_RDONLY);
  if(r->mode == '>')
    return open(r->file, O_WRONLY|O_CREATE|O_TRUNC);
  // there is no O_APPEND or lseek: read to the end instead, which
  // leaves the offset there for the writes that follow
  fd = open(r->file, O_RDWR|O_CREATE);
  if(fd >= 0)
    while(read(fd, buf, sizeof buf) > 0)
      ;
  return fd;
}

// Apply c's redirections in order, in a child.
// Exits with status 1 if a file cannot be opened.
static void
redirect(struct cmd *c)
{
  struct redir *r;
  int fd;

  for(r = c->redir; r; r = r->next){
    close(r->fd);
    fd = openredir(r);
    if(fd < 0){
      fprintf(2, "sh: cannot open %s\n", r->file);
      exit(1);
    }
    if(fd != r->fd){
      // a lower fd was closed: move the file into place
      close(r->fd);
      if(dup(fd) != r->fd){
        fprintf(2, "sh: cannot redirect %s\n", r->file);
        exit(1);
      }
      close(fd);
    }
  }
}

// The cd builtin. Returns its status.
static int
cd(char **argv)
{
  char *dir;

  dir = argv[1] ? argv[1] : "/";
  if(argv[1] && argv[2]){
    fprintf(2, "usage: cd [dir]\n");
    return 1;
  }
  if(chdir(dir) < 0){
    fprintf(2, "sh: cannot cd %s\n", dir);
    return 1;
  }
  return 0;
}

static int run(struct cmd*);

// Run c in this (forked) process and exit with its status.
static void
runhere(struct cmd *c)
{
  static char path[MAXLINE + 2];

  if(c->type == EXEC){
    redirect(c);
    if(c->argv[0] == 0)
      exit(0);
    if(strcmp(c->argv[0], "cd") == 0)
      exit(cd(c->argv));
    exec(c->argv[0], c->argv);
    // not found here: try the root, where the programs live
    if(strchr(c->argv[0], '/') == 0 && strlen(c->argv[0]) < MAXLINE){
      path[0] = '/';
      strcpy(path + 1, c->argv[0]);
      exec(path, c->argv);
    }
    fprintf(2, "sh: cannot run %s\n", c->argv[0]);
    exit(1);
  }
  if(c->type == SUB){
    redirect(c);
    exit(run(c->left));
  }
  exit(run(c));
}

// Fork a child to run c with infd and outfd (if not -1) as its
// standard input and output, and without the pipe p (if any).
// Returns its pid, or -1.
static int
spawn(struct cmd *c, int infd, int outfd, int *p)
{
  int pid;

  pid = fork();
  if(pid < 0){
    fprintf(2, "sh: fork failed\n");
    return -1;
  }
  if(pid == 0){
    if(infd >= 0){
      close(0);
      dup(infd);
      close(infd);
    }
    if(outfd >= 0){
      close(1);
      dup(outfd);
    }
    if(p){
      close(p[0]);
      close(p[1]);
    }
    runhere(c);
  }
  return pid;
}

// Start every stage of a pipeline, each reading the previous
// one's pipe, then wait for them all. Returns the status of the
// last stage that failed, or 0.
static int
runpipe(struct cmd *c)
{
  int p[2], in, n, i, st;

  in = -1;
  st = 0;
  for(n = 0; c; n++){
    if(c->type == PIPE){
      if(pipe(p) < 0){
        fprintf(2, "sh: pipe failed\n");
        st = 1;
        break;
      }
      pids[n] = spawn(c->left, in, p[1], p);
      close(p[1]);
      c = c->right;
    } else {
      pids[n] = spawn(c, in, -1, 0);
      p[0] = -1;
      c = 0;
    }
    if(in >= 0)
      close(in);
    in = p[0];
    if(pids[n] < 0){
      st = 1;
      break;
    }
  }
  if(in >= 0)
    close(in);
  waitall(pids, stats, n);
  for(i = 0; i < n; i++)
    if(stats[i] != 0)
      st = stats[i];
  return st;
}

// Run c and return its status: 0 if every command in it
// succeeded, else the status of the last one that failed.
static int
run(struct cmd *c)
{
  int pid, a, b;

  switch(c->type){
  case EMPTY:
    return 0;
  case LIST:
    a = 0;
    for(; c->type == LIST; c = c->right){
      b = run(c->left);
      if(b != 0)
        a = b;
    }
    b = run(c);
    return b != 0 ? b : a;
  case BACK:
    return spawn(c->left, -1, -1, 0) < 0 ? 1 : 0;
  case PIPE:
    return runpipe(c);
  case EXEC:
    // cd must change this process's directory, not a child's
    if(c->argv[0] && strcmp(c->argv[0], "cd") == 0)
      return cd(c->argv);
    break;
  }
  pid = spawn(c, -1, -1, 0);
  if(pid < 0)
    return 1;
  waitall(&pid, &a, 1);
  return a;
}

// Parse and run one line. Returns its status (1 for a syntax error).
static int
runline(char *line)
{
  struct parser ps;
  struct cmd *c;

  c = parse(&ps, line);
  if(c == 0){
    fprintf(2, "sh: %s\n", ps.err);
    return 1;
  }
  return run(c);
}

// Read a line from fd into buf (MAXLINE+1 bytes), without the
// newline. Returns its length, -1 at end of file, or -2 if the
// line was too long (the rest of it is skipped).
static int
readline(int fd, char *buf)
{
  int n, r;
  char c;

  n = 0;
  for(;;){
    r = read(fd, &c, 1);
    if(r < 1){
      if(n == 0)
        return -1;
      break;
    }
    if(c == '\n')
      break;
    if(n == MAXLINE){
      while(read(fd, &c, 1) == 1 && c != '\n')
        ;
      return -2;
    }
    buf[n++] = c;
  }
  buf[n] = 0;
  return n;
}

static void
usage(void)
{
  fprintf(2, "usage: sh [-c cmd | file]\n");
  exit(1);
}

int
main(int argc, char *argv[])
{
  static char line[MAXLINE + 1];
  struct stat st;
  int fd, n, s, failed;

  // make sure fds 0-2 are open, so redirection finds them in use
  while((fd = open("/console", O_RDWR)) >= 0){
    if(fd >= 3){
      close(fd);
      break;
    }
  }

  if(argc >= 2 && strcmp(argv[1], "-c") == 0){
    if(argc != 3)
      usage();
    if(strlen(argv[2]) > MAXLINE){
      fprintf(2, "sh: line too long\n");
      exit(1);
    }
    strcpy(line, argv[2]);
    exit(runline(line));
  }
  if(argc > 2)
    usage();

  fd = 0;
  if(argc == 2){
    fd = open(argv[1], O_RDONLY);
    if(fd < 0){
      fprintf(2, "sh: cannot open %s\n", argv[1]);
      exit(1);
    }
  } else if(fstat(0, &st) == 0 && st.type == T_DEVICE){
    isconsole = 1;
  }

  failed = 0;
  for(;;){
    if(isconsole)
      fprintf(2, "$ ");
    n = readline(fd, line);
    if(n == -1)
      break;
    if(n == -2){
      fprintf(2, "sh: line too long\n");
      failed = 1;
      continue;
    }
    s = runline(line);
    if(s != 0)
      failed = s;
  }
  // a script reports failures; an interactive shell just ends
  exit(fd == 0 ? 0 : failed);
}
