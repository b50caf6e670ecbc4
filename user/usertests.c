// usertests: tests of the system calls as user programs see them:
// files, directories, paths, descriptors, pipes, fork limits, memory
// exhaustion, and bad arguments of every kind.
//
// The suite works in a scratch directory, /ut, that it removes at the
// end. Each test runs in a child process of its own and must leave
// the system's free-page count as it found it. Output: one line
// "PASS name" or "FAIL name: why" per test, then
// "usertests: N passed, N failed". Exit status 0 iff all passed.
// "usertests name ..." runs only the named tests.

#include "kernel/param.h"
#include "user/user.h"
#include "user/testlib.h"

#define DIRSIZ 14       // kernel/fs.h
#define SCRATCH "/ut"

// One directory entry as read from a directory (see ls.c).
struct dirent {
  ushort inum;
  char name[DIRSIZ];
};

static char buf[8192];
static char buf2[8192];

// Make every page of this process's memory its own, so that later
// free-page counts change only by what the test does: under COW a
// page still shared with the parent would be copied at the first
// store. Each page is copied into a pipe and back by the kernel,
// which resolves COW pages and leaves read-only ones (text) alone.
static void
settle(void)
{
  uint64 va;
  int p[2];
  char c;

  if(pipe(p) < 0)
    return;
  for(va = 0; va < (uint64)sbrk(0); va += PGSIZE){
    if(write(p[1], (char*)va, 1) != 1)
      continue;   // not mapped (the stack guard page)
    if(read(p[0], (char*)va, 1) != 1)
      read(p[0], &c, 1);   // read-only: drop the byte
  }
  close(p[0]);
  close(p[1]);
}

// Read up to n bytes of path into data. Returns the count or -1.
static int
readfile(char *path, void *data, int n)
{
  int fd, r;

  fd = open(path, O_RDONLY);
  if(fd < 0)
    return -1;
  r = read(fd, data, n);
  close(fd);
  return r;
}

// Does path name a file (or anything)?
static int
exists(char *path)
{
  struct stat st;

  return stat(path, &st) == 0;
}

// Number of used entries in directory path, "." and ".." included;
// -1 if it cannot be read.
static int
countentries(char *path)
{
  struct dirent de;
  int fd, n;

  fd = open(path, O_RDONLY);
  if(fd < 0)
    return -1;
  n = 0;
  while(read(fd, &de, sizeof de) == sizeof de)
    if(de.inum != 0)
      n++;
  close(fd);
  return n;
}

// Try exec(path, argv) in a child that exits with EXECFAIL if exec
// returned -1. Returns the child's status.
static int
tryexec(char *path, char **argv)
{
  int pid;

  pid = fork();
  if(pid < 0)
    return -1000;
  if(pid == 0){
    exec(path, argv);
    exit(EXECFAIL);
  }
  return waitpid(pid);
}

// ---- open, read, write, close, dup ---------------------------------------

// Each open mode allows what it says and no more.
static int
openmodes(void)
{
  int fd;
  char c;

  if(open("om", O_RDONLY) != -1)
    FAIL("open of a missing file without O_CREATE succeeded");
  fd = open("om", O_CREATE | O_WRONLY);
  if(fd < 0)
    FAIL("O_CREATE|O_WRONLY failed");
  if(write(fd, "abc", 3) != 3)
    FAIL("write to O_WRONLY fd failed");
  if(read(fd, &c, 1) != -1)
    FAIL("read from an O_WRONLY fd did not return -1");
  close(fd);
  fd = open("om", O_RDONLY);
  if(fd < 0)
    FAIL("O_RDONLY open of an existing file failed");
  if(write(fd, "x", 1) != -1)
    FAIL("write to an O_RDONLY fd did not return -1");
  if(read(fd, buf, 10) != 3 || memcmp(buf, "abc", 3) != 0)
    FAIL("O_RDONLY read did not give the content");
  close(fd);
  fd = open("om", O_RDWR);
  if(fd < 0)
    FAIL("O_RDWR open failed");
  if(read(fd, buf, 1) != 1 || write(fd, "XY", 2) != 2)
    FAIL("O_RDWR read then write failed");
  close(fd);
  if(readfile("om", buf, 10) != 3 || memcmp(buf, "aXY", 3) != 0)
    FAIL("O_RDWR write did not land after the read");
  if(open(".", O_RDONLY) < 0)
    FAIL("open of a directory O_RDONLY failed");
  if(open(".", O_WRONLY) != -1 || open(".", O_RDWR) != -1)
    FAIL("open of a directory for writing succeeded");
  if(open(".", O_CREATE | O_RDWR) != -1 || open(".", O_CREATE) != -1)
    FAIL("O_CREATE of an existing directory's name succeeded");
  if(unlink("om") != 0)
    FAIL("unlink failed");
  return 0;
}

// O_CREATE of an existing file opens it as it is; O_TRUNC empties it.
static int
createtrunc(void)
{
  struct stat st;
  int fd;

  if(writefile("ct", "hello", 5) < 0)
    FAIL("cannot write ct");
  fd = open("ct", O_CREATE | O_RDWR);
  if(fd < 0 || read(fd, buf, 10) != 5)
    FAIL("O_CREATE of an existing file lost its content");
  close(fd);
  fd = open("ct", O_TRUNC | O_RDWR);
  if(fd < 0 || fstat(fd, &st) < 0 || st.size != 0)
    FAIL("O_TRUNC did not empty the file");
  if(read(fd, buf, 10) != 0)
    FAIL("read of a truncated file did not return 0");
  if(write(fd, "ab", 2) != 2)
    FAIL("write after O_TRUNC failed");
  close(fd);
  if(readfile("ct", buf, 10) != 2 || memcmp(buf, "ab", 2) != 0)
    FAIL("content after truncate and write is wrong");
  unlink("ct");
  return 0;
}

// Reads and writes move a per-open offset; reading at the end gives 0.
static int
readwrite(void)
{
  int fd1, fd2, i, n, total;

  fd1 = open("rw", O_CREATE | O_RDWR);
  if(fd1 < 0)
    FAIL("create failed");
  for(i = 0; i < 3000; i++)
    buf[i] = 'a' + i % 26;
  for(i = 0; i < 3000; i += 1000)
    if(write(fd1, buf + i, 1000) != 1000)
      FAIL("write %d failed", i / 1000);
  if(read(fd1, buf2, 10) != 0)
    FAIL("read at end of file did not return 0");
  fd2 = open("rw", O_RDONLY);
  total = 0;
  while((n = read(fd2, buf2 + total, 333)) > 0)
    total += n;
  if(total != 3000 || memcmp(buf, buf2, 3000) != 0)
    FAIL("read back %d bytes, or wrong content", total);
  if(read(fd2, buf2, 10) != 0)
    FAIL("second read at end did not return 0");
  close(fd1);
  close(fd2);
  unlink("rw");
  return 0;
}

// close and friends on descriptors that are not open.
static int
closebad(void)
{
  struct stat st;
  int fd;

  if(close(-1) != -1 || close(NOFILE) != -1 || close(NOFILE - 1) != -1 ||
     close(1000000) != -1)
    FAIL("close of an fd that is not open did not return -1");
  fd = open("/", O_RDONLY);
  if(close(fd) != 0)
    FAIL("close of an open fd failed");
  if(close(fd) != -1)
    FAIL("second close of an fd did not return -1");
  if(read(fd, buf, 1) != -1 || write(fd, "x", 1) != -1 ||
     fstat(fd, &st) != -1 || dup(fd) != -1)
    FAIL("calls on a closed fd did not return -1");
  if(read(-1, buf, 1) != -1 || write(NOFILE, "x", 1) != -1)
    FAIL("read/write on out-of-range fds did not return -1");
  return 0;
}

