// adaptive: copies early only what measured rates say will be written.
//
// The economics. An early copy that is written saves a COW fault (its
// trap) and costs nothing more, since the page had to be copied anyway;
// one never written costs a copy for nothing. So early copies pay while
// their precision (the fraction written) stays above break-even,
//   pstar = copy / (copy + trap) = 100 / (100 + adaptive_trapcost),
// and every rule below is a precision measured against pstar.
//
// At fork (per lineage, with history.c). Pages are predicted in
// classes: written since the last fork and repeatedly (score >= 2),
// written since the last fork for the first time, and the unwritten
// rest of a region whose written extent is nearly all written (so that
// a lineage writing nearly everything gets whole regions copied). Each
// class has its own rate: pages predicted, and predictions used, by the
// child or by a parent that writes the page after forking (whose fault
// the child's copy spares). A class is copied while its rate is at
// least pstar; one not copied starts only a quarter of the way from
// pstar to certainty (hysteresis: a class hovering at break-even does
// not flip at every fork). Without evidence, the repeated class is
// copied and the others are not; once pages written once have been
// judged, the repeated class starts from the rate they predict for it
// (hist_repeat: a page written twice by chance, among writes at random,
// is no likelier to be written again than any). A lineage all of whose
// classes fall below pstar (each on its own evidence, the repeated
// class's prior all used), or whose predictions earn less than learning
// costs (recording every fault, answering fork's questions:
// learning_pays), stops learning and predicting for a spell of forks
// that doubles each time it is found so again (learning noise costs
// every fault; the spells make it cost less and less); when a spell
// ends, the rates it began with (halved since) are asked first, and if
// they still say no the next spell begins without recording a child. A
// fork predicts only from writes recorded since the fork before it: a
// lineage records its processes' faults from its second fork on (a
// program that forks once never uses them), and that fork is told by
// the kernel instead what was written since the first (fork_written:
// the first child's writes and the parent's), so that it predicts from
// its second fork and copies from its third; one back from a quiet
// spell forgets what it recorded before the spell (a working set that
// drifted meanwhile is gone) and learns for one fork before it predicts
// again.
// The fault hook has a price too (hookcost: near, the call, the
// bookkeeping; some 80 instructions a fault it decides nothing about).
// A child forked in a quiet spell has only windows to gain from it; if
// the lineage's windows spared fewer faults than asking about them all
// cost (hush_pays), the kernel is told not to ask about the child's
// faults (policy_hush_faults); nor, until its next fork, about the
// parent's, if they record nothing either and it takes over no let-go
// windows that pay. The children that end each spell, and one fork in
// 8 drawn, are asked, and keep the evidence coming.
//
// Around a fault (per process). The kernel says how many pages next to
// the faulting one the process has written (near): written pages on one
// side only make a stream, upwards or downwards; none is a random write
// (no window, decided without a question), both a hole being filled.
// A fault as many pages (other than 1) from the last as each of the
// two steps between the faults before (a coincidence of random writes
// once in some million faults, not once in a thousand) is on a
// stride, a stream whose pages are that many apart (a table written
// column by column, a hash probed with a fixed step): it gets a window
// of pages as far apart, and takes precedence over the written
// neighbours (the order of the faults says best where the next ones
// fall). Streams need no slot to be recognised, so any number of them
// get windows; up to NWIN are followed, so that a stream's next fault
// finds its length and its window (two strides taking turns are not
// recognised: the steps between faults alternate). A stream that has
// written run pages gets, ahead of it,
//  - if the process has seen streams of its kind end as long as it is
//    now (lengths up to SURV pages counted; the last NLONG longer ones,
//    and the last NLONG strides', remembered apart: a table's passes
//    are alike, and say nothing of where a run of pages ends):
//    as many pages as it goes on to write with probability a quarter
//    of the way from pstar to 1, the counts weighed against
//    one more stream that ended where this one is now (a few lengths
//    are a sample);
//  - else sqrt(4 * trap/copy * run) * scale * its own precision (the
//    run says the stream may go on about as long again; the square root
//    balances the faults a wider window saves against the copies it
//    wastes where the stream ends), at most adaptive_window.
// A window is judged exactly when its stream comes back (how many of
// its pages were written, in a row or past holes: rule 16), or, if the
// stream made no progress between two looks, by a look at its pages
// (the stream ended there; one that comes back after all revises the
// judgement). Looks are NWIN faults
// apart at least, and twice as long as the streams it follows stay away
// between two of their own faults (many streams advancing in turn, or
// at random, are each away long: they have not ended). A stream's
// window none of whose pages were written four times as long after it
// was made as streams stay away is judged at the first look (its
// making was the look before), once a few streams came back to say how
// long they stay away: runs written one after another come back at
// once. (Not a stride's: its last window, past the end of a table's
// pass, is known by the lengths of passes.)
// A stream that came back to its due page went on: the pages of its
// window it passed over are holes in it, not its end, and lower its own
// precision (which scales its windows) but not the process's (a scan
// with holes does not shut every window). It is still followed when the
// hole is its window's last page (nothing written right behind its next
// fault) or the page its next fault was due at (the fault one past it,
// if the stream's precision is a quarter of the way from pstar to 1,
// looked for once the process showed a hole): rule 17. A process whose
// streams wrote fewer of the pages they came back past than pstar (its
// last adaptive_memory such pages, weighed against an eighth of that
// written) follows none but on a probe: its holes would waste more
// than its windows save.
// The other judged pages feed the process's precision P over its last
// adaptive_memory pages, and
//   scale = ((P - pstar) / (1 - pstar))^2, 0 below pstar:
// a window grows while precision stays high and shrinks as it falls
// (in proportion to the margin over break-even, which is what an early
// copy earns), and no single wasted page collapses it. While windows do
// not pay (scale 0), a probe (one stream-like fault in PROBE, drawn at
// random: a fixed period could fall in step with a workload's) still
// gets one, at a quarter scale, so that precision can recover.
// Following a new stream costs a look at the page tables: it is done
// while following streams pays (their windows are used), else on a
// probe. A child starts from its lineage's precision of settled windows.
// A process whose faults fall a few pages apart on no stream, next to
// written pages, writes a neighbourhood in no order: it gets aligned
// blocks, judged the same way, with a precision of their own (rule 13,
// at block_fault), which a child also starts from its lineage's.
//
// Three switches turn parts off for ablations: fork copies, windows,
// and feedback (adaptive_feedback=0: precision is taken as 1 and the
// fork classes stay at their priors; README.md).

#include "history.h"

#define NWIN 24        // windows remembered per process
#define SURV 32        // stream lengths counted exactly up to SURV pages
#define EVID 4         // streams seen to end before their lengths count
#define NLONG 8        // lengths of long streams and strides remembered
#define NLETGO 4       // let-go windows a fork judges (a sample)
#define LETGO_FAULT 0x8000  // astate.lgsize: a fault's pages, no window
#define LETGO_DRAW 8   // one let-go fault in LETGO_DRAW may be judged
#define LETGO_MEMORY 8 // judgements' worth of pages rule 12 remembers
#define LETGO_CLEAR 4  // windows paying this many times their cost: one
                       // is judged a fork, not NLETGO
#define SCAN 16        // pages counted behind a fault to measure a stream
#define PROBE 16       // one stream-like fault in PROBE (drawn) is a probe
#define BACKS 4        // streams come back before idle says how long
                       // an untouched window waits (sweep_one)

#define SPREAD 2654435761u // 2^32 / the golden ratio: a key times it spreads
                           // consecutive keys apart (Knuth's hashing)

#define HUSH_EVIDENCE 64   // faults asked about before a lineage may hush
#define HUSH_MEMORY 512    // and the faults its judgement remembers
#define HUSH_SAMPLE_LOG 3  // one fork in 8 within a spell is asked anyway
#define SPAN 64            // faults a process is asked about before it
                           // may skip (rule 15)
#define SKIP_MAX 128       // the longest skip, faults (rule 15)

#define LOCAL 16       // faults at most this many pages apart are
                       // neighbours (Linux's fault-around span, 64 KiB)
#define BLOCK_KEY 0x80000000u  // win.next of a block (no page has it)

#define LONG_STRIDE 0x8000  // astate.longs: the length is a stride's

#define LEARN_RECORD  1  // astate.learning: the process records its writes
#define LEARN_PREDICT 2  // and (a parent) predicts at its last fork
#define LEARN_TELL    4  // and (a parent) asked its last fork what its
                         // first fork's processes wrote

static int trapcost;
static int maxwin;
static int memory;
static int decay;
static int pstar;      // break-even precision, percent
static int pquarter;   // a quarter of the way from pstar to 1, percent:
                       // what a class or a stream must do to be trusted
static int topbit;     // highest power of two below maxwin
static int longmin;    // lengths of a kind that long_survival needs
static int forkcopies; // 0: never copy at fork (ablation)
static int around;     // 0: never resolve neighbours at a fault (ablation)
static int feedback;   // 0: decide without measured precision (ablation)
static int learncost;  // recording one fault, percent of a page copy
static int askcost;    // one fork question, percent of a page copy
static int takecost;   // taking a let-go page over, per mille of a fault
static int hookcost;   // asking on_fault about a fault, per mille of a copy

static const struct bootparam ad_params[] = {
  { "adaptive_trapcost", "cost of a COW fault beyond its copy, percent of a page copy",
    &trapcost, 28, 1, 1000, 0 },
  { "adaptive_window", "largest fault-around window, pages",
    &maxwin, 64, 1, 512, 0 },
  { "adaptive_memory", "pages of evidence a window precision remembers",
    &memory, 64, 8, 4096, 0 },
  { "adaptive_decay", "forks between halvings of scores and fork rates (0: never)",
    &decay, 8, 0, 1000, 0 },
  { "adaptive_forkcopies", "copy predicted pages at fork (0: an ablation without)",
    &forkcopies, 1, 0, 1, 0 },
  { "adaptive_around", "resolve a stream's next pages at a fault (0: an ablation without)",
    &around, 1, 0, 1, 0 },
  { "adaptive_feedback", "let measured precision steer windows and fork copies (0: an ablation without)",
    &feedback, 1, 0, 1, 0 },
  { "adaptive_learncost", "cost of recording a fault in the history, percent of a page copy (0: free)",
    &learncost, 4, 0, 1000, 0 },
  { "adaptive_askcost", "cost of a fork question about a region with history, percent of a page copy (0: free)",
    &askcost, 65, 0, 1000, 0 },
  { "adaptive_takecost", "cost of taking a let-go page over in a window, per mille of a fault that copies nothing (0: free)",
    &takecost, 20, 0, 1000, 0 },
  { "adaptive_hookcost", "cost of asking the policy about a COW fault, per mille of a page copy (0: free, never hushed)",
    &hookcost, 27, 0, 1000, 0 },
  { 0 },
};

