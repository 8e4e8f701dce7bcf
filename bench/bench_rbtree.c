/* Benchmark of cfssim's red-black tree against BSD <sys/tree.h> RB macros,
 * glibc tsearch and a binary heap (the floor for pick-min), on the same
 * loops with the same key sequences.  Writes OUTDIR/rbtree.csv (impl,
 * loop,n,ns_per_op), default OUTDIR build/bench; -l, -n and -i pick one
 * cell for profiling.  Every implementation's results are cross-checked. */
#include <errno.h>
#include <inttypes.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* tree.h marks its static functions __unused, which glibc's cdefs lacks */
#ifndef __unused
#define __unused __attribute__((unused))
#endif
#include <bsd/sys/tree.h>

#include "rbtree/rbtree.h"

#define MAX_RUNS     31
#define DEFAULT_RUNS 7
#define KEY_WINDOW   (UINT64_C(1) << 20) /* cfs_cycle: advance in [1, 2^20] */

/* ---- the pseudo-random stream: splitmix64, inline so that it costs the
 * same couple of cycles in every implementation's loop ---- */

struct stream {
	uint64_t x;
};

static inline uint64_t stream_next(struct stream *s)
{
	uint64_t z = (s->x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n) by multiply-shift (bias below 2^-32 for our n). */
static inline uint32_t stream_below(struct stream *s, uint32_t n)
{
	return (uint32_t)(((stream_next(s) >> 32) * n) >> 32);
}

static inline uint64_t cfs_advance(struct stream *s)
{
	return 1 + (stream_next(s) >> 44); /* [1, 2^20] */
}

static inline uint64_t random_key(struct stream *s)
{
	return stream_next(s) >> 32;
}

/* ---- what every implementation provides ---- */

enum loop { LOOP_CFS_CYCLE, LOOP_RANDOM, NR_LOOPS };
static const char *const loop_names[NR_LOOPS] = {"cfs_cycle", "random"};

struct impl {
	const char *name;
	/* builds a structure holding n elements with keys[i], element id i */
	void *(*build)(const uint64_t *keys, uint32_t n);
	/* nr_ops iterations of the loop; returns a checksum of what it saw */
	uint64_t (*run)(void *s, enum loop loop, uint64_t nr_ops,
			struct stream *rs);
	/* hash of the (key) sequence in ascending order, untimed */
	uint64_t (*hash)(void *s);
	void (*destroy)(void *s);
};

static uint64_t hash_step(uint64_t h, uint64_t key)
{
	return (h ^ key) * UINT64_C(0x100000001b3);
}

/* ---- cfssim: rbtree/ with its cached leftmost and rb_add_cached ---- */

struct cnode {
	struct rb_node node;
	uint64_t key;
};

struct ctree {
	struct rb_root_cached root;
	struct cnode *nodes;
	uint32_t n;
};

static bool cnode_less(const struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct cnode, node)->key <
	       rb_entry(b, struct cnode, node)->key;
}

static void *cfssim_build(const uint64_t *keys, uint32_t n)
{
	struct ctree *t = calloc(1, sizeof(*t));
	uint32_t i;

	if (!t || !(t->nodes = calloc(n, sizeof(*t->nodes))))
		abort();
	t->root = RB_ROOT_CACHED;
	t->n = n;
	for (i = 0; i < n; i++) {
		t->nodes[i].key = keys[i];
		rb_add_cached(&t->nodes[i].node, &t->root, cnode_less);
	}
	return t;
}

static uint64_t cfssim_run(void *s, enum loop loop, uint64_t nr_ops,
			   struct stream *rs)
{
	struct ctree *t = s;
	uint64_t i, sum = 0;

	if (loop == LOOP_CFS_CYCLE) {
		for (i = 0; i < nr_ops; i++) {
			struct rb_node *first = rb_first_cached(&t->root);
			struct cnode *c = rb_entry(first, struct cnode, node);

			sum += c->key;
			rb_erase_cached(first, &t->root);
			c->key += cfs_advance(rs);
			rb_add_cached_inline(first, &t->root, cnode_less);
		}
		return sum;
	}
	for (i = 0; i < nr_ops; i++) {
		struct cnode *c = &t->nodes[stream_below(rs, t->n)];

		rb_erase_cached(&c->node, &t->root);
		c->key = random_key(rs);
		rb_add_cached_inline(&c->node, &t->root, cnode_less);
	}
	return sum;
}