// dup gives the lowest free fd, sharing the file and its offset.
static int
dupfd(void)
{
  int fd, d;

  fd = open("du", O_CREATE | O_RDWR);
  if(fd < 0)
    FAIL("create failed");
  close(0);
  d = dup(fd);
  if(d != 0)
    FAIL("dup returned %d, not the lowest free fd 0", d);
  if(write(fd, "ab", 2) != 2 || write(d, "cd", 2) != 2)
    FAIL("write failed");
  close(fd);
  if(write(d, "ef", 2) != 2)
    FAIL("write through the dup after closing the original failed");
  close(d);
  if(readfile("du", buf, 10) != 6 || memcmp(buf, "abcdef", 6) != 0)
    FAIL("dup did not share the offset");
  unlink("du");
  return 0;
}

// A descriptor inherited across fork shares its offset too.
static int
forkfd(void)
{
  int fd, pid;

  fd = open("ff", O_CREATE | O_RDWR);
  if(fd < 0)
    FAIL("create failed");
  pid = fork();
  if(pid == 0){
    write(fd, "child", 5);
    exit(0);
  }
  if(waitpid(pid) != 0)
    FAIL("child failed");
  if(write(fd, "parent", 6) != 6)
    FAIL("write failed");
  close(fd);
  if(readfile("ff", buf, 20) != 11 || memcmp(buf, "childparent", 11) != 0)
    FAIL("parent's write did not follow the child's");
  unlink("ff");
  return 0;
}

// ---- fstat, mknod --------------------------------------------------------

static int
fstatfile(void)
{
  struct stat st, st2;
  int fd, p[2];

  memset(buf, 'x', 1234);
  if(writefile("fs1", buf, 1234) < 0 || writefile("fs2", "y", 1) < 0)
    FAIL("cannot write files");
  fd = open("fs1", O_RDONLY);
  if(fstat(fd, &st) < 0)
    FAIL("fstat failed");
  close(fd);
  if(st.type != T_FILE || st.size != 1234 || st.nlink != 1)
    FAIL("file: type %d size %d nlink %d, expected %d 1234 1", st.type,
         (int)st.size, st.nlink, T_FILE);
  if(stat("fs2", &st2) < 0 || st2.ino == st.ino)
    FAIL("two files share inode %d", st.ino);
  if(link("fs1", "fs3") < 0 || stat("fs3", &st2) < 0)
    FAIL("link failed");
  if(st2.ino != st.ino || st2.nlink != 2)
    FAIL("link: ino %d nlink %d, expected %d 2", st2.ino, st2.nlink, st.ino);
  if(stat("/console", &st) < 0 || st.type != T_DEVICE)
    FAIL("/console is not a device");
  if(pipe(p) < 0)
    FAIL("pipe failed");
  if(fstat(p[0], &st) != -1)
    FAIL("fstat of a pipe did not return -1");
  close(p[0]);
  close(p[1]);
  unlink("fs1");
  unlink("fs2");
  unlink("fs3");
  return 0;
}

// Directories: T_DIR, a size of whole entries, and a link count that
// counts the children's "..".
static int
fstatdir(void)
{
  struct stat st;

  if(mkdir("sd") < 0)
    FAIL("mkdir failed");
  if(stat("sd", &st) < 0 || st.type != T_DIR)
    FAIL("mkdir did not make a directory");
  if(st.size < 2 * sizeof(struct dirent) || st.size % sizeof(struct dirent))
    FAIL("directory size %d", (int)st.size);
  if(st.nlink != 1)
    FAIL("new directory has nlink %d, expected 1", st.nlink);
  if(mkdir("sd/a") < 0 || mkdir("sd/b") < 0)
    FAIL("mkdir of subdirectories failed");
  if(stat("sd", &st) < 0 || st.nlink != 3)
    FAIL("nlink with two subdirectories %d, expected 3", st.nlink);
  unlink("sd/a");
  if(stat("sd", &st) < 0 || st.nlink != 2)
    FAIL("nlink after removing one %d, expected 2", st.nlink);
  unlink("sd/b");
  if(unlink("sd") != 0)
    FAIL("unlink of the emptied directory failed");
  return 0;
}

// mknod makes device files; only major numbers below NDEV; a device
// with no driver opens but cannot be read or written.
static int
mknoddev(void)
{
  struct stat st;
  int fd;

  if(mknod("dv", 1, 0) != 0)
    FAIL("mknod of a console device failed");
  if(stat("dv", &st) < 0 || st.type != T_DEVICE)
    FAIL("mknod did not make a device");
  fd = open("dv", O_WRONLY);
  if(fd < 0 || write(fd, "", 0) != 0)
    FAIL("cannot open or write the new console device");
  close(fd);
  if(mknod("dv", 1, 0) != -1)
    FAIL("mknod over an existing name succeeded");
  if(mknod("dv2", NDEV, 0) != -1 || mknod("dv2", -1, 0) != -1)
    FAIL("mknod with an out-of-range major succeeded");
  if(exists("dv2"))
    FAIL("failed mknod left a file");
  if(mknod("dv3", 7, 0) != 0)
    FAIL("mknod of a driverless device failed");
  fd = open("dv3", O_RDWR);
  if(fd < 0)
    FAIL("cannot open a driverless device");
  if(read(fd, buf, 1) != -1 || write(fd, "x", 1) != -1)
    FAIL("i/o on a driverless device did not return -1");
  close(fd);
  if(unlink("dv") != 0 || unlink("dv3") != 0)
    FAIL("unlink of devices failed");
  return 0;
}

// ---- directories, links, paths ---------------------------------------------

static int
mkdirbasic(void)
{
  if(mkdir("md") != 0)
    FAIL("mkdir failed");
  if(mkdir("md") != -1)
    FAIL("mkdir of an existing name succeeded");
  if(mkdir("nosuchdir/x") != -1)
    FAIL("mkdir in a missing directory succeeded");
  if(writefile("md/f", "x", 1) < 0)
    FAIL("cannot create a file in the new directory");
  if(mkdir("md/f/x") != -1)
    FAIL("mkdir under a regular file succeeded");
  if(mkdir("md/e") != 0 || open("md/e", O_RDONLY) < 0)
    FAIL("nested mkdir failed");
  if(unlink("md") != -1)
    FAIL("unlink of a non-empty directory succeeded");
  if(unlink("md/e") != 0 || unlink("md/f") != 0 || unlink("md") != 0)
    FAIL("removal bottom-up failed");
  if(exists("md"))
    FAIL("directory still there");
  return 0;
}

static int
linkbasic(void)
{
  struct stat st;
  int fd;

  if(writefile("la", "abcdef", 6) < 0)
    FAIL("cannot write la");
  if(link("la", "lb") != 0)
    FAIL("link failed");
  fd = open("lb", O_RDWR);
  if(fd < 0 || write(fd, "XYZ", 3) != 3)
    FAIL("write through the second name failed");
  close(fd);
  if(readfile("la", buf, 10) != 6 || memcmp(buf, "XYZdef", 6) != 0)
    FAIL("write through one name not seen through the other");
  if(unlink("la") != 0)
    FAIL("unlink of the first name failed");
  if(exists("la"))
    FAIL("unlinked name still resolves");
  if(stat("lb", &st) < 0 || st.nlink != 1 || st.size != 6)
    FAIL("second name: nlink %d size %d", st.nlink, (int)st.size);
  if(readfile("lb", buf, 10) != 6 || memcmp(buf, "XYZdef", 6) != 0)
    FAIL("data lost with the first name");
  unlink("lb");
  return 0;
}

static int
linkerrors(void)
{
  struct stat st;

  if(writefile("le", "x", 1) < 0 || writefile("le2", "y", 1) < 0 ||
     mkdir("led") < 0)
    FAIL("setup failed");
  if(link("lemissing", "lex") != -1)
    FAIL("link of a missing file succeeded");
  if(link("le", "le") != -1 || link("le", "le2") != -1)
    FAIL("link onto an existing name succeeded");
  if(link("led", "lex") != -1)
    FAIL("link of a directory succeeded");
  if(link("le", "nosuchdir/lex") != -1)
    FAIL("link into a missing directory succeeded");
  if(exists("lex"))
    FAIL("a failed link left a name");
  if(stat("le", &st) < 0 || st.nlink != 1)
    FAIL("failed links changed nlink to %d", st.nlink);
  if(link("le", "led/lex") != 0 || stat("le", &st) < 0 || st.nlink != 2)
    FAIL("link into a subdirectory failed");
  unlink("led/lex");
  unlink("led");
  unlink("le");
  unlink("le2");
  return 0;
}

