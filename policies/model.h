// What policies/test.c's host model offers the other host programs
// (policies/explore.c): a child of a fresh lineage writing a plan of
// pages, under any policy of the registry.
#ifndef MODEL_H
#define MODEL_H

// What a process did with its pages.
struct outcome {
  int faults, early, wasted, used;
  int skipped;   // faults not asked about (policy_skip_faults)
};

// A process of policy name (booted with args, "key=value ..."), alone
// (its first fork's child), writes plan[0..n) of npages pages.
struct outcome one_child(const char *name, const char *args, int npages,
                         const int *plan, int n);

// A run of len pages at [at, at + len) placed apart from the runs
// already in taken[] (not on them, nor right next to them): marks it
// taken and returns 1, or returns 0 if it would not be apart. taken[at
// - 1] and taken[at + len] must exist.
int run_place(char *taken, int at, int len);

// adaptive's default adaptive_trapcost: a trap, percent of a copy.
int adaptive_trapcost_default(void);

// policies/explore.c: the patterns of argv (all of them if argc is 0);
// returns the exit status.
int explore(int argc, char **argv);

// policies/explore.c: policy's cost on the pattern argv[0] (arguments
// argv[1..argc)) against cow's, or -1 if the words are refused.
double explore_cost(const char *policy, int argc, char **argv);

#endif