static uint64_t cfssim_hash(void *s)
{
	struct ctree *t = s;
	struct rb_node *n;
	uint64_t h = 0;

	for (n = rb_first_cached(&t->root); n; n = rb_next(n))
		h = hash_step(h, rb_entry(n, struct cnode, node)->key);
	return h;
}

static void cfssim_destroy(void *s)
{
	struct ctree *t = s;

	free(t->nodes);
	free(t);
}

/* ---- BSD <sys/tree.h>: RB_MIN walks down the left spine ---- */

struct bnode {
	RB_ENTRY(bnode) entry;
	uint64_t key;
	uint32_t id; /* tiebreak: RB_INSERT refuses an equal element */
};

RB_HEAD(btree, bnode);

static inline int bnode_cmp(const struct bnode *a, const struct bnode *b)
{
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

RB_GENERATE_STATIC(btree, bnode, entry, bnode_cmp)

struct bsd {
	struct btree head;
	struct bnode *nodes;
	uint32_t n;
};

static void *bsd_build(const uint64_t *keys, uint32_t n)
{
	struct bsd *t = calloc(1, sizeof(*t));
	uint32_t i;

	if (!t || !(t->nodes = calloc(n, sizeof(*t->nodes))))
		abort();
	RB_INIT(&t->head);
	t->n = n;
	for (i = 0; i < n; i++) {
		t->nodes[i].key = keys[i];
		t->nodes[i].id = i;
		RB_INSERT(btree, &t->head, &t->nodes[i]);
	}
	return t;
}

static uint64_t bsd_run(void *s, enum loop loop, uint64_t nr_ops,
			struct stream *rs)
{
	struct bsd *t = s;
	uint64_t i, sum = 0;

	if (loop == LOOP_CFS_CYCLE) {
		for (i = 0; i < nr_ops; i++) {
			struct bnode *b = RB_MIN(btree, &t->head);

			sum += b->key;
			RB_REMOVE(btree, &t->head, b);
			b->key += cfs_advance(rs);
			RB_INSERT(btree, &t->head, b);
		}
		return sum;
	}
	for (i = 0; i < nr_ops; i++) {
		struct bnode *b = &t->nodes[stream_below(rs, t->n)];

		RB_REMOVE(btree, &t->head, b);
		b->key = random_key(rs);
		RB_INSERT(btree, &t->head, b);
	}
	return sum;
}

static uint64_t bsd_hash(void *s)
{
	struct bsd *t = s;
	struct bnode *b;
	uint64_t h = 0;

	RB_FOREACH(b, btree, &t->head)
	h = hash_step(h, b->key);
	return h;
}

static void bsd_destroy(void *s)
{
	struct bsd *t = s;

	free(t->nodes);
	free(t);
}

/* ---- glibc tsearch/tdelete.  The tree is opaque and has no minimum
 * operation; the minimum is found with tfind of a probe that compares
 * below everything: the descent then goes left at every node, and the
 * comparator notes the last element it was shown, which is the leftmost.
 * That is the same O(log n) walk as RB_MIN, through the public API. ---- */

struct gnode {
	uint64_t key;
	uint32_t id;	/* tiebreak: tsearch finds, not adds, an equal key */
	uint32_t probe; /* 1 in the min probe only */
	struct gnode **seen; /* probe only: where to note the element */
};

struct glibc {
	void *root;
	struct gnode *nodes;
	uint32_t n;
};

static int gnode_cmp(const void *pa, const void *pb)
{
	const struct gnode *a = pa, *b = pb;

	if (a->probe | b->probe) {
		if (a->probe) {
			*a->seen = (struct gnode *)(uintptr_t)b;
			return -1;
		}
		*b->seen = (struct gnode *)(uintptr_t)a;
		return 1;
	}
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void *glibc_build(const uint64_t *keys, uint32_t n)
{
	struct glibc *t = calloc(1, sizeof(*t));
	uint32_t i;

	if (!t || !(t->nodes = calloc(n, sizeof(*t->nodes))))
		abort();
	t->n = n;
	for (i = 0; i < n; i++) {
		t->nodes[i].key = keys[i];
		t->nodes[i].id = i;
		if (!tsearch(&t->nodes[i], &t->root, gnode_cmp))
			abort();
	}
	return t;
}

static uint64_t glibc_run(void *s, enum loop loop, uint64_t nr_ops,
			  struct stream *rs)
{
	struct glibc *t = s;
	uint64_t i, sum = 0;

	if (loop == LOOP_CFS_CYCLE) {
		struct gnode *min = NULL;
		struct gnode probe = {.probe = 1, .seen = &min};

		for (i = 0; i < nr_ops; i++) {
			tfind(&probe, &t->root, gnode_cmp);
			sum += min->key;
			tdelete(min, &t->root, gnode_cmp);
			min->key += cfs_advance(rs);
			if (!tsearch(min, &t->root, gnode_cmp))
				abort();
		}
		return sum;
	}
	for (i = 0; i < nr_ops; i++) {
		struct gnode *g = &t->nodes[stream_below(rs, t->n)];

		tdelete(g, &t->root, gnode_cmp);
		g->key = random_key(rs);
		if (!tsearch(g, &t->root, gnode_cmp))
			abort();
	}
	return sum;
}

static void glibc_hash_visit(const void *nodep, VISIT which, void *closure)
{
	if (which == postorder || which == leaf) {
		const struct gnode *g = *(const struct gnode *const *)nodep;
		uint64_t *h = closure;

		*h = hash_step(*h, g->key);
	}
}

static uint64_t glibc_hash(void *s)
{
	struct glibc *t = s;
	uint64_t h = 0;

	twalk_r(t->root, glibc_hash_visit, &h);
	return h;
}

static void free_nothing(void *p)
{
	(void)p;
}

static void glibc_destroy(void *s)
{
	struct glibc *t = s;

	tdestroy(t->root, free_nothing);
	free(t->nodes);
	free(t);
}

/* ---- binary heap: the floor for pick-min.  cfs_cycle advances the top's
 * key in place and sifts it down; random moves the element's key and sifts
 * it up or down (a heap's erase + reinsert).  Ties are not ordered. ---- */

struct hslot {
	uint64_t key;
	uint32_t id;
};

struct heap {
	struct hslot *a;
	uint32_t *pos; /* pos[id]: index of element id in a */
	uint32_t n;
};

static inline void heap_put(struct heap *h, uint32_t i, struct hslot v)
{
	h->a[i] = v;
	h->pos[v.id] = i;
}

static inline void heap_sift_up(struct heap *h, uint32_t i)
{
	struct hslot v = h->a[i];

	while (i > 0) {
		uint32_t p = (i - 1) / 2;

		if (h->a[p].key <= v.key)
			break;
		heap_put(h, i, h->a[p]);
		i = p;
	}
	heap_put(h, i, v);
}

static inline void heap_sift_down(struct heap *h, uint32_t i)
{
	struct hslot v = h->a[i];

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->a[c + 1].key < h->a[c].key)
			c++;
		if (v.key <= h->a[c].key)
			break;
		heap_put(h, i, h->a[c]);
		i = c;
	}
	heap_put(h, i, v);
}