static int
unlinkbasic(void)
{
  struct stat st;

  if(unlink("ulmissing") != -1)
    FAIL("unlink of a missing name succeeded");
  if(writefile("ul", "data", 4) < 0)
    FAIL("cannot write ul");
  if(unlink("ul") != 0)
    FAIL("unlink failed");
  if(open("ul", O_RDONLY) != -1)
    FAIL("open after unlink succeeded");
  if(unlink("ul") != -1)
    FAIL("second unlink succeeded");
  if(writefile("ul", "", 0) < 0 || stat("ul", &st) < 0 || st.size != 0)
    FAIL("recreated name is not a new empty file");
  unlink("ul");
  return 0;
}

// "." and ".." can never be unlinked, and a non-empty directory can't.
static int
unlinkdots(void)
{
  struct stat st;

  if(mkdir("ud") < 0 || writefile("ud/f", "x", 1) < 0)
    FAIL("setup failed");
  if(unlink("ud/.") != -1 || unlink("ud/..") != -1 ||
     unlink(".") != -1 || unlink("..") != -1)
    FAIL("unlink of . or .. succeeded");
  if(unlink("ud") != -1)
    FAIL("unlink of a non-empty directory succeeded");
  if(stat("ud", &st) < 0 || st.type != T_DIR || countentries("ud") != 3)
    FAIL("the directory was damaged");
  unlink("ud/f");
  if(unlink("ud") != 0)
    FAIL("unlink of the emptied directory failed");
  return 0;
}

static int
chdirbasic(void)
{
  struct stat st1, st2;

  if(mkdir("cd") < 0)
    FAIL("mkdir failed");
  if(chdir("cd") != 0)
    FAIL("chdir failed");
  if(writefile("f", "in cd", 5) < 0)
    FAIL("cannot create a file in the new cwd");
  if(chdir("..") != 0)
    FAIL("chdir .. failed");
  if(readfile("cd/f", buf, 10) != 5)
    FAIL("file created after chdir is not in the directory");
  if(chdir("cd/f") != -1)
    FAIL("chdir to a file succeeded");
  if(chdir("cdmissing") != -1)
    FAIL("chdir to a missing directory succeeded");
  if(chdir("/") != 0 || stat(".", &st1) < 0 || stat("..", &st2) < 0)
    FAIL("chdir / failed");
  if(st1.ino != st2.ino)
    FAIL("in /, . and .. differ");
  if(readfile(SCRATCH "/cd/f", buf, 10) != 5 ||
     readfile("ut/cd/f", buf, 10) != 5 || readfile("cd/f", buf, 10) != -1)
    FAIL("paths from / do not reach the file");
  if(chdir(SCRATCH "/cd") != 0 || readfile("f", buf, 10) != 5)
    FAIL("absolute chdir failed");
  chdir(SCRATCH);
  unlink("cd/f");
  unlink("cd");
  return 0;
}

// Paths with ., .., repeated and trailing slashes name what they say.
static int
paths(void)
{
  static char *names[] = {
    "pa/f", "./pa/f", "pa/./f", "pa/../pa/f", "pa//f", "./pa/./../pa//f",
    SCRATCH "/pa/f", "//ut///pa/f", "/../ut/pa/f", "pa/sub/../f",
  };
  struct stat st, st2;
  int i;

  if(mkdir("pa") < 0 || mkdir("pa/sub") < 0 || writefile("pa/f", "x", 1) < 0)
    FAIL("setup failed");
  if(stat("pa/f", &st) < 0)
    FAIL("stat failed");
  for(i = 0; i < NELEM(names); i++)
    if(stat(names[i], &st2) < 0 || st2.ino != st.ino)
      FAIL("%s does not name pa/f", names[i]);
  if(stat("/", &st) < 0 || stat("/..", &st2) < 0 || st.ino != st2.ino ||
     stat("/.", &st2) < 0 || st.ino != st2.ino)
    FAIL("/.. or /. is not /");
  if(stat("pa/sub/..", &st) < 0 || stat("pa", &st2) < 0 || st.ino != st2.ino)
    FAIL("pa/sub/.. is not pa");
  if(stat("pa/f/..", &st) != -1 || stat("pa/f/x", &st) != -1)
    FAIL("a regular file was walked through as a directory");
  unlink("pa/f");
  unlink("pa/sub");
  unlink("pa");
  return 0;
}

// An empty path names no new file.
static int
emptypath(void)
{
  if(mkdir("") != -1 || unlink("") != -1 || open("", O_CREATE | O_RDWR) != -1)
    FAIL("create or unlink of the empty path succeeded");
  if(mknod("", 1, 0) != -1 || link("/README", "") != -1)
    FAIL("mknod or link to the empty path succeeded");
  return 0;
}

// ---- bigger things -------------------------------------------------------

// A file of several MiB, written in 8 KiB chunks with a pattern that
// differs in every word, read back in odd-sized chunks; its pages go
// back when it is removed.
#define BIGSIZE (4*1024*1024 + 100)
static int
bigfile(void)
{
  int fd, i, n, off, chunk;
  uint *w;
  uint64 f0, f1;

  settle();
  f0 = freepages();
  fd = open("big", O_CREATE | O_WRONLY);
  if(fd < 0)
    FAIL("create failed");
  w = (uint*)buf;
  for(off = 0; off < BIGSIZE; off += n){
    for(i = 0; i < sizeof buf / 4; i++)
      w[i] = (off / 4 + i) * 2654435761U;
    n = BIGSIZE - off < sizeof buf ? BIGSIZE - off : sizeof buf;
    if(write(fd, buf, n) != n)
      FAIL("write at %d failed", off);
  }
  close(fd);
  f1 = freepages();
  if(f0 - f1 < BIGSIZE / PGSIZE)
    FAIL("a %d-byte file took only %lu pages", BIGSIZE, f0 - f1);
  fd = open("big", O_RDONLY);
  chunk = 3000;   // a multiple of 4 that does not divide a page
  for(off = 0; ; off += n){
    n = read(fd, buf, chunk);
    if(n < 0)
      FAIL("read at %d failed", off);
    if(n == 0)
      break;
    w = (uint*)buf;
    for(i = 0; i < n / 4; i++)
      if(w[i] != (off / 4 + i) * 2654435761U)
        FAIL("wrong data at offset %d", off + 4*i);
  }
  close(fd);
  if(off != BIGSIZE)
    FAIL("read back %d bytes, expected %d", off, BIGSIZE);
  if(unlink("big") != 0)
    FAIL("unlink failed");
  if(freepages() != f0)
    FAIL("free pages %lu after removing the file, %lu before",
         freepages(), f0);
  return 0;
}

// O_TRUNC gives a big file's pages back at once.
static int
truncbig(void)
{
  uint64 f0, f1;
  int fd, i;

  settle();
  f0 = freepages();
  memset(buf, 't', sizeof buf);
  fd = open("tb", O_CREATE | O_WRONLY);
  for(i = 0; i < 50; i++)
    if(write(fd, buf, sizeof buf) != sizeof buf)
      FAIL("write failed");
  close(fd);
  f1 = freepages();
  fd = open("tb", O_TRUNC | O_RDWR);
  if(fd < 0)
    FAIL("O_TRUNC open failed");
  if(freepages() < f1 + 100)
    FAIL("truncate gave back %lu pages of a 400 KiB file",
         freepages() - f1);
  write(fd, "new", 3);
  close(fd);
  if(readfile("tb", buf, 10) != 3 || memcmp(buf, "new", 3) != 0)
    FAIL("content after truncate is wrong");
  unlink("tb");
  if(freepages() != f0)
    FAIL("pages lost: %lu before, %lu after", f0, freepages());
  return 0;
}