// A lineage with the precision of its settled fault-around copies.
struct alineage {
  struct lineage l;
  uint32 used, wasted;   // sixteenths of a page; atomic
  int quiet_until;       // no learning and no prediction before this fork
  int quiet;             // length of the last quiet spell, forks
  int learned;           // the last fork at which it learned
  int copy;              // classes copied at its last fork (bit per class)
  int exited;            // a process of it exited (without exec); atomic
  uint32 bused, bwasted; // block pages its processes judged (rule 13),
                         // over memory; atomic
  uint32 asked, spared;  // COW faults its processes were asked about, and
                         // those their windows spared (copies around a
                         // fault, written): hush_pays; atomic
};

// A stream the process writes: where its next fault will be, and the
// window copied ahead of it, waiting to be judged.
struct win {
  uint32 next;           // page the stream's next fault is on, if it goes on
  uint16 run;            // the stream's length up to next (saturates; 0: free)
  uint16 n;              // pages copied ahead (0: none, the stream is known)
  uint16 stamp;          // the process's fault clock when copied or last seen
  uint16 seen;           // 0: not looked at; else 1 + pages found written
  uint16 judged;         // 0: not yet; else 1 + pages judged written
  short step;            // pages from one of its writes to the next: 1
                         // upwards, -1 downwards, else a stride; 0: a
                         // block (next: its first page | BLOCK_KEY;
                         // run: 1 + its pages written when made)
  uint8 prec;            // the stream's precision so far, /255
};

// Per process.
struct astate {
  struct alineage *lin;  // 0 before its first fork since exec, or when
                         // memory was out
  struct hist_cache hc;
  uint32 clock;          // COW faults taken
  uint32 toldclock;      // clock when the lineage was last told (flush)
  uint32 used, wasted;   // judged window pages, sixteenths
  uint32 hused, hwasted; // pages of windows their streams came back
                         // past, written or holes (rule 17), over memory
  uint32 scale;          // window scale from the precision, /256
  uint64 k;              // 4 * trapcost * scale^2: window()'s factor
  uint32 su, sw;         // settled window copies not yet told the lineage
  uint32 hits[HIST_NCLASS];  // settled predictions used, not yet told it
  uint32 rec;            // faults recorded, not yet told the lineage
  uint32 asked;          // fork questions answered, likewise
  uint16 sweep;          // next window to look at
  uint16 live;           // streams remembered and not judged (swept)
  uint16 idle;           // faults a followed stream stays away between
                         // two of its own (a maximum that decays)
  uint16 rng;            // xorshift state: which faults are probes
  uint8 backs;           // followed streams come back (saturates)
  uint8 forked;          // has forked since exec
  uint8 strided;         // has followed a stride (since exec)
  uint8 holey;           // a stream came back past a hole (since exec)
  uint8 learning;        // LEARN_* bits: records its writes, and (the
                         // parent) predicts at this fork
  short yield;           // taking streams up pays (>= 0) or not
  uint8 copy;            // classes this fork copies (bit per class)
  uint64 last;           // the address of the last COW fault
  uint64 lastd;          // from the fault before it to the last, bytes
  uint64 prevd;          // the same, one fault earlier
  uint32 repeated;       // the clock of the last fault that repeated the
                         // step between the two before it
  uint32 letgo_at;       // the clock of the last fault after a reuse
  uint8 letgo;           // faults after a reuse in a row, up to then
  uint8 lgstop;          // let-go windows did not pay: none is made
  uint16 lgn;            // let-go windows made since the last fork
                         // (saturates; a sample of NLETGO in lgpage)
  uint32 lgpages;        // and their pages
  uint16 lgsize[NLETGO]; // their sizes, pages (LETGO_FAULT: no window)
  uint32 lgpage[NLETGO]; // and first pages
  uint32 lgsaved;        // judged let-go windows: pages written after
                         // the fault that made them, sixteenths
  uint32 lgtaken;        // and their pages, sixteenths (both halved
                         // together)
  uint8 ge[SURV + 2];    // ge[k]: streams seen to end at length >= k
                         // (ge[1]: all; ge[SURV + 1]: longer than SURV)
  uint16 longs[NLONG];   // the last long streams' and strides' lengths
                         // (LONG_STRIDE set for a stride; 0: none)
  uint8 nlong;           // where the next length goes in longs
  uint8 nkind[2];        // lengths in longs: streams', strides' (kept
                         // so that long_survival need not scan for none)
  uint32 bused, bwasted; // judged block pages (rule 13), over memory
  uint8 blog;            // log2 of the block size (0: not set yet)
  uint8 bpending;        // blocks made and not judged
  uint8 btrusted;        // blocks paid (blocks_trusted), at the last
                         // judgement
  uint32 blast;          // the last block made (its win.next)
  uint32 span_at;        // clock when its span of faults began (rule 15)
  uint32 span_copied;    // pages its windows resolved since
  uint32 span_long;      // and a stream it took up there was long
  uint32 skip;           // faults its next skip lasts (0: the last span
                         // paid, or none ended yet)
  struct win w[NWIN];
};
POLICY_STATE_FITS(struct astate);
_Static_assert(sizeof(struct alineage) <= 4096, "alineage exceeds a page");

static void
ad_init(void)
{
  pstar = 10000 / (100 + trapcost);
  pquarter = (100 + 3 * pstar) / 4;
  for(longmin = 1; ((longmin + 1) * pquarter + 99) / 100 > longmin; longmin++)
    ;
  for(topbit = 1; topbit * 2 < maxwin; topbit *= 2)
    ;
}

// Recompute the window scale from the process's precision.
static void
rescale(struct astate *a)
{
  uint32 total = a->used + a->wasted;
  uint32 p = total && feedback ? (uint64)a->used * 100 * 256 / total : 100 * 256;
  uint32 floor = pstar * 256, m = p <= floor ? 0 : (p - floor) / (100 - pstar);
  a->scale = m * m / 256;
  a->k = (uint64)4 * trapcost * a->scale * a->scale;
}

// used pages of a window were written, wasted were not (either may be
// negative: a judgement revised). Keeps the last memory pages.
static void
evidence(struct astate *a, int used, int wasted)
{
  int u = (int)a->used + used * 16, w = (int)a->wasted + wasted * 16;
  a->used = u < 0 ? 0 : u;
  a->wasted = w < 0 ? 0 : w;
  while(a->used + a->wasted > (uint32)memory * 16){
    a->used /= 2;
    a->wasted /= 2;
  }
  rescale(a);
}

// Rule 17: the pages of a window its stream came back past, written
// (used) or passed over (holes), over the last memory pages.
static void
holes(struct astate *a, int used, int wasted)
{
  a->hused += used;
  a->hwasted += wasted;
  while(a->hused + a->hwasted > (uint32)memory){
    a->hused /= 2;
    a->hwasted /= 2;
  }
}

// Do the process's streams write too few of the pages they go past
// for windows to pay (rule 17)? Their rate over the last memory pages
// of windows come back past, weighed against an eighth of memory
// written (a few windows are a sample), below pstar.
static int
too_holey(struct astate *a)
{
  uint32 k = memory / 8;
  return a->hwasted &&
    (a->hused + k) * 100 < (a->hused + a->hwasted + k) * (uint32)pstar;
}

static int blocks_trusted(struct astate *a);

// A process's first evidence: its lineage's settled copies, if there
// are enough; else a quarter of memory's worth of used pages (the
// windows start at full scale: its own evidence corrects them).
static void
first_evidence(struct astate *a)
{
  uint32 u = 0, w = 0;
  if(a->lin){
    u = __atomic_load_n(&a->lin->used, __ATOMIC_RELAXED);
    w = __atomic_load_n(&a->lin->wasted, __ATOMIC_RELAXED);
  }
  if(u + w < (uint32)memory * 4){
    u = memory * 4;
    w = 0;
  }
  a->used = u;
  a->wasted = w;
  evidence(a, 0, 0);
  if(a->lin){
    // And its lineage's judged blocks, if enough: a child of a lineage
    // whose processes write neighbourhoods makes blocks from its first
    // faults, not after a bootstrap of its own.
    uint32 bu = __atomic_load_n(&a->lin->bused, __ATOMIC_RELAXED);
    uint32 bw = __atomic_load_n(&a->lin->bwasted, __ATOMIC_RELAXED);
    if(bu + bw >= LOCAL){
      a->bused = bu;
      a->bwasted = bw;
      a->btrusted = blocks_trusted(a);
    }
  }
}

// Tell the lineage what the process's settled copies were worth.
static void
flush(struct astate *a)
{
  struct alineage *l = a->lin;
  if(l == 0)
    return;
  for(int c = 1; c < HIST_NCLASS; c++){
    hist_hits(&l->l.h, c, a->hits[c]);
    a->hits[c] = 0;
  }
  if(a->rec | a->asked){
    __atomic_fetch_add(&l->l.h.recorded, a->rec, __ATOMIC_RELAXED);
    __atomic_fetch_add(&l->l.h.asked, a->asked, __ATOMIC_RELAXED);
    a->rec = a->asked = 0;
  }
  if(a->clock != a->toldclock){
    // Older evidence halves to make room for this process's: the last
    // processes asked decide (a lineage whose children changed is
    // noticed at the first asked; two exiting at once may lose one's
    // counts, a hint).
    uint32 f = a->clock - a->toldclock;
    uint32 n = __atomic_load_n(&l->asked, __ATOMIC_RELAXED);
    uint32 s = __atomic_load_n(&l->spared, __ATOMIC_RELAXED);
    for(; n && n + f > HUSH_MEMORY; n /= 2)
      s /= 2;
    __atomic_store_n(&l->asked, n + f, __ATOMIC_RELAXED);
    __atomic_store_n(&l->spared, s + a->su, __ATOMIC_RELAXED);
    a->toldclock = a->clock;
  }
  if((a->su | a->sw) == 0)
    return;
  uint32 u = __atomic_add_fetch(&l->used, a->su * 16, __ATOMIC_RELAXED);
  uint32 w = __atomic_add_fetch(&l->wasted, a->sw * 16, __ATOMIC_RELAXED);
  if(u + w > (uint32)memory * 16){
    __atomic_store_n(&l->used, u / 2, __ATOMIC_RELAXED);
    __atomic_store_n(&l->wasted, w / 2, __ATOMIC_RELAXED);
  }
  a->su = a->sw = 0;
}

