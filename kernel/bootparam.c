// Checking the kernel command line against the declared boot parameters
// (bootparam.h). Plain C with no kernel or libc calls, so that the host
// tool user/bootcheck.c runs the very same checks before make boots.
#include "types.h"
#include "bootparam.h"

// A bounded string builder for the messages.
struct msg {
  char *buf;
  int len, cap;
};

static void
put(struct msg *m, const char *s, int n)
{
  for(int i = 0; (n < 0 ? s[i] != 0 : i < n) && m->len + 1 < m->cap; i++)
    m->buf[m->len++] = s[i];
  if(m->cap > 0)
    m->buf[m->len] = 0;
}

static void
putint(struct msg *m, int v)
{
  char d[12];
  int n = 0;
  unsigned u = v < 0 ? -(unsigned)v : (unsigned)v;
  do {
    d[n++] = '0' + u % 10;
    u /= 10;
  } while(u);
  if(v < 0)
    put(m, "-", 1);
  while(n > 0)
    put(m, &d[--n], 1);
}

static int
same(const char *a, int alen, const char *b)
{
  int i = 0;
  for(; i < alen; i++)
    if(b[i] != a[i])
      return 0;
  return b[i] == 0;
}

// Describe one parameter: "key=min..max (default d)" or
// "key=a|b|c (default a)".
static void
describe(struct msg *m, const struct bootparam *p)
{
  put(m, p->key, -1);
  put(m, "=", 1);
  if(p->choices){
    put(m, p->choices, -1);
    put(m, " (default ", -1);
    const char *c = p->choices;
    for(int i = 0; i < p->def; i++){
      while(*c && *c != '|')
        c++;
      if(*c)
        c++;
    }
    int n = 0;
    while(c[n] && c[n] != '|')
      n++;
    put(m, c, n);
  } else {
    putint(m, p->min);
    put(m, "..", 2);
    putint(m, p->max);
    if(p->pow2)
      put(m, " power of two", -1);
    put(m, " (default ", -1);
    putint(m, p->def);
  }
  put(m, ")", 1);
}

// List every valid key, one table after the other.
int
bootparam_describe(const struct bootparam *const *tables, int ntables,
                   char *out, int outlen)
{
  struct msg m = { out, 0, outlen };
  put(&m, "", 0);
  int any = 0;
  for(int t = 0; t < ntables; t++){
    for(const struct bootparam *p = tables[t]; p && p->key; p++){
      if(any)
        put(&m, ", ", 2);
      describe(&m, p);
      any = 1;
    }
  }
  if(!any)
    put(&m, "(none)", -1);
  return m.len;
}

// Parse the value word v (n bytes) for p into *out. Returns 0 or -1.
static int
parse_value(const struct bootparam *p, const char *v, int n, int *out)
{
  if(p->choices){
    const char *c = p->choices;
    for(int idx = 0; *c; idx++){
      int len = 0;
      while(c[len] && c[len] != '|')
        len++;
      int eq = len == n;
      for(int i = 0; eq && i < n; i++)
        eq = c[i] == v[i];
      if(eq){
        *out = idx;
        return 0;
      }
      c += len;
      if(*c == '|')
        c++;
    }
    return -1;
  }
  int neg = n > 0 && v[0] == '-';
  if(n == neg || n - neg > 9)
    return -1;   // empty, or too long to be in any range we declare
  int x = 0;
  for(int i = neg; i < n; i++){
    if(v[i] < '0' || v[i] > '9')
      return -1;
    x = x * 10 + (v[i] - '0');
  }
  if(neg)
    x = -x;
  if(x < p->min || x > p->max)
    return -1;
  if(p->pow2 && (x <= 0 || (x & (x - 1)) != 0))
    return -1;
  *out = x;
  return 0;
}

#define MAXGIVEN 32   // keys remembered to catch one given twice

// Set every parameter of the tables to its default, then to the value
// given for it in args (the command line; the words after " -- " are a
// command, not parameters). Returns 0, or -1 with a one-line message
// in err for an unknown key, a bad value, a key given twice or a word
// that is not key=value. The key "policy" is left to the caller.
int
bootparam_apply(const char *args, const struct bootparam *const *tables,
                int ntables, char *err, int errlen)
{
  struct msg m = { err, 0, errlen };
  put(&m, "", 0);
  for(int t = 0; t < ntables; t++)
    for(const struct bootparam *p = tables[t]; p && p->key; p++)
      *p->value = p->def;

  const struct bootparam *given[MAXGIVEN];
  int ngiven = 0;
  const char *s = args;
  for(;;){
    while(*s == ' ')
      s++;
    if(*s == 0)
      return 0;
    const char *w = s;
    while(*s && *s != ' ')
      s++;
    int wlen = s - w;
    if(wlen == 2 && w[0] == '-' && w[1] == '-')
      return 0;   // the command follows
    int klen = 0;
    while(klen < wlen && w[klen] != '=')
      klen++;
    if(klen == wlen || klen == 0){
      put(&m, "boot argument '", -1);
      put(&m, w, wlen);
      put(&m, "' is not key=value", -1);
      return -1;
    }
    if(same(w, klen, BOOTPARAM_POLICY))
      continue;
    const struct bootparam *p = 0;
    for(int t = 0; t < ntables && p == 0; t++)
      for(const struct bootparam *q = tables[t]; q && q->key && p == 0; q++)
        if(same(w, klen, q->key))
          p = q;
    if(p == 0){
      put(&m, "unknown boot parameter '", -1);
      put(&m, w, klen);
      put(&m, "'; valid: ", -1);
      m.len += bootparam_describe(tables, ntables, m.buf + m.len, m.cap - m.len);
      return -1;
    }
    for(int i = 0; i < ngiven; i++){
      if(given[i] == p){
        put(&m, "boot parameter '", -1);
        put(&m, p->key, -1);
        put(&m, "' given twice", -1);
        return -1;
      }
    }
    if(ngiven < MAXGIVEN)
      given[ngiven++] = p;
    if(parse_value(p, w + klen + 1, wlen - klen - 1, p->value) < 0){
      put(&m, "bad value '", -1);
      put(&m, w + klen + 1, wlen - klen - 1);
      put(&m, "' for boot parameter ", -1);
      describe(&m, p);
      return -1;
    }
  }
}