// Hundreds of files in one directory, each with its own content.
#define NMANY 300
static int
manyfiles(void)
{
  char name[32], want[32];
  int i, n;

  if(mkdir("many") < 0)
    FAIL("mkdir failed");
  for(i = 0; i < NMANY; i++){
    snprintf(name, sizeof name, "many/f%d", i);
    snprintf(want, sizeof want, "file %d", i);
    if(writefile(name, want, strlen(want)) < 0)
      FAIL("cannot create %s", name);
  }
  if((n = countentries("many")) != NMANY + 2)
    FAIL("directory has %d entries, expected %d", n, NMANY + 2);
  for(i = NMANY - 1; i >= 0; i--){
    snprintf(name, sizeof name, "many/f%d", i);
    snprintf(want, sizeof want, "file %d", i);
    n = readfile(name, buf, sizeof buf);
    if(n != strlen(want) || memcmp(buf, want, n) != 0)
      FAIL("%s has the wrong content", name);
  }
  if(unlink("many") != -1)
    FAIL("unlink of the full directory succeeded");
  for(i = 0; i < NMANY; i++){
    snprintf(name, sizeof name, "many/f%d", i);
    if(unlink(name) != 0)
      FAIL("unlink %s failed", name);
  }
  if((n = countentries("many")) != 2)
    FAIL("%d entries left after removing all files", n);
  if(unlink("many") != 0)
    FAIL("unlink of the emptied directory failed");
  return 0;
}

// A tree DEPTH directories deep, made and walked with chdir, then
// removed bottom-up; removal out of order fails.
#define DEPTH 12
static int
dirtree(void)
{
  struct stat st;
  uint ino[DEPTH + 1];
  char path[MAXPATH];
  int i, n;

  if(stat(".", &st) < 0)
    FAIL("stat . failed");
  ino[0] = st.ino;
  for(i = 1; i <= DEPTH; i++){
    if(mkdir("t") != 0 || chdir("t") != 0)
      FAIL("mkdir/chdir at depth %d failed", i);
    if(stat(".", &st) < 0)
      FAIL("stat . failed");
    ino[i] = st.ino;
  }
  if(writefile("leaf", "deep", 4) < 0)
    FAIL("cannot create the leaf");
  for(i = DEPTH - 1; i >= 0; i--){
    if(chdir("..") != 0 || stat(".", &st) < 0 || st.ino != ino[i])
      FAIL("chdir .. at depth %d went to the wrong place", i + 1);
  }
  // path of the leaf: t/t/.../leaf
  n = 0;
  for(i = 0; i < DEPTH; i++){
    memmove(path + n, "t/", 2);
    n += 2;
  }
  strcpy(path + n, "leaf");
  if(readfile(path, buf, 10) != 4)
    FAIL("leaf not reachable by a relative path");
  if(unlink("t") != -1)
    FAIL("unlink of the non-empty top succeeded");
  if(unlink(path) != 0)
    FAIL("unlink of the leaf failed");
  for(i = DEPTH; i > 0; i--){
    path[2*i - 1] = 0;   // t/t/.../t with i components
    if(i > 1){
      path[2*i - 3] = 0;
      if(unlink(path) != -1)
        FAIL("unlink of non-empty directory at depth %d succeeded", i - 1);
      path[2*i - 3] = '/';
    }
    if(unlink(path) != 0)
      FAIL("unlink of empty directory at depth %d failed", i);
  }
  if(exists("t"))
    FAIL("top of the tree still exists");
  return 0;
}

// An unlinked file stays readable (and writable) through descriptors
// opened before; its pages go when the last one closes.
static int
unlinkopen(void)
{
  struct stat st;
  int fd, fd2, i;
  uint64 f0, f1;

  settle();
  f0 = freepages();
  for(i = 0; i < 5000; i++)
    buf[i] = i % 199;
  if(writefile("uo", buf, 5000) < 0)
    FAIL("cannot write uo");
  fd = open("uo", O_RDONLY);
  fd2 = open("uo", O_RDWR);
  if(fd < 0 || fd2 < 0)
    FAIL("open failed");
  if(unlink("uo") != 0)
    FAIL("unlink failed");
  if(exists("uo"))
    FAIL("name still resolves after unlink");
  if(fstat(fd, &st) < 0 || st.nlink != 0 || st.size != 5000)
    FAIL("unlinked open file: nlink %d size %d", st.nlink, (int)st.size);
  if(write(fd2, "ZZ", 2) != 2)
    FAIL("write to the unlinked file failed");
  close(fd2);
  if(read(fd, buf2, sizeof buf2) != 5000)
    FAIL("could not read the unlinked file's data");
  if(buf2[0] != 'Z' || buf2[1] != 'Z' || memcmp(buf + 2, buf2 + 2, 4998))
    FAIL("unlinked file's data changed");
  f1 = freepages();
  close(fd);
  if(freepages() < f1 + 2 || freepages() != f0)
    FAIL("closing the last fd freed %lu pages; %lu before, %lu now",
         freepages() - f1, f0, freepages());
  return 0;
}

// Several processes creating, writing and removing files at once, in
// their own names and in shared ones.
#define NWORKER 5
static int
concurrentfs(void)
{
  char name[32], mine[64], got[64];
  int i, k, pid, fd, n, st;

  for(i = 0; i < NWORKER; i++){
    pid = fork();
    if(pid < 0)
      FAIL("fork failed");
    if(pid == 0){
      memset(mine, 'A' + i, sizeof mine);
      for(k = 0; k < 30; k++){
        snprintf(name, sizeof name, "cw%d_%d", i, k);
        if(writefile(name, mine, sizeof mine) < 0)
          exit(1);
        // shared names: whole writes of one worker each
        snprintf(name, sizeof name, "cs%d", k % 3);
        fd = open(name, O_CREATE | O_WRONLY);
        if(fd < 0 || write(fd, mine, sizeof mine) != sizeof mine)
          exit(2);
        close(fd);
        // a name everybody creates and removes: either may fail
        fd = open("csrace", O_CREATE | O_RDWR);
        if(fd >= 0){
          write(fd, mine, 10);
          close(fd);
        }
        unlink("csrace");
      }
      for(k = 0; k < 30; k++){
        snprintf(name, sizeof name, "cw%d_%d", i, k);
        if(readfile(name, got, sizeof got) != sizeof mine ||
           memcmp(got, mine, sizeof mine) != 0)
          exit(3);
        if(unlink(name) != 0)
          exit(4);
      }
      exit(0);
    }
  }
  for(i = 0; i < NWORKER; i++){
    st = -1;
    if(wait(&st) < 0 || st != 0)
      FAIL("a worker failed with status %d", st);
  }
  for(k = 0; k < 3; k++){
    snprintf(name, sizeof name, "cs%d", k);
    n = readfile(name, got, sizeof got);
    if(n != sizeof got)
      FAIL("shared file %s has %d bytes, expected %d", name, n,
           (int)sizeof got);
    for(i = 1; i < n; i++)
      if(got[i] != got[0] || got[0] < 'A' || got[0] >= 'A' + NWORKER)
        FAIL("shared file %s mixes writes: byte %d", name, i);
    unlink(name);
  }
  unlink("csrace");
  if((n = countentries(".")) != 2)
    FAIL("%d entries left in the scratch directory", n);
  return 0;
}