// Does the lineage learn from its processes' writes? Only once it has
// forked twice: the first child's writes could only predict a second
// child, and recording costs every fault of every process. Decided at
// fork, for the parent and the child.
static int
learns(struct astate *a)
{
  return a->lin && __atomic_load_n(&a->lin->l.h.forks, __ATOMIC_RELAXED) >= 2;
}

// Does learning pay the lineage? Each class of prediction earns the
// traps its used predictions spared and loses the copies its wasted
// ones cost (a class that loses is not copied, so it earns nothing);
// recording every fault of the lineage's processes costs learncost
// each, and answering fork's question about each region with history
// askcost. All in percent of a page copy, over the rates' window.
static int
learning_pays(struct alineage *l)
{
  struct history *h = &l->l.h;
  long long gain = 0;
  for(int c = 1; c < HIST_NCLASS; c++){
    long long pred = __atomic_load_n(&h->rate[c].pred, __ATOMIC_RELAXED);
    long long hit = __atomic_load_n(&h->rate[c].hit, __ATOMIC_RELAXED);
    if(hit > pred)
      hit = pred;
    long long g = hit * trapcost - (pred - hit) * 100;
    if(g > 0)
      gain += g;
  }
  long long cost = (long long)__atomic_load_n(&h->recorded, __ATOMIC_RELAXED) * learncost +
    (long long)__atomic_load_n(&h->asked, __ATOMIC_RELAXED) * askcost;
  return gain >= cost;
}

// The classes a fork of the lineage copies (a bit each): one copied
// goes on while its rate is at break-even at least; one not copied
// starts a quarter of the way from break-even to certainty. Each rate
// counts memory/8 predictions more (all wasted for the once and fill
// classes): a prior that a few pages of evidence overturn, and no
// single page. The repeated class's prior is the rate that the once
// class's rate and the density of writes predict for it (hist_repeat:
// where pages written once were rewritten no more often than chance,
// as under writes at random, pages written twice by chance are not
// trusted either), else all used. With own set, it is all used in any
// case: the classes that may still pay on their own evidence (a
// lineage stops learning only when its classes fail on their own
// evidence, so that the repeated class gets some).
static int
trusted_classes(struct alineage *l, int own)
{
  int copy = 0, weight = memory / 8;
  int again = own ? -1 : hist_repeat(&l->l.h, weight);
  for(int cls = 1; cls < HIST_NCLASS; cls++){
    int on = l->copy & (1 << cls);
    int prior = cls != HIST_AGAIN ? 0 : again >= 0 ? again : 100;
    if(hist_trust(&l->l.h, cls, prior, weight, on ? pstar : pquarter))
      copy |= 1 << cls;
  }
  return copy;
}

// The lineage stops learning and predicting for a spell of forks twice
// as long as its last (2 for the first).
static void
quiet_spell(struct alineage *l, int forks)
{
  l->quiet = l->quiet ? 2 * l->quiet : 2;
  l->quiet_until = forks + 1 + l->quiet;
}

// Would the lineage copy a class, and would learning pay? (The test of
// ad_on_fork's spells, without its side effects.)
static int
classes_pay(struct alineage *l)
{
  return trusted_classes(l, 1) && learning_pays(l);
}

// Is learning worth its price at this fork (recording every fault of
// the lineage's processes, and at its first fork that learns the
// kernel's pass over the parent's page tables, some 14 instructions a
// page)? Only if a child ran the lineage's program: one still running
// (a hold besides the parent's and the new child's) or one that exited
// without exec. Children that all exec'd (a shell, a spawner) wrote
// almost nothing of the parent's memory, and what the parent writes
// alone is no evidence (rule 11): recording it cost some 40
// instructions a fault for nothing (`forkexec 4096 20 3 5`, 1.0%).
static int
worth_telling(struct alineage *l)
{
  return __atomic_load_n(&l->exited, __ATOMIC_RELAXED) ||
    __atomic_load_n(&l->l.ref, __ATOMIC_RELAXED) > 2;
}

static void judge_let_go(struct astate *a);   // rule 12

// Rule 14: would a process of the lineage whose faults record nothing
// (a child in a quiet spell; the parent at a fork that does not learn)
// gain less from being asked about its faults than the asking costs?
// Its windows are all the hook could give it: each copy around a fault
// that its process wrote spared a trap (trapcost percent of a copy),
// and each fault asked about cost hookcost per mille of a copy. Judged
// on the faults of the lineage's processes that were asked
// (HUSH_EVIDENCE at least), the older halved to make room for the
// last's within HUSH_MEMORY (flush). Quiet spells double, and a lineage
// whose children changed (they write streams now) would wait for the
// spell's end to be asked again: one fork in 2^HUSH_SAMPLE_LOG, drawn
// (the fork count hashed: not a period a workload's could fall in step
// with), is asked in any case.
static int
hush_sample(int forks)
{
  return ((uint32)forks * SPREAD) >> (32 - HUSH_SAMPLE_LOG) == 0;
}

static int
hush_pays(struct alineage *l)
{
  uint32 n = __atomic_load_n(&l->asked, __ATOMIC_RELAXED);
  uint32 s = __atomic_load_n(&l->spared, __ATOMIC_RELAXED);
  return hookcost && n >= HUSH_EVIDENCE &&
    (uint64)s * trapcost * 10 < (uint64)n * hookcost;
}

// Rule 14 for a parent whose faults record nothing: did its let-go
// windows since its last fork (rule 12) spare more than asking about
// its faults cost? Their pages taken over, at the rate its judged
// windows' pages were written (all, before any is judged), against
// the faults it was asked about, at hush_pays's prices. A parent
// writing a new random set while each child lives makes a few short
// windows where the child copied pages first (`bothwrite` fresh=1:
// some 32 pages taken over a fork, 11 of them written, for 1,035
// faults asked).
static int
let_go_pays(struct astate *p, uint32 asked)
{
  if(p->lgstop)
    return 0;
  uint64 spared = p->lgtaken ?
    (uint64)p->lgpages * p->lgsaved / p->lgtaken : p->lgpages;
  return spared * trapcost * 10 > (uint64)asked * hookcost;
}

static void
ad_on_fork(void *parent, void *child)
{
  struct astate *p = parent, *c = child;
  uint32 asked = p->clock - p->toldclock;   // faults since its last fork
  if(p->lgn)
    judge_let_go(p);
  int letgo = let_go_pays(p, asked);
  p->lgpages = 0;
  // The lineage begins at the first fork since exec: what it keeps is
  // for children, and most programs (a shell's commands) never fork.
  if(p->lin == 0 && !p->forked)
    p->lin = (struct alineage*)lineage_new(sizeof(struct alineage), decay);
  struct alineage *l = p->lin;
  flush(p);
  p->forked = 1;
  c->lin = l;
  p->copy = 0;
  if(l == 0)
    return;
  struct history *h = &l->l.h;
  hist_fork(h);
  lineage_get(&l->l);
  int forks = __atomic_load_n(&h->forks, __ATOMIC_RELAXED);
  int learning = learns(p) && forks >= l->quiet_until && worth_telling(l);
  int spell = l->quiet && forks < l->quiet_until;   // within one, not its end
  // A fork predicts only from writes recorded since the fork before it:
  // after a quiet spell what was recorded is old (a working set that
  // drifted meanwhile is gone), so it is forgotten and this fork only
  // learns. At the first fork that learns nothing is recorded yet: the
  // kernel tells it what was written since the fork before (the first
  // child's writes, and the parent's; ad_fork_written), and it predicts
  // from that as from a record (README.md, rule 4).
  int fresh = l->learned == forks - 1;
  int told = learning && l->learned == 0;
  if(told)
    fresh = 1;
  if(learning && !fresh && l->quiet && feedback && !classes_pay(l)){
    // Back from a spell, and the rates it began with (halved since)
    // still say no: the next spell begins without recording.
    quiet_spell(l, forks);
    learning = 0;
  }
  if(learning)
    l->learned = forks;
  p->learning = c->learning = learning ? LEARN_RECORD : 0;
  if(!hush_sample(forks) && hush_pays(l)){
    if(spell)
      policy_hush_faults(c);
    // The parent, until its next fork, if its faults record nothing
    // either, and its let-go windows did not pay for the asking (rule
    // 12: a spawner writing densely between spawns gains from them).
    if(!learning && !letgo)
      policy_hush_faults(p);
  }
  if(told)
    p->learning |= LEARN_TELL;
  first_evidence(c);
  if(!learning)
    return;
  if(!fresh){
    hist_forget(h);
    return;
  }
  p->learning |= LEARN_PREDICT;

  // The classes to copy, decided once for the whole fork (before its
  // questions add to the rates; trusted_classes). A lineage whose
  // classes all fall below break-even has predictions that keep being
  // wasted, and one whose predictions earn less than recording its
  // faults costs learns at a loss: either stops learning and predicting
  // (this fork's child is measured once more) for a spell that doubles
  // each time; learning that pays again ends the spells.
  int weight = memory / 8;
  if(!feedback){
    p->copy = 1 << HIST_AGAIN;   // the prior, never revised
    return;
  }
  p->copy = trusted_classes(l, 0);
  int hope = p->copy | trusted_classes(l, 1);
  l->copy = p->copy;
  if(hope && learning_pays(l)){
    l->quiet = 0;
  } else if(h->rate[HIST_AGAIN].pred + h->rate[HIST_ONCE].pred >= (uint32)weight){
    quiet_spell(l, forks);
  }
}

// At fork: the classes decided by ad_on_fork.
// Does this fork predict pages? (A process that learns has a lineage.)
static int
predicts(struct astate *p)
{
  return (p->learning & LEARN_PREDICT) && forkcopies;
}

