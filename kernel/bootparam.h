#ifndef BOOTPARAM_H
#define BOOTPARAM_H
// Boot parameters: the key=value words of the kernel command line
// (make qemu ARGS="..."). Every parameter is declared once, with its
// range and default, in a table: each policy has one (policy.h, the
// params field) and the mechanism has one (options.c). bootparam.c
// checks the command line against the tables and fills in the values;
// it compiles into the kernel and into the host tool that make runs
// before booting (user/bootcheck.c), so both reject the same input
// with the same message.

struct bootparam {
  const char *key;
  const char *doc;       // one line: what it does
  int *value;            // receives the value (the default if not given)
  int def;
  int min, max;          // integers: the range, inclusive
  int pow2;              // integers: must also be a power of two
  const char *choices;   // or words "a|b|c": *value is the word's index
};

// The key that names the policy; checked against the registry, not a table.
#define BOOTPARAM_POLICY "policy"

int bootparam_apply(const char *args, const struct bootparam *const *tables,
                    int ntables, char *err, int errlen);
int bootparam_describe(const struct bootparam *const *tables, int ntables,
                       char *out, int outlen);
#endif