// Processes racing to create and remove the same names: every name
// ends up a whole file or absent, and nothing else is left.
static int
concreate(void)
{
  char name[16];
  struct stat st;
  int i, k, r, pid, fd, n;

  if(mkdir("cc") < 0)
    FAIL("mkdir failed");
  for(i = 0; i < 4; i++){
    pid = fork();
    if(pid < 0)
      FAIL("fork failed");
    if(pid == 0){
      for(r = 0; r < 4; r++){
        for(k = 0; k < 20; k++){
          snprintf(name, sizeof name, "cc/n%d", k);
          if((k + i + r) % 3 == 0){
            unlink(name);
          } else if((k + i) % 4 == 1){
            link("cc/n0", name);
          } else {
            fd = open(name, O_CREATE | O_RDWR);
            if(fd >= 0)
              close(fd);
          }
        }
      }
      exit(0);
    }
  }
  for(i = 0; i < 4; i++)
    if(wait(&r) < 0 || r != 0)
      FAIL("a racer failed");
  for(k = 0; k < 20; k++){
    snprintf(name, sizeof name, "cc/n%d", k);
    if(stat(name, &st) == 0){
      if(st.type != T_FILE || st.nlink < 1)
        FAIL("%s: type %d nlink %d", name, st.type, st.nlink);
      if(unlink(name) != 0)
        FAIL("cannot remove %s", name);
    }
  }
  if((n = countentries("cc")) != 2)
    FAIL("%d entries left after removing all names", n);
  if(unlink("cc") != 0)
    FAIL("cannot remove cc");
  return 0;
}

// ---- pipes ---------------------------------------------------------------

// Many times the pipe's buffer, in chunks of mismatched sizes.
#define PIPEBYTES 50000
static int
pipebig(void)
{
  int p[2], pid, i, n, total;

  if(pipe(p) < 0)
    FAIL("pipe failed");
  pid = fork();
  if(pid == 0){
    close(p[0]);
    for(total = 0; total < PIPEBYTES; total += n){
      n = PIPEBYTES - total < 1234 ? PIPEBYTES - total : 1234;
      for(i = 0; i < n; i++)
        buf[i] = (total + i) % 251;
      if(write(p[1], buf, n) != n)
        exit(1);
    }
    exit(0);
  }
  close(p[1]);
  for(total = 0; (n = read(p[0], buf, 777)) > 0; total += n)
    for(i = 0; i < n; i++)
      if(buf[i] != (char)((total + i) % 251))
        FAIL("wrong byte at %d", total + i);
  close(p[0]);
  if(n < 0)
    FAIL("read failed after %d bytes", total);
  if(total != PIPEBYTES)
    FAIL("received %d bytes, expected %d", total, PIPEBYTES);
  if(waitpid(pid) != 0)
    FAIL("writer failed");
  return 0;
}

// The reader sees the data, then end of file once every write end is
// closed: its own and the child's.
static int
pipeeof(void)
{
  int p[2], pid;

  if(pipe(p) < 0)
    FAIL("pipe failed");
  pid = fork();
  if(pid == 0){
    sleep(3);
    write(p[1], "late", 4);
    exit(0);
  }
  write(p[1], "0123456789", 10);
  close(p[1]);
  if(read(p[0], buf, 10) != 10 || memcmp(buf, "0123456789", 10) != 0)
    FAIL("first read did not return the 10 bytes");
  if(read(p[0], buf, 100) != 4 || memcmp(buf, "late", 4) != 0)
    FAIL("read returned before the child's write end closed");
  if(read(p[0], buf, 100) != 0)
    FAIL("no end of file after every writer closed");
  close(p[0]);
  if(waitpid(pid) != 0)
    FAIL("child failed");
  return 0;
}

// Writing with no reader left returns -1 (there are no signals), also
// for a writer blocked on a full pipe when the last reader goes.
static int
pipenoreader(void)
{
  int p[2], pid, r;

  if(pipe(p) < 0)
    FAIL("pipe failed");
  close(p[0]);
  if(write(p[1], "x", 1) != -1)
    FAIL("write with the read end closed did not return -1");
  close(p[1]);
  if(pipe(p) < 0)
    FAIL("pipe failed");
  pid = fork();
  if(pid == 0){
    close(p[1]);
    read(p[0], buf, 10);
    exit(0);
  }
  close(p[0]);
  r = write(p[1], buf2, sizeof buf2);   // fills the pipe, then the reader goes
  close(p[1]);
  if(waitpid(pid) != 0)
    FAIL("reader failed");
  if(r != -1)
    FAIL("write blocked when the reader left returned %d, not -1", r);
  return 0;
}

// A counter passed back and forth between parent and child.
static int
pipepingpong(void)
{
  int a[2], b[2], pid, i, v;

  if(pipe(a) < 0 || pipe(b) < 0)
    FAIL("pipe failed");
  pid = fork();
  if(pid == 0){
    close(a[1]);
    close(b[0]);
    for(;;){
      if(read(a[0], &v, sizeof v) != sizeof v)
        exit(0);
      v++;
      write(b[1], &v, sizeof v);
    }
  }
  close(a[0]);
  close(b[1]);
  v = 0;
  for(i = 0; i < 200; i++){
    write(a[1], &v, sizeof v);
    if(read(b[0], &v, sizeof v) != sizeof v)
      FAIL("child stopped answering at round %d", i);
    v++;
  }
  close(a[1]);
  close(b[0]);
  if(waitpid(pid) != 0)
    FAIL("child failed");
  if(v != 400)
    FAIL("counter is %d, expected 400", v);
  return 0;
}

// ---- limits --------------------------------------------------------------

// Fork until the process table is full: fork returns -1, every child
// is reaped, and fork works again.
static int
forkfull(void)
{
  int p[2], n, pid, st;
  char c;

  if(pipe(p) < 0)
    FAIL("pipe failed");
  for(n = 0; n < NPROC + 10; n++){
    pid = fork();
    if(pid < 0)
      break;
    if(pid == 0){
      close(p[1]);
      read(p[0], &c, 1);
      exit(7);
    }
  }
  close(p[1]);
  close(p[0]);
  for(int i = 0; i < n; i++)
    if(wait(&st) < 0 || st != 7)
      FAIL("child %d of %d not reaped with status 7", i, n);
  if(pid >= 0)
    FAIL("%d forks all succeeded: the table never filled", n);
  if(n < NPROC / 2)
    FAIL("fork failed after only %d children", n);
  if(wait(0) != -1)
    FAIL("more children than forks");
  pid = fork();
  if(pid == 0)
    exit(0);
  if(pid < 0 || waitpid(pid) != 0)
    FAIL("fork after the table was full failed");
  return 0;
}

// Grow with sbrk until memory is out: sbrk returns -1, the kernel
// survives with no memory left (fork, pipe and file writes fail
// cleanly), and the memory comes back when given back.
static int
sbrkoom(void)
{
  uint64 f0, total, step;
  char *a, *start;
  int fd, pid, p[2];
  struct vmstat st;

  f0 = freepages();
  if(vmstat(VM_SYSTEM, &st) != 0)
    FAIL("vmstat failed");
  uint64 failed0 = st.alloc_failures;
  start = sbrk(0);
  total = 0;
  for(step = 1024*1024; step >= PGSIZE; step /= 4){
    while((a = sbrk(step)) != (char*)-1){
      if(a != start + total)
        FAIL("sbrk returned %p, expected %p", a, start + total);
      a[0] = 1;
      a[step - 1] = 2;
      total += step;
    }
  }
  // nearly every free page: a few hold the new page-table pages
  if(total / PGSIZE < f0 * 9 / 10)
    FAIL("only %lu of %lu free pages could be allocated", total / PGSIZE, f0);
  if(freepages() > 8)
    FAIL("%lu pages still free after sbrk failed", freepages());
  // vmstat counts the allocations that found memory out (cowfuzz
  // tells a round that ran short of memory by it)
  if(vmstat(VM_SYSTEM, &st) != 0 || st.alloc_failures <= failed0)
    FAIL("alloc_failures did not count sbrk's failed allocations");
  // out of memory everywhere
  pid = fork();
  if(pid == 0)
    exit(0);
  if(pid > 0)
    waitpid(pid);
  if(pipe(p) == 0){
    close(p[0]);
    close(p[1]);
  }
  fd = open("oom", O_CREATE | O_WRONLY);
  if(fd >= 0){
    write(fd, buf, sizeof buf);
    close(fd);
    unlink("oom");
  }
  if(start[0] != 1 || start[total - 1] != 2)
    FAIL("memory changed while memory was out");
  if(sbrk(-total) == (char*)-1)
    FAIL("giving the memory back failed");
  // everything comes back, page-table pages included; the directory
  // may keep a page it grew for "oom" (directories never shrink)
  if(freepages() + 1 < f0)
    FAIL("only %lu of %lu pages came back", freepages(), f0);
  pid = fork();
  if(pid == 0)
    exit(0);
  if(pid < 0 || waitpid(pid) != 0)
    FAIL("fork after memory came back failed");
  return 0;
}