static int
ad_fork_region(void *parent, uint64 base, uint64 *mask)
{
  struct astate *p = parent;
  if(!predicts(p))
    return FORK_SHARE;
  struct hist_rule r = { 2, 1, pstar, p->copy };   // again, once, fill, copy
  p->asked++;
  return hist_region(&p->lin->l.h, base, &r, mask);
}

// Does this fork want to be told what was written since the last? (A
// lineage's first fork that learns: ad_on_fork.)
static int
ad_fork_tell(void *parent)
{
  struct astate *p = parent;
  return (p->learning & LEARN_TELL) != 0;
}

// The pages told written are scored as if recorded: this fork predicts
// them, and a page the next child writes again is repeated.
static void
ad_fork_written(void *parent, uint64 base, const uint64 *mask)
{
  struct astate *p = parent;
  hist_told(&p->lin->l.h, base, mask);
}

static uint64
ad_fork_next(void *parent, uint64 base)
{
  struct astate *p = parent;
  if(!predicts(p))
    return POLICY_NO_REGION;
  return hist_next(&p->lin->l.h, base);
}

// Pages to copy ahead of a stream that has written run pages, from the
// lengths of the streams the process has seen end: as many as the
// stream goes on to write with probability q (a quarter of the way from
// pstar to 1) at least,
//   ge[run + 1 + w] >= q * (ge[run + 1] + 1).
// The one added is a stream that ended where this one is now: the
// lengths of a few streams are a sample, and four that all went on do
// not make a certainty (it takes six for q of 84%). Returns -1 if
// there is no such evidence (fewer than EVID streams ended, none as
// long as this one). A stream longer than SURV, and a stride, asks the
// last NLONG lengths of its kind instead (long_survival).
static int long_survival(struct astate *a, uint32 run, int stride);

static int
survival(struct astate *a, uint32 run, int stride)
{
  uint32 len = run + 1;
  if(stride || len > SURV)
    return long_survival(a, run, stride);
  if(a->ge[1] < EVID || a->ge[len] == 0)
    return -1;
  uint32 base = (a->ge[len] + 1) * pquarter, w = 0;
  while(len + w + 1 <= SURV + 1 && w + 1 < (uint32)maxwin &&
        a->ge[len + w + 1] * 100 >= base)
    w++;
  return w;
}

// survival's rule over the last NLONG lengths of the kind (a stride's,
// or a stream's longer than SURV): of the c of them longer than run,
// the stream goes on to the m-th longest with probability q at least,
// where m is the least count with m >= q * (c + 1). Returns -1 while
// the lengths do not decide (none longer, or too few for m <= c: six
// for q of 84%): the square-root rule, which needs none, holds until
// they do.
static int
long_survival(struct astate *a, uint32 run, int stride)
{
  uint32 kind = stride ? LONG_STRIDE : 0, v[NLONG], c = 0;
  if(a->nkind[stride != 0] < longmin)
    return -1;   // too few to decide (the common case: none)
  for(int i = 0; i < NLONG; i++){
    uint32 l = a->longs[i] & ~LONG_STRIDE;
    if((a->longs[i] & LONG_STRIDE) != kind || l <= run)
      continue;
    int j = c++;                 // sorted in, longest first
    for(; j > 0 && v[j - 1] < l; j--)
      v[j] = v[j - 1];
    v[j] = l;
  }
  uint32 m = ((c + 1) * pquarter + 99) / 100;
  if(c == 0 || m > c)
    return -1;
  uint32 w = v[m - 1] - run - 1;
  return w < (uint32)maxwin ? w : maxwin - 1;
}

// Pages to copy ahead of a stream that has written run pages and whose
// own precision is prec (/256): the largest w < maxwin with
//   w^2 <= 4 * trap/copy * run * (scale * prec)^2,
// found bit by bit (no square root: a few multiplications). While
// windows do not pay (scale 0), a probe gets a quarter of the scale.
static int
window(struct astate *a, uint32 run, uint32 prec)
{
  uint64 k = a->scale ? a->k : (uint64)4 * trapcost * 64 * 64;
  if(run == 0)
    return 0;
  uint64 bound = k * run * prec * prec;      // x100 x2^32
  uint64 w = 0;
  for(uint64 bit = topbit; bit; bit >>= 1){
    uint64 t = w + bit;
    if(t < (uint64)maxwin && t * t * (100ULL << 32) <= bound)
      w = t;
  }
  return w;
}

// The entry for a window or stream keyed by page: page times an odd
// number, modulo NWIN. Its residue modulo 8 is the page's times that
// number's: pages fewer than 8 apart never share an entry, and keys
// alike modulo 8 share 3 of the 24. That segregation carries weight:
// the high bits instead (Fibonacci hashing proper) spread a table's
// rows better (policytest columns over the table's 512 places: 850
// faults at worst, 377 with them), but a pass's last window was then
// taken by the next pass's streams before it was judged, so that
// passes' lengths went unlearnt (16 passes of stride 16: 340 -> 866
// faults), and blocks (keys aligned to 16: all in the 3 entries of
// residue 0) were taken by walks' streams before they were judged (a
// walk of steps up to 8: 186 -> 970 faults): not adopted.
static struct win*
slot(struct astate *a, uint32 page)
{
  return &a->w[(page * SPREAD) % NWIN];
}

// How many of window e's pages (just behind e->next) has the process
// written, in a row or not? A stream's counted region by region
// (policy_written_count looks in one leaf table), a stride's a page at
// a time (asked only when a stride came back past a hole).
static int
window_count(struct astate *a, struct win *e)
{
  if(e->step != 1 && e->step != -1){
    int got = 0;
    for(int k = 1; k <= e->n; k++){
      uint32 pg = e->next - e->step * k;
      got += policy_written_run(a, (uint64)(pg + 1) * POLICY_PGSIZE, -1, 1);
    }
    return got;
  }
  uint32 lo = e->step > 0 ? e->next - e->n : e->next + 1;
  int got = 0, left = e->n;
  while(left > 0){
    int room = POLICY_REGION_PAGES - lo % POLICY_REGION_PAGES;
    int k = left < room ? left : room;
    got += policy_written_count(a, (uint64)lo * POLICY_PGSIZE, k);
    lo += k;
    left -= k;
  }
  return got;
}

// How many of window e's pages has the process written (so far)? A
// stride's in a row from its start; a stream's in all, holes or not
// (rule 16).
static int
written(struct astate *a, struct win *e)
{
  int dir = e->step;
  if(dir == 1 || dir == -1)
    return window_count(a, e);
  uint32 fault = e->next - dir * (e->n + 1);
  return policy_written_run(a, (uint64)fault * POLICY_PGSIZE, dir, e->n);
}

// Stream e, of length len, ended (dir 1), or, a judgement revised, did
// not (dir -1): counted in ge, the last streams the process wrote, and
// if it is a stride or longer than SURV, remembered among the last
// NLONG lengths (a revision takes the latest such length back). A
// stride is not counted in ge: where strides end (the end of a table's
// pass) says nothing of where a stream of consecutive pages ends, and
// their lengths taken for streams' made windows overshoot every stream.
static void
ended(struct astate *a, struct win *e, int len, int dir)
{
  int stride = e->step != 1 && e->step != -1;
  if((stride && len > 0) || len > SURV){
    uint32 v = (len < 0x7fff ? len : 0x7fff) | (stride ? LONG_STRIDE : 0);
    if(dir > 0){
      uint32 old = a->longs[a->nlong];
      if(old)
        a->nkind[(old & LONG_STRIDE) != 0]--;
      a->longs[a->nlong] = v;
      a->nlong = (a->nlong + 1) % NLONG;
      a->nkind[stride]++;
    } else {
      for(int i = 1; i <= NLONG; i++){
        int j = (a->nlong + NLONG - i) % NLONG;
        if(a->longs[j] == v){
          a->longs[j] = 0;
          a->nkind[stride]--;
          break;
        }
      }
    }
  }
  if(stride)
    return;
  if(len > SURV + 1)
    len = SURV + 1;
  for(int k = 1; k <= len; k++)
    if(dir > 0 || a->ge[k])
      a->ge[k] += dir;
  if(a->ge[1] >= (memory < 255 ? memory : 255))
    for(int k = 1; k <= SURV + 1; k++)
      a->ge[k] /= 2;
}

// Taking streams up (following them, measuring them) pays when their
// windows are used: one used is a credit, a window wasted or a stream
// taken up without a window a debit. In debt, a process takes up new
// streams only on a probe (and ad_on_fault returns at once from its
// other one-sided faults).
static void
credit(struct astate *a, int d)
{
  if(!feedback)
    return;
  if((d > 0 && a->yield < 8) || (d < 0 && a->yield > -8))
    a->yield += d;
}

// Judge window e: the pages not written count as wasted, and the
// stream as ended where its writes stop, unless it comes back after
// all.
static void
judge(struct astate *a, struct win *e, int got)
{
  evidence(a, got, e->n - got);
  e->judged = got + 1;
  a->live--;
  ended(a, e, e->run - e->n + got, 1);
  credit(a, got == e->n ? 1 : -1);
}

static uint32 draw(struct astate *a);

// Entry e is taken for another window: one not judged is forgotten.
static void
forget(struct astate *a, struct win *e)
{
  if(e->run && !e->judged){
    a->live--;
    a->bpending -= e->step == 0;
  }
}

// Rule 13: blocks. A process whose faults fall a few pages from one
// another, but on no stream (an editor's cursor, particles moving a
// little at each step, a drifting hot spot), writes a neighbourhood
// densely in no order: no stream's window helps it (a walk of steps up
// to 3 pages took 600 faults of 1,024 writes, faultaround's aligned 16
// pages 65), and an aligned block of pages around a fault does. A
// fault is in a neighbourhood (neighbourhood()) if it is 2 to LOCAL
// pages from the last, which was at most LOCAL from the one before,
// and a page next to it is written (a scattered set, every other page
// written, has none: a block would copy its unwritten half). A block
// is judged as a stream's window is, by looks (sweep_one): one that
// made no progress between two looks is done, and its pages not
// written were wasted. The first block is made at once (16 pages), the
// next ones only once it was judged (one at a time: a table written
// column by column looks like neighbourhoods at each pass's start,
// and a hundred blocks made before the first judgement cost `stride`
// 8x8 twice its faults), or once found written whole at a later
// neighbourhood fault (the looks come NWIN faults apart at least, and
// a walk's first blocks waited some 60 faults for them); while blocks'
// precision (over the process's last adaptive_memory judged block
// pages) is below pstar, only on a probe. Once it is a quarter of the
// way from pstar to 1 over LOCAL pages at least (btrusted), any fault
// at most LOCAL pages from the last gets a block (block_reach), before
// a stream's window (a walk's edge looks like a stream, with a short
// run behind it and a small window), and any number may wait to be
// judged. A block below pstar halves the next (down to 4 pages); one
// used whole doubles it (up to adaptive_window) only if Laplace's rule
// over the judged block pages expects fewer than one trap's worth of
// the added pages unused: doubling spares one trap for twice the pages,
// so it pays only where nearly nothing is wasted, and two blocks used
// whole are no such evidence (doubling at each block used whole took
// `walk 8192 5 12 9`, a walk's sparse edges, to blocks of 64 pages: 103
// of 512 copies wasted, 1.090 of cow; now 31, 1.003). With the default
// adaptive_memory (64 judged pages) blocks stay at 16 or 32 pages.
// A child starts from its lineage's judged block pages (first_evidence):
// a server whose workers each walk their own neighbourhood trusts blocks
// from a worker's first fault, not after a bootstrap of its own.