static void *heap_build(const uint64_t *keys, uint32_t n)
{
	struct heap *h = calloc(1, sizeof(*h));
	uint32_t i;

	if (!h || !(h->a = calloc(n, sizeof(*h->a))) ||
	    !(h->pos = calloc(n, sizeof(*h->pos))))
		abort();
	for (i = 0; i < n; i++) {
		heap_put(h, i, (struct hslot){keys[i], i});
		h->n = i + 1;
		heap_sift_up(h, i);
	}
	return h;
}

static uint64_t heap_run(void *s, enum loop loop, uint64_t nr_ops,
			 struct stream *rs)
{
	struct heap *h = s;
	uint64_t i, sum = 0;

	if (loop == LOOP_CFS_CYCLE) {
		for (i = 0; i < nr_ops; i++) {
			sum += h->a[0].key;
			h->a[0].key += cfs_advance(rs);
			heap_sift_down(h, 0);
		}
		return sum;
	}
	for (i = 0; i < nr_ops; i++) {
		uint32_t at = h->pos[stream_below(rs, h->n)];
		uint64_t old = h->a[at].key;

		h->a[at].key = random_key(rs);
		if (h->a[at].key < old)
			heap_sift_up(h, at);
		else
			heap_sift_down(h, at);
	}
	return sum;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static uint64_t heap_hash(void *s)
{
	struct heap *h = s;
	uint64_t *keys = malloc(h->n * sizeof(*keys)), hash = 0;
	uint32_t i;

	if (!keys)
		abort();
	for (i = 0; i < h->n; i++)
		keys[i] = h->a[i].key;
	qsort(keys, h->n, sizeof(*keys), cmp_u64);
	for (i = 0; i < h->n; i++)
		hash = hash_step(hash, keys[i]);
	free(keys);
	return hash;
}

static void heap_destroy(void *s)
{
	struct heap *h = s;

	free(h->a);
	free(h->pos);
	free(h);
}

static const struct impl impls[] = {
	{"cfssim", cfssim_build, cfssim_run, cfssim_hash, cfssim_destroy},
	{"bsd", bsd_build, bsd_run, bsd_hash, bsd_destroy},
	{"glibc", glibc_build, glibc_run, glibc_hash, glibc_destroy},
	{"heap", heap_build, heap_run, heap_hash, heap_destroy},
};
#define NR_IMPLS (sizeof(impls) / sizeof(impls[0]))

/* ---- driver ---- */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/* Operations per timed run: about 0.05 s at the small sizes, so that many
 * short runs ride out other load on the machine, and still 0.4 elements
 * touched per element at n = 10^6 (where one run takes about 1 s). */
static uint64_t ops_for(uint32_t n)
{
	return n >= 1000000 ? 400000 : 1000000;
}

/* One (loop, n) cell: all implementations get the same initial keys and
 * the same operation stream.  Runs are interleaved (warm-up, then run r of
 * every implementation before run r + 1) so that a disturbance on the
 * machine hits all of them alike.  Returns -1 if their results differ. */
static int bench_cell(const struct impl *const *set, unsigned nr_impls,
		      enum loop loop, uint32_t n, unsigned runs, FILE *csv,
		      double *median_ns)
{
	uint64_t seed = UINT64_C(0x5eed) + (uint64_t)loop * 1000003 + n;
	uint64_t nr_ops = ops_for(n);
	struct stream init = {seed}, streams[NR_IMPLS];
	uint64_t *keys = malloc(n * sizeof(*keys));
	uint64_t sums[NR_IMPLS] = {0}, hashes[NR_IMPLS];
	double ns[NR_IMPLS][MAX_RUNS];
	void *state[NR_IMPLS];
	unsigned i, r;
	uint32_t k;
	int rc = 0;

	if (!keys)
		abort();
	for (k = 0; k < n; k++)
		keys[k] = loop == LOOP_CFS_CYCLE ?
				  stream_next(&init) % KEY_WINDOW :
				  random_key(&init);
	for (i = 0; i < nr_impls; i++) {
		state[i] = set[i]->build(keys, n);
		streams[i].x = seed ^ UINT64_C(0xabcdef);
	}
	for (r = 0; r <= runs; r++) {
		for (i = 0; i < nr_impls; i++) {
			double t0 = now_ns();

			sums[i] += set[i]->run(state[i], loop, nr_ops,
					       &streams[i]);
			if (r > 0) /* run 0 is the warm-up */
				ns[i][r - 1] = (now_ns() - t0) / (double)nr_ops;
		}
	}
	for (i = 0; i < nr_impls; i++) {
		double med;

		hashes[i] = set[i]->hash(state[i]);
		set[i]->destroy(state[i]);
		qsort(ns[i], runs, sizeof(ns[i][0]), cmp_double);
		med = ns[i][runs / 2];
		median_ns[i] = med;
		printf("%-7s %-10s %8" PRIu32 " %9.1f %9.1f %9.1f\n",
		       set[i]->name, loop_names[loop], n, med, ns[i][0],
		       ns[i][runs - 1]);
		fprintf(csv, "%s,%s,%" PRIu32 ",%.1f\n", set[i]->name,
			loop_names[loop], n, med);
		if (sums[i] != sums[0] || hashes[i] != hashes[0]) {
			fprintf(stderr,
				"bench_rbtree: '%s' disagrees with '%s' on %s "
				"n=%" PRIu32 "\n",
				set[i]->name, set[0]->name, loop_names[loop],
				n);
			rc = -1;
		}
	}
	fflush(stdout);
	free(keys);
	return rc;
}

/* The target of issue 5: cfssim's tree at most 0.7 times the time of BSD
 * tree.h on cfs_cycle at n = 1000 and n = 10^6. */
static void report_target(const struct impl *const *set, unsigned nr_impls,
			  uint32_t n, const double *med)
{
	double cfssim = 0, bsd = 0;
	unsigned i;

	if (n != 1000 && n != 1000000)
		return;
	for (i = 0; i < nr_impls; i++) {
		if (!strcmp(set[i]->name, "cfssim"))
			cfssim = med[i];
		else if (!strcmp(set[i]->name, "bsd"))
			bsd = med[i];
	}
	if (cfssim > 0 && bsd > 0)
		printf("# target cfs_cycle n=%" PRIu32 ": cfssim/bsd = %.2f "
		       "(<= 0.70: %s)\n",
		       n, cfssim / bsd,
		       cfssim / bsd <= 0.70 ? "holds" : "MISSED");
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_rbtree [-r RUNS] [-l cfs_cycle|random] "
			"[-n N] [-i IMPL] [OUTDIR]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = {100, 1000, 10000, 100000, 1000000};
	const char *outdir = "build/bench", *only_loop = NULL;
	unsigned runs = DEFAULT_RUNS, s;
	unsigned long only_n = 0;
	const struct impl *set[NR_IMPLS];
	unsigned nr_impls = NR_IMPLS;
	char path[4096], *end;
	FILE *csv;
	int rc = 0, l, opt;

	for (s = 0; s < NR_IMPLS; s++)
		set[s] = &impls[s];
	while ((opt = getopt(argc, argv, "r:l:n:i:")) != -1) {
		switch (opt) {
		case 'r':
			runs = (unsigned)strtoul(optarg, &end, 10);
			if (*end || runs < 1 || runs > MAX_RUNS) {
				fprintf(stderr,
					"bench_rbtree: runs must be 1..%d, "
					"not '%s'\n",
					MAX_RUNS, optarg);
				return 2;
			}
			break;
		case 'l':
			only_loop = optarg;
			break;
		case 'n':
			only_n = strtoul(optarg, &end, 10);
			if (*end || only_n < 1 || only_n > UINT32_MAX) {
				fprintf(stderr,
					"bench_rbtree: invalid size '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'i':
			nr_impls = 0;
			for (s = 0; s < NR_IMPLS; s++)
				if (!strcmp(optarg, impls[s].name))
					set[nr_impls++] = &impls[s];
			if (!nr_impls) {
				fprintf(stderr,
					"bench_rbtree: unknown impl '%s'\n",
					optarg);
				return 2;
			}
			break;
		default:
			return usage();
		}
	}
	if (optind < argc)
		outdir = argv[optind++];
	if (optind < argc)
		return usage();
	snprintf(path, sizeof(path), "%s/rbtree.csv", outdir);
	csv = fopen(path, "w");
	if (!csv) {
		fprintf(stderr, "bench_rbtree: cannot open '%s': %s\n", path,
			strerror(errno));
		return 1;
	}
	fprintf(csv, "impl,loop,n,ns_per_op\n");
	printf("# median of %u runs after a warm-up; ns per operation\n", runs);
	printf("%-7s %-10s %8s %9s %9s %9s\n", "impl", "loop", "n", "median",
	       "min", "max");
	for (l = 0; l < NR_LOOPS; l++) {
		if (only_loop && strcmp(only_loop, loop_names[l]))
			continue;
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			uint32_t n = only_n ? (uint32_t)only_n : sizes[s];
			double med[NR_IMPLS];

			if (bench_cell(set, nr_impls, (enum loop)l, n, runs,
				       csv, med))
				rc = 1;
			if (l == LOOP_CFS_CYCLE)
				report_target(set, nr_impls, n, med);
			if (only_n)
				break;
		}
	}
	if (fclose(csv)) {
		fprintf(stderr, "bench_rbtree: cannot write '%s': %s\n", path,
			strerror(errno));
		return 1;
	}
	return rc;
}