// exec of things that are not programs returns -1.
static int
execbad(void)
{
  char *argv[] = { "x", 0 };
  int st;

  if((st = tryexec("nosuchprogram", argv)) != EXECFAIL)
    FAIL("exec of a missing file: status %d", st);
  if((st = tryexec("/README", argv)) != EXECFAIL)
    FAIL("exec of a text file: status %d", st);
  if((st = tryexec(".", argv)) != EXECFAIL)
    FAIL("exec of a directory: status %d", st);
  writefile("empty", "", 0);
  st = tryexec("empty", argv);
  unlink("empty");
  if(st != EXECFAIL)
    FAIL("exec of an empty file: status %d", st);
  if((st = tryexec("/console", argv)) != EXECFAIL)
    FAIL("exec of a device: status %d", st);
  return 0;
}

// Bad pointers given to the file system calls: -1 every time, nothing
// created, the process and the kernel fine.
static int
badptrs(void)
{
  static uint64 bad[] = {
    0, 100,   // null and near it: page 0 is never mapped
    0x80000000UL, 0x80000000UL + 12345, 0x3fffffe000UL, 0x3ffffff000UL,
    MAXVA, 0xffffffff80000000UL, 0xffffffffffffff00UL,
    0,   // set to the break + 1 MiB below
  };
  char *argv[] = { "echo", 0, 0 };
  struct stat st;
  int i, fd;
  char *b;

  bad[NELEM(bad) - 1] = (uint64)sbrk(0) + 0x100000;
  fd = open("bp", O_CREATE | O_RDWR);
  if(fd < 0)
    FAIL("create failed");
  write(fd, "0123456789", 10);
  close(fd);
  fd = open("bp", O_RDWR);
  for(i = 0; i < NELEM(bad); i++){
    b = (char*)bad[i];
    if(open(b, O_RDONLY) != -1 || open(b, O_CREATE | O_RDWR) != -1 ||
       mkdir(b) != -1 || mknod(b, 1, 0) != -1 || unlink(b) != -1 ||
       chdir(b) != -1 || link(b, "bpl") != -1 || link("bp", b) != -1)
      FAIL("a path call with %p did not return -1", b);
    if(read(fd, b, 5) != -1 || write(fd, b, 5) != -1)
      FAIL("read/write with %p did not return -1", b);
    if(fstat(fd, (struct stat*)b) != -1 || pipe((int*)b) != -1)
      FAIL("fstat/pipe into %p did not return -1", b);
    if(tryexec(b, argv) != EXECFAIL || tryexec("/echo", (char**)b) != EXECFAIL)
      FAIL("exec with %p did not fail", b);
    argv[1] = b;   // (a null argv[1] just ends the list)
    if(b != 0 && tryexec("/echo", argv) != EXECFAIL)
      FAIL("exec with argument %p did not fail", b);
    argv[1] = 0;
  }
  // writes into read-only text
  if(read(fd, (char*)(uint64)freepages, 5) != -1)
    FAIL("read into text did not return -1");
  if(fstat(fd, (struct stat*)(uint64)freepages) != -1 ||
     pipe((int*)(uint64)freepages) != -1)
    FAIL("fstat/pipe into text did not return -1");
  if(fstat(fd, &st) < 0 || st.size != 10)
    FAIL("file changed by bad calls");
  close(fd);
  if(exists("bpl"))
    FAIL("a bad link created a file");
  unlink("bp");
  if(open("/", O_RDONLY) != 3)
    FAIL("descriptors leaked by bad calls");
  return 0;
}

// Make path a name of the file lp that is len bytes long:
// "./././.../lp", with one doubled slash if len is odd.
static void
padpath(char *path, int len)
{
  int n;

  for(n = 0; n + 2 + 2 + len % 2 <= len; n += 2)
    memmove(path + n, "./", 2);
  strcpy(path + n, len % 2 ? "/lp" : "lp");
}

// Paths of MAXPATH bytes or more (NUL included) are refused, whatever
// they name; shorter ones work.
static int
longpath(void)
{
  static char path[400];
  int i;

  if(writefile("lp", "x", 1) < 0)
    FAIL("setup failed");
  padpath(path, MAXPATH - 1);
  if(strlen(path) != MAXPATH - 1)
    FAIL("test bug: path of %d bytes", strlen(path));
  if(readfile(path, buf, 10) != 1)
    FAIL("path of %d bytes did not work", MAXPATH - 1);
  padpath(path, MAXPATH);
  if(strlen(path) != MAXPATH)
    FAIL("test bug: path of %d bytes", strlen(path));
  if(open(path, O_RDONLY) != -1 || unlink(path) != -1)
    FAIL("open or unlink of a %d-byte path succeeded", MAXPATH);
  for(i = 0; i < 300; i++)
    path[i] = 'a' + i % 26;
  path[300] = 0;
  if(open(path, O_CREATE | O_RDWR) != -1 || mkdir(path) != -1 ||
     unlink(path) != -1 || chdir(path) != -1 || link("lp", path) != -1 ||
     link(path, "lp2") != -1 || mknod(path, 1, 0) != -1)
    FAIL("a call with a 300-byte path succeeded");
  if(tryexec(path, (char*[]){ "x", 0 }) != EXECFAIL)
    FAIL("exec with a 300-byte path did not fail");
  if(countentries(".") != 3 || !exists("lp"))
    FAIL("long paths created or removed something");
  unlink("lp");
  return 0;
}

// Names of DIRSIZ bytes are kept whole; longer names are refused (this
// kernel does not truncate them as xv6 does: fs.c skipelem()).
static int
longname(void)
{
  char n14[] = "abcdefghijklmn";
  char n15[] = "abcdefghijklmno";
  struct dirent de;
  int fd, found;

  if(strlen(n14) != DIRSIZ)
    FAIL("test bug");
  if(writefile(n14, "14", 2) < 0)
    FAIL("create of a %d-byte name failed", DIRSIZ);
  if(readfile(n14, buf, 10) != 2)
    FAIL("a %d-byte name cannot be read back", DIRSIZ);
  if(exists("abcdefghijklm"))
    FAIL("a shorter prefix names the file");
  if(open(n15, O_RDONLY) != -1)
    FAIL("a %d-byte name found the %d-byte one", DIRSIZ + 1, DIRSIZ);
  if(open(n15, O_CREATE | O_RDWR) != -1 || mkdir(n15) != -1 ||
     link(n14, n15) != -1 || mknod(n15, 1, 0) != -1)
    FAIL("a %d-byte name was accepted", DIRSIZ + 1);
  if(mkdir("ln") < 0 || writefile("ln/abcdefghijklmnopqrst", "x", 1) != -1 ||
     mkdir("abcdefghijklmnopq/x") != -1)
    FAIL("a long name inside a path was accepted");
  // the entry holds all 14 bytes, with no NUL
  fd = open(".", O_RDONLY);
  found = 0;
  while(read(fd, &de, sizeof de) == sizeof de)
    if(de.inum != 0 && memcmp(de.name, n14, DIRSIZ) == 0)
      found++;
  close(fd);
  if(found != 1)
    FAIL("%d directory entries hold the %d-byte name", found, DIRSIZ);
  if(countentries(".") != 4)
    FAIL("rejected names created entries");
  unlink(n14);
  unlink("ln");
  return 0;
}