// Judged block pages, used and wasted (either may be negative: a
// judgement revised), for the lineage too: the last memory pages of its
// processes' judgements, which a child starts from (first_evidence).
// Two processes judging at once may lose one's count, a hint.
static void
lineage_blocks(struct astate *a, int used, int wasted)
{
  struct alineage *l = a->lin;
  if(l == 0)
    return;
  int u = (int)__atomic_load_n(&l->bused, __ATOMIC_RELAXED) + used;
  int w = (int)__atomic_load_n(&l->bwasted, __ATOMIC_RELAXED) + wasted;
  u = u < 0 ? 0 : u;
  w = w < 0 ? 0 : w;
  while(u + w > memory){
    u /= 2;
    w /= 2;
  }
  __atomic_store_n(&l->bused, u, __ATOMIC_RELAXED);
  __atomic_store_n(&l->bwasted, w, __ATOMIC_RELAXED);
}

// Have blocks paid, a quarter of the way from pstar to 1, over LOCAL
// pages judged at least?
static int
blocks_trusted(struct astate *a)
{
  uint32 total = a->bused + a->bwasted;
  return total >= LOCAL && a->bused * 100 >= total * pquarter;
}

static void
judge_block(struct astate *a, struct win *e, int got)
{
  e->judged = got + 1;
  e->stamp = a->clock;
  a->live--;
  a->bpending--;
  if(!feedback)
    return;
  a->bused += got;
  a->bwasted += e->n - got;
  lineage_blocks(a, got, e->n - got);
  while(a->bused + a->bwasted > (uint32)memory){
    a->bused /= 2;
    a->bwasted /= 2;
  }
  a->btrusted = blocks_trusted(a);
  uint32 size = 1u << a->blog;
  if(got == e->n){
    // Doubling pays if the size more pages expected unused, size *
    // (wasted + 1) / (judged + 2) by Laplace's rule over the judged
    // block pages, cost less than the one trap it spares.
    if(2 * size <= (uint32)maxwin && size * (a->bwasted + 1) * 100 <
       (uint32)trapcost * (a->bused + a->bwasted + 2))
      a->blog++;
  } else if((uint32)got * 100 < (uint32)e->n * pstar && a->blog > 2){
    a->blog--;
  }
}

// How many of block e's early copies were written (all its written
// pages, but for those written when it was made and the fault's)?
static int
block_got(struct astate *a, struct win *e)
{
  uint32 first = e->next & ~BLOCK_KEY;
  int got = policy_written_count(a, (uint64)first * POLICY_PGSIZE,
                                 e->n + e->run) - e->run;
  if(got < 0)
    got = 0;
  if(got > e->n)
    got = e->n;
  return got;
}

// A look at block e.
static __attribute__((noinline)) void
sweep_block(struct astate *a, struct win *e)
{
  int got = block_got(a, e);
  if(got == e->n || got + 1 == e->seen){
    judge_block(a, e, got);
  } else {
    e->seen = got + 1;
    e->stamp = a->clock;
  }
}

// Is the last fault 2 to LOCAL pages from the one before, either way,
// which was itself at most LOCAL pages from the one before it? Then the
// process writes a neighbourhood (rule 13). A step of 1 is a stream's:
// it continues a neighbourhood, but no block is made at it. The kernel
// passes page addresses: the steps are numbers of pages exactly.
static inline int
neighbourhood(struct astate *a)
{
  uint64 span = LOCAL * POLICY_PGSIZE;
  return a->lastd + span <= 2 * span &&
    a->lastd + POLICY_PGSIZE > 2 * POLICY_PGSIZE &&
    a->prevd + span <= 2 * span;
}

// May this fault get a block? Before blocks are trusted, only in a
// neighbourhood, next to a written page (the caller also wants both
// sides not to look like a stream's); once trusted, any fault at most
// LOCAL pages from the last: a walk entering pages it has not written
// yet (a step of 3 lands with no written page next to it) or stepping
// by one page gets its block at once, as faultaround's every fault does
// (before, `walk 4096 25 3 1` took 193 faults, 1 in 5 writes; now 158).
// The blocks' precision still decides whether they are made at all.
static inline int
block_reach(struct astate *a, int near)
{
  uint64 span = LOCAL * POLICY_PGSIZE;
  if(a->btrusted)
    return a->lastd + span <= 2 * span;
  return (near & 15) && neighbourhood(a);
}

// The last block made, if no other window has taken its slot since.
static struct win*
last_block(struct astate *a)
{
  struct win *b = slot(a, a->blast);
  return b->next == a->blast && b->step == 0 && b->run ? b : 0;
}

// The last block made, if judged partly written: its pages written
// since count as used. A walk comes back to a block it left, after the
// two looks that judged it (`walk 1500 49 5 59`: the first block,
// judged partly used, below pstar, stopped blocks for good, 675 faults
// of 735 writes; now 193). Looked at no sooner than NWIN faults after
// the last look (the judgement's, or this one's). (All the judged
// blocks remembered, instead of the last: the same decisions on the
// walks measured.)
static void
late_credit(struct astate *a)
{
  struct win *b = last_block(a);
  if(b == 0 || b->judged == 0 || b->judged > b->n ||
     (uint16)(a->clock - b->stamp) < NWIN)
    return;
  b->stamp = a->clock;
  int got = block_got(a, b), d = got + 1 - b->judged;
  if(d <= 0)
    return;
  b->judged = got + 1;
  lineage_blocks(a, d, -d);
  a->bused += d;
  a->bwasted -= (uint32)d < a->bwasted ? (uint32)d : a->bwasted;
  a->btrusted = blocks_trusted(a);
}

// A fault in a neighbourhood: the aligned block around it (its pages
// still COW resolved by the kernel), remembered to be judged; or the
// fault alone, if blocks do not pay (but for a probe) or one made
// before blocks were trusted waits to be judged.
static __attribute__((noinline)) int
block_fault(struct astate *a, uint64 va, uint64 *start)
{
  if(!around)
    return 1;
  uint32 total = a->bused + a->bwasted;
  if(feedback && total && a->bused * 100 < total * pstar){
    late_credit(a);
    total = a->bused + a->bwasted;
    if(a->bused * 100 < total * pstar && draw(a) % PROBE)
      return 1;
  }
  if(feedback && a->bpending && !a->btrusted){
    // One block at a time until blocks are known to pay; but the last
    // one, if written whole by now, is judged at once, not a sweep's two
    // looks later.
    struct win *b = last_block(a);
    if(b && !b->judged && block_got(a, b) == b->n)
      judge_block(a, b, b->n);
    if(a->bpending && !a->btrusted)
      return 1;
  }
  if(a->blog == 0)
    a->blog = 4;
  uint32 size = 1u << a->blog;
  uint64 page = va / POLICY_PGSIZE, first = page - page % size;
  uint64 top = (policy_memtop(a) + POLICY_PGSIZE - 1) / POLICY_PGSIZE;
  if(first + size > top)
    size = top > first ? top - first : 1;
  struct win *e = slot(a, (uint32)first | BLOCK_KEY);
  int before = policy_written_count(a, first * POLICY_PGSIZE, size);
  int n = (int)size - before - 1;
  if(n <= 0)
    return 1;
  forget(a, e);   // a window waiting is replaced, as a stream's is
  a->live++;
  a->bpending++;
  e->next = (uint32)first | BLOCK_KEY;
  a->blast = e->next;
  e->run = before + 1;
  e->n = n;
  a->span_copied += n;
  e->stamp = a->clock;
  e->seen = 0;
  e->judged = 0;
  e->step = 0;
  *start = first * POLICY_PGSIZE;
  return size;
}

// Look at the next remembered window whose stream has not come back for
// NWIN faults, or twice as long as streams stay away (idle). A stream
// still writing into it (more pages written than at the last look) may
// be one of many taking turns: look again later. One that made no
// progress between two looks has ended: judge it. So has a stream
// whose window is still untouched four times as long after it was made
// as streams stay away (idle): the window's making was a look that
// found none of it written, and two looks take that long at least
// (runs written one after another come back at once, and their last
// windows were judged only after two looks at NWIN faults at least).
// Not before BACKS streams came back: until then idle is the longest
// of a few gaps, the short ones first (streams at random came back
// early after a couple of faults, and their windows, untouched, were
// judged waste). Not a stride: the waste of a pass's last window,
// counted at once, stopped the windows of the next passes (policytest
// columns: 362 faults, at most 326 wanted), and the lengths of passes
// (long_survival) fit them anyway. (Looks NWIN faults apart alone took
// streams waiting their turn for ended: README.md, rule 8.)
static void
sweep_one(struct astate *a)
{
  struct win *e = &a->w[a->sweep];
  a->sweep = (a->sweep + 1) % NWIN;
  uint32 patience = 2 * (uint32)a->idle;
  if(patience < NWIN)
    patience = NWIN;
  if(e->run == 0 || e->judged || (uint16)(a->clock - e->stamp) < patience)
    return;
  if(e->step == 0){
    sweep_block(a, e);
    return;
  }
  if(e->n == 0){
    // A stream followed without a window: gone for two looks, it ended.
    if(e->seen){
      ended(a, e, e->run, 1);
      e->run = 0;
      a->live--;
    } else {
      e->seen = 1;
      e->stamp = a->clock;
    }
    return;
  }
  int got = written(a, e);
  int untouched = got == 0 && !e->seen && a->backs >= BACKS &&
    (e->step == 1 || e->step == -1) &&
    (uint16)(a->clock - e->stamp) >= 4 * (uint32)a->idle;
  if(got == e->n || got + 1 == e->seen || untouched){
    judge(a, e, got);
  } else {
    e->seen = got + 1;
    e->stamp = a->clock;
  }
}

// The stream whose remembered entry e this fault continues, just past
// its window if it had one: judge the window exactly (how many of its
// pages were written), free the entry, and return the stream's length;
// *prec gets its precision so far. behind is what near says was written
// right behind the fault (up to NEAR_MAX; -1 for a stride, of which
// near says nothing): for a window no longer than that, or cut short
// within it, it is the answer, and the page tables need no look (most
// windows of short runs). The window's unwritten pages are the stream's
// holes (rule 17): they lower its precision, not the process's (a look
// that judged the window an end is taken back whole), and only a window
// none of whose pages were written starts the stream's length again.
static int
come_back(struct astate *a, struct win *e, uint64 va, int dir, int behind,
          uint32 *prec)
{
  int run = e->run;
  *prec = e->prec + 1;
  if(e->n){
    int got = behind >= 0 && (behind < NEAR_MAX || e->n <= NEAR_MAX) ?
      (behind < e->n ? behind : e->n) : policy_written_run(a, va, -dir, e->n);
    int all = got;
    if(got < e->n){
      all = window_count(a, e);   // rule 16: pages written before a hole
      a->holey |= all > got;
    }
    if(e->judged){
      evidence(a, all - (e->judged - 1), (e->judged - 1) - e->n);
      ended(a, e, e->run - e->n + e->judged - 1, -1);
    } else {
      evidence(a, all, 0);   // rule 17: its holes are the stream's own
    }
    holes(a, all, e->n - all);
    *prec = (e->prec * 3 + (all * 255 / e->n)) / 4 + 1;
    credit(a, all == e->n || (all > got && all * 100 >= e->n * pstar) ? 1 : -1);
    if(all == 0)
      run = 0;     // nothing written in the window: a new stream
  }
  if(!e->judged)
    a->live--;
  e->run = 0;
  return run;
}

// A followed stream came back after away faults of others: how long
// streams stay away (idle), a maximum that decays by an eighth at each
// return, bounded so that twice it fits the 16-bit clock's differences.
static void
came_back_after(struct astate *a, uint16 away)
{
  a->backs += a->backs < 255;
  if(away > a->idle)
    a->idle = away < 16384 ? away : 16384;
  else
    a->idle -= a->idle / 8;
}

// The length of the stream written behind va, dir pages apart (going
// -dir from va), which near says is NEAR_MAX pages at least (or, for a
// stride, the last faults say is 2): counted up to SCAN pages, then
// probed at doubling distances.
static int
measure(struct astate *a, uint64 va, int dir)
{
  int run = policy_written_run(a, va, -dir, SCAN);
  for(int d = 2 * SCAN; run * 2 == d && d <= 16 * SCAN; d *= 2){
    uint64 far = va - (uint64)dir * (d - 1) * POLICY_PGSIZE;
    if((dir > 0 && va / POLICY_PGSIZE < (uint64)d * dir) ||
       !policy_written_run(a, far, -dir, 1))
      break;
    run = d;
  }
  return run;
}

// A stride's window of ahead pages, dir apart, ahead of page, cut so
// that it stays within the process's memory: the kernel copies nothing
// past either end, and the judgement would count those pages as waste
// (a stride's last window reaches far; a stream's, going up, only a
// few pages past the top, left to the kernel).
static int
within(struct astate *a, uint32 page, int dir, int ahead)
{
  uint32 room = dir < 0 ? page / -dir :
    ((policy_memtop(a) + POLICY_PGSIZE - 1) / POLICY_PGSIZE - 1 - page) / dir;
  return (uint32)ahead > room ? (int)room : ahead;
}

// A fault on a stream going dir pages at a time: next to a written page
// on one side only (dir 1 upwards if the page below is written, -1
// downwards if the page above is), or a stride (the fault's last three
// predecessors were dir pages apart each, or a followed stride's window
// led here). A stream the process already follows (its last fault left
// an entry for this page) carries its length, and a window it had is
// judged now; a stream not followed yet (new, or one of more streams
// than NWIN) has its length measured. gap: dir if the fault is one page
// past a followed stream's due page (rule 17), else 0. behind: the pages
// near says were written right behind the fault (-1 for a stride).
// probe: the fault is a probe (streamlike drew it). Returns the window,
// as on_fault, and remembers the stream where its next fault will be.
static int
stream_fault(struct astate *a, uint64 va, int dir, int gap, int behind,
             int probe, uint64 *start, int *step)
{
  uint32 page = va / POLICY_PGSIZE, prec = 256;
  int run, ahead;
  struct win *e = slot(a, page - gap);
  int known = e->run && e->next == page - gap && e->step == dir;
  if(known){
    if(!e->seen)   // not looked at meanwhile: the stamp is its last fault's
      came_back_after(a, a->clock - e->stamp);
    if(e->n){
      run = come_back(a, e, va, dir, behind, &prec);
    } else {
      run = e->run;   // it went on page by page
      prec = e->prec + 1;
      e->run = 0;
      a->live--;
    }
  } else {
    if(!probe && too_holey(a)){
      credit(a, -1);   // rule 17: not taken up (below), nor measured
      return 1;
    }
    run = behind;
    if(run == NEAR_MAX || run < 0)
      run = measure(a, va, dir);
  }

  // The lengths of the streams the process saw end say how far this one
  // goes; without them (and for a stride), the square-root rule, at the
  // precision's scale (a quarter of it for a probe while windows do not
  // pay).
  if(!feedback)
    prec = 256;
  a->span_long |= run >= SPAN;   // rule 15: no skip past a long stream
  if(known && !probe && too_holey(a))
    return 1;   // rule 17: holes would waste more than windows save:
                // not followed (a probe's window keeps evidence coming)
  if((ahead = survival(a, run, dir != 1 && dir != -1)) < 0)
    ahead = a->scale || probe ? window(a, run, prec) : 0;
  if(dir == -1 && ahead > page)
    ahead = page;
  else if(dir != 1 && ahead > 0)
    ahead = within(a, page, dir, ahead);
  if(!known && ahead == 0){
    credit(a, -1);   // a stream taken up for nothing
    if(a->yield < 0)
      return 1;      // and, in debt, not followed
  }

  // Remember the stream where its next fault will be; a window waiting
  // to be judged is not forgotten for a stream without one.
  uint32 next = page + dir * (ahead + 1);
  struct win *f = slot(a, next);
  int waiting = f->run && f->n && !f->judged;
  if(waiting && ahead == 0)
    return 1;
  forget(a, f);
  a->live++;
  f->next = next;
  f->run = run + 1 + ahead > 0xffff ? 0xffff : run + 1 + ahead;
  f->n = ahead;
  a->span_copied += ahead;
  f->stamp = a->clock;
  f->seen = 0;
  f->judged = 0;
  f->step = dir;
  f->prec = prec > 255 ? 255 : prec;
  a->strided |= dir != 1 && dir != -1;
  if(dir == -1)
    *start = va - (uint64)ahead * POLICY_PGSIZE;
  else if(dir != 1)
    *step = dir;
  return ahead + 1;
}

// Draw the next number of the process's own xorshift sequence, at every
// fault that may be on a stream (a random writer's faults pay nothing).
// Probes fall on faults drawn at random: every PROBE-th fault would
// fall at the same place of every run of a workload whose runs are
// PROBE pages long (seen: runs of 16 pages, every probe on a run's last
// page, where no window is due, so that windows never came back).
static uint32
draw(struct astate *a)
{
  uint32 x = a->rng ? a->rng : 0x9e37;   // 16-bit xorshift, period 2^16-1
  x ^= (x << 7) & 0xffff;
  x ^= x >> 9;
  x ^= (x << 8) & 0xffff;
  return a->rng = x;
}

// Did the process write on one side of the fault only, two pages at
// least? Only such a fault may be on a stream (a single written
// neighbour would get no window: sqrt(4 * trap/copy) < 1).
// near's written neighbours are one of 16 values (two pages or three
// below and none above: 2, 3; none below and two or three above: 8,
// 12), so the answer is a bit of a constant: every COW fault asks. The
// constant is written twice, for near with NEAR_AFTER_REUSE (16) too
// (a shift by near takes its low five bits: no mask needed).
#define ONESIDED_NEARS ((1 << 2) | (1 << 3) | (1 << 8) | (1 << 12))
_Static_assert(NEAR_MAX == 3 && NEAR_BELOW(2) == 2 && NEAR_ABOVE(8) == 2 &&
               NEAR_AFTER_REUSE == 16,
               "ONESIDED_NEARS assumes policy.h's encoding of near");

static inline int
onesided(int near)
{
  return ((uint32)(ONESIDED_NEARS | ONESIDED_NEARS << 16) >> (near & 31)) & 1;
}

// Is the fault, one-sided, worth stream_fault's look? A stream the
// process follows has an entry for this page; another is taken up while
// taking streams up pays (yield), else on a probe; *probe says whether
// this fault is one (drawn here, unless ad_on_fault drew it already).
static int
streamlike(struct astate *a, uint64 va, int *probe)
{
  uint32 page = va / POLICY_PGSIZE;
  struct win *e = slot(a, page);
  if(!*probe)
    *probe = draw(a) % PROBE == 0;
  return (e->run && e->next == page) || *probe || a->yield >= 0;
}