// A process gets NOFILE descriptors; then open, dup and pipe return -1,
// and closing one lets the next call succeed. Many rounds, so leaked
// file-table entries (NFILE for the system) would show.
static int
fdlimit(void)
{
  int fds[NOFILE], n, i, r, p[2];

  for(r = 0; r < 20; r++){
    for(n = 0; n < NOFILE; n++){
      fds[n] = open("/", O_RDONLY);
      if(fds[n] < 0)
        break;
    }
    if(n != NOFILE - 3)
      FAIL("round %d: %d opens beyond fds 0-2, expected %d", r, n,
           NOFILE - 3);
    if(dup(0) != -1 || pipe(p) != -1)
      FAIL("dup or pipe with no fd left succeeded");
    close(fds[--n]);
    if(pipe(p) != -1)
      FAIL("pipe with one fd left succeeded");
    if((fds[n] = dup(0)) < 0)
      FAIL("dup after a close failed");
    close(fds[n--]);
    close(fds[n]);
    if(pipe(p) != 0)
      FAIL("pipe with two fds left failed");
    close(p[0]);
    close(p[1]);
    for(i = 0; i < n; i++)
      close(fds[i]);
  }
  if(open("/", O_RDONLY) != 3)
    FAIL("descriptors left open");
  return 0;
}

// Reading a directory gives its entries in order; it cannot be written.
static int
dirread(void)
{
  struct dirent de[4];
  int fd;

  if(mkdir("dr") < 0 || writefile("dr/a", "", 0) < 0 ||
     writefile("dr/b", "", 0) < 0)
    FAIL("setup failed");
  fd = open("dr", O_RDONLY);
  if(fd < 0 || read(fd, de, sizeof de) != sizeof de)
    FAIL("cannot read 4 entries");
  if(strcmp(de[0].name, ".") || strcmp(de[1].name, "..") ||
     strcmp(de[2].name, "a") || strcmp(de[3].name, "b"))
    FAIL("entries are %s %s %s %s", de[0].name, de[1].name, de[2].name,
         de[3].name);
  if(write(fd, de, sizeof de[0]) != -1)
    FAIL("write to a directory fd succeeded");
  close(fd);
  unlink("dr/a");
  unlink("dr/b");
  unlink("dr");
  return 0;
}

// ---- issue 17: limits a user program could break ---------------------------

// A file takes at most MAXLINK links: the next link() fails and changes
// nothing (nlink is 16 bits: without the limit it wrapped and a later
// unlink found a negative count).
static int
linkmax(void)
{
  char name[32];
  struct stat st;
  int i;

  // in a directory of its own, removed at the end with the pages that
  // its MAXLINK entries took (a directory never shrinks)
  if(mkdir("lm") < 0 || writefile("lm/f", "x", 1) < 0)
    FAIL("setup failed");
  for(i = 1; i < MAXLINK; i++){
    snprintf(name, sizeof name, "lm/%d", i);
    if(link("lm/f", name) != 0)
      FAIL("link %d of %d failed", i + 1, MAXLINK);
  }
  if(stat("lm/f", &st) < 0 || st.nlink != MAXLINK)
    FAIL("nlink %d after %d links, expected %d", st.nlink, MAXLINK, MAXLINK);
  if(link("lm/f", "lm/over") != -1 || link("lm/f", "lmover") != -1)
    FAIL("link number %d succeeded", MAXLINK + 1);
  if(exists("lm/over") || exists("lmover") || stat("lm/f", &st) < 0 ||
     st.nlink != MAXLINK)
    FAIL("the refused link left a name or changed nlink to %d", st.nlink);
  for(i = 1; i < MAXLINK; i++){
    snprintf(name, sizeof name, "lm/%d", i);
    if(unlink(name) != 0)
      FAIL("unlink %s failed", name);
  }
  if(stat("lm/f", &st) < 0 || st.nlink != 1)
    FAIL("nlink %d after removing the links, expected 1", st.nlink);
  if(unlink("lm/f") != 0 || unlink("lm") != 0)
    FAIL("cleanup failed");
  return 0;
}

// A directory's nlink counts its subdirectories' "..": at MAXLINK, mkdir
// in it fails and makes nothing.
static int
linkmaxdir(void)
{
  char name[32];
  struct stat st;
  int i;

  if(mkdir("lmd") < 0)
    FAIL("mkdir failed");
  for(i = 1; i < MAXLINK; i++){
    snprintf(name, sizeof name, "lmd/%d", i);
    if(mkdir(name) != 0)
      FAIL("subdirectory %d failed", i);
  }
  if(stat("lmd", &st) < 0 || st.nlink != MAXLINK)
    FAIL("nlink %d with %d subdirectories", st.nlink, MAXLINK - 1);
  if(mkdir("lmd/over") != -1)
    FAIL("subdirectory number %d succeeded", MAXLINK);
  if(exists("lmd/over") || countentries("lmd") != MAXLINK + 1)
    FAIL("the refused mkdir left an entry");
  if(writefile("lmd/file", "x", 1) < 0)
    FAIL("a file (no \"..\") could not be added");
  unlink("lmd/file");
  for(i = 1; i < MAXLINK; i++){
    snprintf(name, sizeof name, "lmd/%d", i);
    if(unlink(name) != 0)
      FAIL("unlink %s failed", name);
  }
  if(unlink("lmd") != 0)
    FAIL("unlink lmd failed");
  return 0;
}

// Nothing can be created in a directory that has been removed (it is
// somebody's cwd, or open): it would be lost for good, with its pages.
// Once the last reference goes, every page is back.
static int
rmdircwd(void)
{
  uint64 f0;
  int fd;

  if(writefile("rdfile", "x", 1) < 0)
    FAIL("setup failed");
  settle();
  f0 = freepages();
  if(mkdir("rd") < 0 || chdir("rd") < 0)
    FAIL("mkdir or chdir failed");
  if(unlink(SCRATCH "/rd") != 0)
    FAIL("unlink of the (empty) cwd failed");
  if((fd = open("f", O_CREATE | O_RDWR)) >= 0){
    write(fd, "hello\n", 6);
    close(fd);
    FAIL("created a file in a removed directory");
  }
  if(mkdir("d") != -1 || mknod("n", 1, 0) != -1 ||
     link(SCRATCH "/rdfile", "l") != -1)
    FAIL("mkdir, mknod or link in a removed directory succeeded");
  if((fd = open(".", O_RDONLY)) < 0)
    FAIL("the removed cwd cannot be opened");
  close(fd);
  if(chdir(SCRATCH) != 0)
    FAIL("chdir back failed");
  if(freepages() != f0)
    FAIL("free pages %lu before mkdir, %lu after the cwd went",
         f0, freepages());
  if(mkdir("rd2") < 0 || (fd = open("rd2", O_RDONLY)) < 0 ||
     unlink("rd2") != 0)
    FAIL("setup of an open removed directory failed");
  if(open("rd2/f", O_CREATE | O_RDWR) != -1)
    FAIL("a removed directory name still resolves");
  close(fd);
  if(freepages() != f0)
    FAIL("free pages %lu at the start, %lu at the end", f0, freepages());
  unlink("rdfile");
  return 0;
}

// A write that runs out of memory half way returns what it wrote, like
// Unix (-1 only if nothing was written), and the file grew by exactly
// that much.
#define WPPAGES 16
static int
writepartial(void)
{
  static char data[WPPAGES * PGSIZE];
  uint64 step, total;
  struct stat st;
  int fd, r, i;
  char *a;

  for(i = 0; i < sizeof data; i++)
    data[i] = i % 253;   // own every page before memory runs out
  settle();
  fd = open("wp", O_CREATE | O_RDWR);
  if(fd < 0)
    FAIL("create failed");
  total = 0;
  for(step = 1024*1024; step >= PGSIZE; step /= 4){
    while((a = sbrk(step)) != (char*)-1){
      a[0] = 1;
      total += step;
    }
  }
  // a few pages back: enough for part of the write, not all of it
  sbrk(-6 * PGSIZE);
  total -= 6 * PGSIZE;
  r = write(fd, data, sizeof data);
  if(fstat(fd, &st) < 0)
    FAIL("fstat failed");
  sbrk(-total);
  if(r <= 0 || r >= sizeof data)
    FAIL("write with memory for part of it returned %d (of %d)", r,
         (int)sizeof data);
  if(st.size != r)
    FAIL("write returned %d, the file grew by %d", r, (int)st.size);
  close(fd);
  if(readfile("wp", buf, sizeof buf) != (r < sizeof buf ? r : sizeof buf) ||
     memcmp(buf, data, r < sizeof buf ? r : sizeof buf) != 0)
    FAIL("the written part reads back wrong");
  if(unlink("wp") != 0)
    FAIL("unlink failed");
  return 0;
}