// Rule 17: is the fault, with no written page right behind it on
// either side, a followed stream's next fault all the same: at the page
// its stream was due (its window's last page a hole: one page written
// behind the fault at most, none ahead), or, the stream trusted (its
// precision a quarter of the way from pstar to 1), one page past it
// (the due page itself a hole: nothing written around the fault)?
// Returns the stream's direction, doubled for one past (2 or -2), or
// 0. Two entries looked at at most: the fault's own, and, only in a
// process that showed a hole (holey: a window its stream came back past
// written not all in a row behind the fault, or a due fault found here),
// the one a page back on the side the last fault came from.
static int
due(struct astate *a, uint64 va, int near)
{
  uint32 page = va / POLICY_PGSIZE;
  struct win *e = slot(a, page);
  if(e->next == page && e->run && e->n &&
     ((e->step == 1 && !NEAR_ABOVE(near)) ||
      (e->step == -1 && !NEAR_BELOW(near)))){
    a->holey = 1;
    return e->step;
  }
  if(NEAR_BELOW(near) || NEAR_ABOVE(near) || !a->holey)
    return 0;
  int d = (long)a->lastd > 0 ? 1 : -1;   // the way the faults went
  e = slot(a, page - d);
  if(e->next == page - d && e->run && e->n && e->step == d &&
     (uint32)(e->prec + 1) * 100 >= (uint32)pquarter * 256)
    return 2 * d;
  return 0;
}

// The fault recorded for the lineage, if the process learns. A call of
// its own, so that a learning random writer's faults (most of a noisy
// lineage's) save and restore none of the registers slow_fault's
// stream path needs: some 25 instructions a fault. Not a fault on a
// page no other process holds any more, in a process that forked and
// is alone in its lineage: its children exited or exec'd, the fault
// costs a trap and no copy, and copying the page at fork would not have
// spared a copy (a shell writing its buffers between commands). While
// other processes of the lineage live, such a fault means one of them
// took its own copy of the page (both sides write it), and a fork copy
// would have spared both faults; a child's means its parent did, and
// the parent holds its copy at the next fork. Asked only then: the
// helper's call costs some 18 instructions.
static __attribute__((noinline)) void
record(struct astate *a, uint64 va)
{
  if(a->forked && __atomic_load_n(&a->lin->l.ref, __ATOMIC_RELAXED) == 1 &&
     !policy_fault_shared(a))
    return;
  hist_write(&a->lin->l.h, &a->hc, va, a->forked);
  a->rec++;
}

// Is the fault at va on a stride? Returns its step if a followed
// stride's window led here, or if the last faults were stride pages
// apart (and no followed stream's did), else 0. Not a new stride whose
// next page is past the process's memory: it could have no window, and
// the fault may be on a stream that can (the last of streams taking
// turns, each a stride apart, is both).
static int
stride_of(struct astate *a, uint64 va, int stride)
{
  uint32 page = va / POLICY_PGSIZE;
  struct win *e = slot(a, page);
  int followed = e->run && e->next == page;
  if(followed && e->step != 1 && e->step != -1)
    return e->step;
  if(!followed && stride && within(a, page, stride, 1))
    return stride;
  return 0;
}

// A fault after one that copied nothing (its page no other process held
// any more): the process's pages may have been let go (its children
// exited or exec'd), and then its neighbours were too. Taking a page
// over costs no copy, some 20 instructions, where a fault costs some
// 1,100: an aligned window resolved only where no other process holds
// a page (WINDOW_UNSHARED) pays if enough of it is written (judged
// below). But
// a page let go alone (the other process took its own copy, as where
// parent and child write the same pages) says little of its neighbours,
// whose look is then wasted: so the window grows with the run of such
// faults, 2^(run-2) pages from three on (up to adaptive_window), as a
// process whose pages were all let go makes them one after another; a
// shorter run goes the usual way. Each other fault in between halves
// the run, rather than ending it: a process let go of writes its stack
// too, which its child may still share (policytest spawn: 77 faults
// of 224 writes when a run ended there, 39 now). A window that took no
// page over counts as such a fault: the kernel says no reuse at the
// next fault, which goes the usual way, and the run is halved. Where
// the pages around are still shared, windows so stay at two pages
// (bothwrite overlap=50: without that, 157 windows of up to 64 pages in
// each process's round took over 22 pages, +1.5% of the
// instructions). No stream
// is followed: no copy is made. (A shell writing its buffers between
// commands, a server updating its tables between spawns.)
//
// But the run says nothing of how densely the process writes: one that
// writes a sparse scattered set makes every fault a let-go one, and its
// windows take over a whole heap for a few of its pages. A window pays
// if the pages written in it after the fault that made it spared more
// faults than taking its pages over cost (adaptive_takecost: some 22
// instructions a page, where a fault that copies nothing costs some
// 1,100 in all, trap and hook: 2%; measured on `forkexec 6000 11 4
// 519`, windows always and never); at random, a density of 3% or so.
// So the windows are judged at the process's next fork, when the
// writes they waited for are done (the kernel takes pages over clean:
// their dirty bits tell), a sample of NLETGO of them, each as likely
// to be drawn (reservoir sampling, the fault clock hashed: the last
// made are the worst, since a window comes at the first write to its
// pages, and those first written late hold few writes). While the
// judged windows did not pay, no window is made, and the evidence goes
// on from the faults: a sample of them (of one in LETGO_DRAW: a draw
// costs), each with the aligned adaptive_window pages around it,
// judged as the window made at the first of their writes would have
// been. A fault drawn at random falls in such pages in proportion to
// the writes in them (k): each counts 1/k, so that the pages weigh as
// the windows would (`forkexec 4096 20 3 5`, 3% scattered: 1.056 of
// cow before, see README.md). let_go_run counts the run and says
// whether a window is due; let_go_window makes it.

// Keep n pages from page on (a window, or with LETGO_FAULT the pages
// around a fault) in the sample judged at the next fork.
static void
let_go_sample(struct astate *a, uint32 page, int n)
{
  uint32 k = a->lgn, slot = k < NLETGO ? k : (a->clock * SPREAD >> 8) % (k + 1);
  if(slot < NLETGO){
    a->lgpage[slot] = page;
    a->lgsize[slot] = n;
  }
  if(a->lgn < 0xffff)
    a->lgn++;
}

static inline int
let_go_run(struct astate *a, uint64 va)
{
  uint32 gap = a->clock - 1 - a->letgo_at;   // faults between, not counted
  int run = gap < 8 ? a->letgo >> gap : 0;
  a->letgo = run < 15 ? run + 1 : 15;
  a->letgo_at = a->clock;
  if(a->letgo < 3 || !around)
    return 0;
  if(!a->lgstop)
    return 1;
  uint32 page = va / POLICY_PGSIZE;
  if(a->clock % LETGO_DRAW == 0)
    let_go_sample(a, page - page % maxwin, maxwin | LETGO_FAULT);
  return 0;
}

static inline int
let_go_window(struct astate *a, uint64 va, uint64 *start)
{
  if(a->learning)
    record(a, va);
  int w = 1 << (a->letgo - 2);
  if(w > maxwin)
    w = maxwin;
  uint64 page = va / POLICY_PGSIZE;
  *start = (page - page % w) * POLICY_PGSIZE;
  let_go_sample(a, page - page % w, w);
  a->lgpages += w;
  a->span_copied += w - 1;
  return w | WINDOW_UNSHARED;
}

// At the process's fork: the sample of its let-go windows and faults
// since the last one is judged by the pages written in them (those
// written before the last fork are shared again: not counted). A page
// still shared in a window was not taken over, and one the process
// wrote there since took its fault: it counts as spared all the same
// (rare: let-go pages come in runs). The evidence (sixteenths of a
// page) is halved once it holds more pages than LETGO_MEMORY
// judgements can bring: a judgement of 4 windows is noisy near
// break-even (a window's writes vary as much as their mean), and the
// last forks' windows, some two thousand pages, are enough. A
// judgement reads some 9 instructions a page: windows that pay by far
// are judged one a fork.
static void
judge_let_go(struct astate *a)
{
  int n = a->lgn < NLETGO ? a->lgn : NLETGO;
  if(a->lgtaken &&
     (uint64)a->lgsaved * 1000 >= (uint64)a->lgtaken * takecost * LETGO_CLEAR)
    n = 1;   // paying by far: one window a fork keeps the evidence fresh
  for(int i = 0; i < n; i++){
    int size = a->lgsize[i] & ~LETGO_FAULT;
    int got = policy_written_count(a, (uint64)a->lgpage[i] * POLICY_PGSIZE, size);
    if(got == 0)
      continue;   // unmapped since
    int per = (a->lgsize[i] & LETGO_FAULT) ? got : 1;
    a->lgsaved += (got - 1) * 16 / per;
    a->lgtaken += size * 16 / per;
  }
  while(a->lgtaken > (uint32)LETGO_MEMORY * NLETGO * maxwin * 16){
    a->lgsaved /= 2;
    a->lgtaken /= 2;
  }
  a->lgn = 0;
  a->lgstop = feedback && (uint64)a->lgsaved * 1000 < (uint64)a->lgtaken * takecost;
}

// Rule 15: at the end of a span of SPAN faults asked about, a process
// whose windows resolved too few pages in it to pay for the asking,
// even if every one was written (pages x trapcost x 10 < faults x
// hookcost, hush_pays's prices), is not asked about its next faults
// (policy_skip_faults): SPAN at first, twice as many after each skip
// up to SKIP_MAX, and SPAN again once a span's windows pay. Not while
// it records its writes (the lineage's evidence needs them all) or has
// windows waiting to be judged (their looks come at faults), and not
// after one span alone: a span can hold the start of a stream whose
// windows have not grown yet (children writing 2% at random and then
// runs, adaptive_hush_not_runs: the first 64 faults resolved nothing
// around them, the next 30-60 pages). A random writer pays the hook on
// a third of its faults in the end (64 of 192), and a stream that
// begins within a skip is met no later than SKIP_MAX faults on (until
// then its faults are plain COW faults; measure() then finds the run
// behind it long, and its windows wide). A span in which a stream of
// SPAN pages at least was taken up skips nothing, whatever its windows
// resolved: a random phase leaves the process in debt (credit()), where
// only a probe takes a stream up (rule 9), and a span's few probes resolved
// too little, so that a stream met after a skip was skipped again
// (`randwrite 4096 25 1 1024`, held out: 1,464 faults, 1,340 now, 1,113
// without rule 15; host model, a 1,024-page stream after 1,000 and
// 2,000 random writes: 265 and 220 faults in it, now 167 and 95).
// Skips of up to 512 faults asked the random writer about a fifth of
// its faults, but a stream of 1,024 pages after 2,000 random writes
// took 548 faults (adaptive_skip_stream_met).
static __attribute__((noinline)) int
span_end(struct astate *a)
{
  uint32 f = a->clock - a->span_at;
  if(hookcost == 0 || a->span_long ||
     (uint64)a->span_copied * trapcost * 10 >= (uint64)f * hookcost){
    a->skip = 0;
  } else if(!a->learning && !a->live){
    if(a->skip)
      policy_skip_faults(a, a->skip);
    a->skip = a->skip == 0 ? SPAN : a->skip < SKIP_MAX ? 2 * a->skip : SKIP_MAX;
  }   // else the skip waits (a probe's window, say, to be judged)
  a->span_at = a->clock;
  a->span_copied = a->span_long = 0;
  return 1;   // the quick path's answer, for its tail call
}

// Has the process's span of faults asked about ended (rule 15)?
static inline int
span_over(struct astate *a)
{
  return a->clock - a->span_at >= SPAN;
}

// ad_on_fault's quick path (no stream, no stride) after a fault that
// copied nothing: out of line, so that the path keeps no frame.
static __attribute__((noinline)) int
let_go_quick(struct astate *a, uint64 va, uint64 *start)
{
  if(span_over(a))
    span_end(a);
  if(let_go_run(a, va))
    return let_go_window(a, va, start);
  if(a->learning)
    record(a, va);
  return 1;
}

// A fault that may be on a stream, or in a process with work besides
// windows: recorded for the lineage (if it learns), a remembered window
// looked at, and a window if the fault is on a stream: on a stride
// (the pages between this fault and the last, if the two steps before
// were as long; stride_of) first, since the order of the faults says
// best where the next ones fall, also where a page is the end of a row
// written before, as in a table written column by column; else next to
// written pages on one side only. A process that never followed a
// stride spends nothing on them but at a stride. Out of line, so that
// ad_on_fault's fast path saves no registers; the stream path's helpers
// are inlined into it (their calls cost 0.6% on clusters).
static __attribute__((noinline)) int
slow_fault(struct astate *a, uint64 va, int near, int rep, int probe,
           uint64 *start, int *step)
{
  if(span_over(a))
    span_end(a);
  if((near & NEAR_AFTER_REUSE) && let_go_run(a, va))
    return let_go_window(a, va, start);
  if(a->learning)
    record(a, va);
  if(a->live)
    sweep_one(a);
  // rep: the step to this fault, if it repeated the one before. A stride
  // if the fault before repeated it too (three equal steps), and if it is
  // none of 0 or +-1 (near finds streams; a page faulting again is no
  // stride) and fits a window's 16-bit step.
  int stride = 0;
  if(rep){
    if(a->repeated == a->clock - 1 && (uint32)(rep + 1) > 2 &&
       (uint32)(rep + 32767) < 65535)
      stride = rep;
    a->repeated = a->clock;
  }
  int n = 1, dir = 0, behind = -1;
  if(stride | a->strided)
    dir = stride_of(a, va, stride);
  // Rule 13: a fault within a block's reach (block_reach), on no
  // stride: a block if it is on no stream either, or if blocks pay
  // (before a stream's window: a walk's edge looks like a stream, with
  // a short run behind it and a small window).
  int one = onesided(near), gap = 0;
  // Rule 17: a followed stream's due fault (or one past it), a hole
  // right behind it, is one-sided too (no block unless blocks pay).
  if(dir == 0 && !one && (gap = due(a, va, near)) != 0)
    one = 1;
  if(dir == 0 && block_reach(a, near) && (!one || a->btrusted))
    return block_fault(a, va, start);
  if(dir == 0 && gap){
    dir = gap > 0 ? 1 : -1;
    gap -= dir;   // 0: at the due page; dir: one page past it
    behind = dir > 0 ? NEAR_BELOW(near) : NEAR_ABOVE(near);
  } else if(dir == 0 && one){
    dir = NEAR_BELOW(near) ? 1 : -1;
    behind = dir > 0 ? NEAR_BELOW(near) : NEAR_ABOVE(near);
  }
  if(dir && (gap || streamlike(a, va, &probe)))
    n = stream_fault(a, va, dir, gap, behind, probe, start, step);
  if(!around){
    *start = va;
    *step = 1;
    return 1;
  }
  return n;
}

// Every COW fault: recorded for the lineage (if it learns), then a
// window if the fault is on a stream. Neither neighbour written, and
// no stride in the last faults, is a random write; both neighbours
// written a hole being filled: no window, decided from near and the
// last fault without a question; and so is every one-sided fault while
// taking streams up does not pay (in debt: credit), but for a probe now
// and then, unless a stream the process follows may come back (live).
// The price of this hook is paid by every fault of a random writer: its
// faults return at once (before, its one-sided faults, neighbours
// written by chance, took slow_fault's path in debt too: 0.3% of
// randwrite 100%'s instructions). After a fault that copied nothing,
// let_go (here and in slow_fault).
static int
ad_on_fault(void *st, uint64 va, int near, uint64 *start, int *step)
{
  struct astate *a = st;
  uint64 d = va - a->last;
  int again = d == a->lastd;
  a->last = va;
  a->prevd = a->lastd;
  a->lastd = d;
  a->clock++;
  int probe = 0, quick = !a->live && !again;
  if(quick && block_reach(a, near))
    quick = 0;   // rule 13: slow_fault makes blocks
  if(quick && onesided(near)){
    // In debt, only a probe takes a stream up: the others return here
    // (the draw is streamlike's, made early). Not a process following
    // strides: stride_of may find one anyway.
    quick = a->yield < 0 && !a->strided;
    if(quick)
      quick = !(probe = draw(a) % PROBE == 0);
  }
  if(quick){
    if(near & NEAR_AFTER_REUSE)
      return let_go_quick(a, va, start);
    if(a->learning)
      record(a, va);
    return span_over(a) ? span_end(a) : 1;
  }
  return slow_fault(a, va, near, again ? (long)d / POLICY_PGSIZE : 0, probe,
                    start, step);
}

// An early copy leaves the process. A fork copy used was counted and
// scored when it was made (hist_region): nothing to do, which is most
// settles of a lineage that copies at fork. One unused takes its use
// back (history.c). The parent's side of a fork copy says whether the
// parent still writes the page. A copy made around a fault counts for
// the lineage's window precision, and one written scores its page (and,
// if the last fork predicted the page, is a use of that prediction).
static void
ad_on_settle(void *st, uint64 va, int how)
{
  struct astate *a = st;
  int written = how & SETTLE_WRITTEN, cls = HIST_NONE;
  if(how == SETTLE_WRITTEN && !a->learning){
    a->su++;   // the common case of a process that does not learn
    return;
  }
  if(a->lin == 0){
    // No fork yet (or memory was out): only copies around faults.
    if(!(how & SETTLE_FORK))
      a->sw += !written;
    return;
  }
  struct history *h = &a->lin->l.h;
  if(how & SETTLE_PARENT){
    if(a->learning)
      hist_parent(h, &a->hc, va, written);
    return;
  }
  if(how & SETTLE_FORK){
    if(!written)
      hist_unused(h, &a->hc, va, 1);
    return;
  }
  if(a->learning)
    cls = written ? hist_settled(h, &a->hc, va, a->forked) : hist_unused(h, &a->hc, va, 0);
  if(cls != HIST_NONE)
    a->hits[cls] += written;
  if(written)
    a->su++;
  else
    a->sw++;
}

// n early copies on the pages from va on leave the process alike: the
// same decisions as ad_on_settle's, each kind passed to the history's
// run functions; what is left (a process without a lineage, or one
// that does not learn, leaving an unused copy made around a fault)
// page by page. (ad_on_settle keeps its own single-page path: the
// kernel settles scattered pages one at a time, and through this
// function, with the run functions' loops, each cost some 8
// instructions more: +0.35% on bothwrite with scattered sets.)
static void
ad_on_settle_run(void *st, uint64 va, int n, int how)
{
  struct astate *a = st;
  if(how == SETTLE_WRITTEN && !a->learning){
    a->su += n;
    return;
  }
  if(a->lin && how == (SETTLE_FORK | SETTLE_WRITTEN))
    return;
  // The fork copies' other common cases, in the history's runs: the
  // parent's sides (at its next fork), a child's unused copies.
  if(a->lin && (how & (SETTLE_FORK | SETTLE_PARENT)) == (SETTLE_FORK | SETTLE_PARENT)){
    if(a->learning)
      hist_parent_run(&a->lin->l.h, &a->hc, va, n, how & SETTLE_WRITTEN);
    return;
  }
  if(a->lin && how == SETTLE_FORK){
    hist_unused_run(&a->lin->l.h, &a->hc, va, n, 1);
    return;
  }
  // And those of copies made around faults, of a learning process.
  if(a->lin && a->learning && !(how & SETTLE_FORK)){
    if(how & SETTLE_WRITTEN){
      hist_settled_run(&a->lin->l.h, &a->hc, va, n, a->forked, a->hits);
      a->su += n;
    } else {
      hist_unused_run(&a->lin->l.h, &a->hc, va, n, 0);
      a->sw += n;
    }
    return;
  }
  for(int i = 0; i < n; i++)
    ad_on_settle(st, va + (uint64)i * POLICY_PGSIZE, how);
}

// A new program: nothing remembered, and a new lineage from its first
// fork on (ad_on_fork). What the old program's copies were worth (its
// memory has just settled) is still its lineage's evidence, as at exit:
// a shell's children that waste windows before they exec teach the
// shell's next children.
static void
ad_on_exec(void *st)
{
  struct astate *a = st;
  flush(a);
  lineage_put((struct lineage*)a->lin);
  for(uint64 *q = st; q < (uint64*)(a + 1); q++)
    *q = 0;
  first_evidence(a);
}

static void
ad_release(void *st)
{
  struct astate *a = st;
  flush(a);
  if(a->lin)
    __atomic_store_n(&a->lin->exited, 1, __ATOMIC_RELAXED);
  lineage_put((struct lineage*)a->lin);
  a->lin = 0;
}

struct cow_policy policy_adaptive = {
  .name = "adaptive",
  .params = ad_params,
  .init = ad_init,
  .fork_region = ad_fork_region,
  .fork_next = ad_fork_next,
  .fork_tell = ad_fork_tell,
  .fork_written = ad_fork_written,
  .on_fork = ad_on_fork,
  .on_fault = ad_on_fault,
  .on_settle = ad_on_settle,
  .on_settle_run = ad_on_settle_run,
  .quiet_settles = SETTLE_QUIET(SETTLE_FORK | SETTLE_WRITTEN),
  .on_exec = ad_on_exec,
  .release = ad_release,
};