// poweroff refuses statuses a host could not tell apart: negative, over
// 255, and POWEROFF_PANIC, which the test tools read as a kernel panic.
static int
poweroffbad(void)
{
  static int bad[] = { POWEROFF_PANIC, -1, 256, 1000, -POWEROFF_PANIC,
                       256 + POWEROFF_PANIC };
  int i;

  for(i = 0; i < NELEM(bad); i++)
    if(poweroff(bad[i]) != -1)
      FAIL("poweroff(%d) did not return -1", bad[i]);
  return 0;
}

// No process can kill init (the kernel would panic "init exiting").
static int
killinit(void)
{
  if(kill(1) != -1)
    FAIL("kill(1) did not return -1");
  sleep(2);
  if(kill(1) != -1)
    FAIL("second kill(1) did not return -1");
  return 0;
}

// A child killed as it goes to sleep reading an empty pipe ends: the
// kill may land between the read's check of it and the sleep (the
// parent kills after a varying delay, so that some kills do). Before
// sleep_killable such a kill was lost and the child, and this test,
// hung (cowtest's killshared on 3 harts, once).
static int
killreader(void)
{
  int fds[2];
  char c;
  if(pipe(fds) < 0)
    FAIL("pipe failed");
  for(int i = 0; i < 400; i++){
    int pid = fork();
    if(pid < 0)
      FAIL("fork failed");
    if(pid == 0){
      read(fds[0], &c, 1);   // nobody writes: only the kill ends it
      exit(0);
    }
    for(volatile int spin = 0; spin < (i % 40) * 50; spin++)
      ;
    if(kill(pid) != 0)
      FAIL("kill(%d) failed", pid);
    int st;
    if(wait(&st) != pid || st != -1)
      FAIL("expected the killed reader to exit -1, got %d", st);
  }
  close(fds[0]);
  close(fds[1]);
  return 0;
}

// A write whose buffer runs from the program's memory into memory it
// does not have fails and writes nothing, to the console, a file or a
// pipe; a
// write of 0 bytes to a pipe without a reader returns 0; a pipe read into
// a buffer that ends early returns the bytes that fit (found by the long
// fuzz run).
static int
writebadtail(void)
{
  char *pages = sbrk(3 * 4096);
  char *buf = pages + 3 * 4096 - 100;   // the last 100 bytes of memory
  if(pages == (char*)-1)
    FAIL("sbrk failed");
  memset(pages, 'y', 3 * 4096);
  int fd, p[2];
  char c;
  struct stat st;

  memset(buf, 'x', 100);
  if(write(1, buf, 200) != -1)
    FAIL("console write of a buffer past the end of memory did not fail");
  fd = open("wbt", O_CREATE | O_RDWR | O_TRUNC);
  if(fd < 0)
    FAIL("create failed");
  if(write(fd, buf, 200) != -1)
    FAIL("write of a buffer past the end of memory did not fail");
  // pages of good data first, then the end of memory
  if(write(fd, pages, 3 * 4096 + 100) != -1)
    FAIL("write of pages running past the end of memory did not fail");
  if(fstat(fd, &st) < 0 || st.size != 0)
    FAIL("the failed write left %d bytes in the file", (int)st.size);
  if(write(fd, buf, 100) != 100)
    FAIL("write of the readable part failed");
  close(fd);
  unlink("wbt");
  if(pipe(p) < 0)
    FAIL("pipe failed");
  if(write(p[1], buf, 5000) != -1)
    FAIL("pipe write of a buffer past the end of memory did not fail");
  close(p[1]);
  if(read(p[0], &c, 1) != 0)
    FAIL("the failed pipe write left data in the pipe");
  close(p[0]);
  // a read into a buffer that ends early takes what fits before the end
  if(pipe(p) < 0)
    FAIL("pipe failed");
  if(write(p[1], pages, 100) != 100)
    FAIL("pipe write failed");
  if(read(p[0], pages + 3 * 4096 - 28, 100) != 28)
    FAIL("pipe read into a buffer with 28 good bytes did not return 28");
  close(p[0]);
  close(p[1]);
  if(pipe(p) < 0)
    FAIL("pipe failed");
  close(p[0]);
  if(write(p[1], buf, 0) != 0)
    FAIL("write of 0 bytes to a pipe without a reader did not return 0");
  if(write(p[1], buf, 1) != -1)
    FAIL("write of 1 byte to a pipe without a reader did not fail");
  close(p[1]);
  return 0;
}

// link(f, "f/x") with f a file: the new name's parent is f itself, not a
// directory. It must fail, not deadlock (the long fuzz run hung the
// kernel on it).
static int
linkintofile(void)
{
  int fd = open("lif", O_CREATE | O_RDWR);
  if(fd < 0)
    FAIL("create failed");
  close(fd);
  if(link("lif", "lif/x") != -1)
    FAIL("link under a file succeeded");
  if(link("lif", "lif/") != -1)
    FAIL("link to a file name with a slash succeeded");
  if(unlink("lif") != 0)
    FAIL("unlink failed");
  return 0;
}

static struct test tests[] = {
  { "linkintofile", linkintofile },
  { "writebadtail", writebadtail },
  { "openmodes", openmodes },
  { "createtrunc", createtrunc },
  { "readwrite", readwrite },
  { "closebad", closebad },
  { "dupfd", dupfd },
  { "forkfd", forkfd },
  { "fstatfile", fstatfile },
  { "fstatdir", fstatdir },
  { "mknoddev", mknoddev },
  { "mkdirbasic", mkdirbasic },
  { "linkbasic", linkbasic },
  { "linkerrors", linkerrors },
  { "unlinkbasic", unlinkbasic },
  { "unlinkdots", unlinkdots },
  { "chdirbasic", chdirbasic },
  { "paths", paths },
  { "emptypath", emptypath },
  { "bigfile", bigfile },
  { "truncbig", truncbig },
  { "manyfiles", manyfiles },
  { "dirtree", dirtree },
  { "unlinkopen", unlinkopen },
  { "concurrentfs", concurrentfs },
  { "concreate", concreate },
  { "pipebig", pipebig },
  { "pipeeof", pipeeof },
  { "pipenoreader", pipenoreader },
  { "pipepingpong", pipepingpong },
  { "forkfull", forkfull },
  { "sbrkoom", sbrkoom },
  { "execbad", execbad },
  { "badptrs", badptrs },
  { "longpath", longpath },
  { "longname", longname },
  { "fdlimit", fdlimit },
  { "dirread", dirread },
  { "linkmax", linkmax },
  { "linkmaxdir", linkmaxdir },
  { "rmdircwd", rmdircwd },
  { "writepartial", writepartial },
  { "poweroffbad", poweroffbad },
  { "killinit", killinit },
  { "killreader", killreader },
};

int
main(int argc, char *argv[])
{
  uint64 before;

  testsetup(tests, NELEM(tests), argc, argv);
  before = freepages();
  if(mkdir(SCRATCH) < 0 || chdir(SCRATCH) < 0){
    printf("FAIL setup: cannot make %s (left from an earlier run?)\n",
           SCRATCH);
    printf("usertests: 0 passed, 1 failed\n");
    exit(1);
  }
  runtests(tests, NELEM(tests), argc, argv);
  chdir("/");
  if(unlink(SCRATCH) < 0){
    printf("FAIL cleanup: %s not empty at the end\n", SCRATCH);
    nfail++;
  }
  endsuite("usertests", before);
}
