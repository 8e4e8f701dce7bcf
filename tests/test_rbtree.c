/* Tests of the intrusive red-black tree through its public interface.  Every
 * randomised test runs a full invariant check after every single operation:
 * order (equal keys in insertion order), colours, black height, node count,
 * parent links, the cached leftmost and, for the augmented tree, the
 * subtree minimum of a second field against brute force. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rbtree/rbtree.h"
#include "base/rng.h"

struct item {
	struct rb_node node;
	uint64_t key;	  /* tree order */
	uint64_t seq;	  /* insertion number: order among equal keys */
	uint64_t val;	  /* second field, augmented tree only */
	uint64_t sub_min; /* minimum val in this node's subtree */
	size_t slot;	  /* index in the fixture's in-tree array */
	bool in_tree;
};

static struct item *item_of(const struct rb_node *n)
{
	return rb_entry_safe(n, struct item, node);
}

static bool item_less(const struct rb_node *a, const struct rb_node *b)
{
	return item_of(a)->key < item_of(b)->key;
}

static bool is_red_node(const struct rb_node *n)
{
	return n && !(n->parent_color & 1);
}

/* ---- augmentation: subtree minimum of val ---- */

static uint64_t compute_sub_min(const struct item *it)
{
	uint64_t m = it->val;

	if (it->node.left && item_of(it->node.left)->sub_min < m)
		m = item_of(it->node.left)->sub_min;
	if (it->node.right && item_of(it->node.right)->sub_min < m)
		m = item_of(it->node.right)->sub_min;
	return m;
}

static void aug_propagate(struct rb_node *n, struct rb_node *stop)
{
	while (n != stop) {
		struct item *it = item_of(n);
		uint64_t m = compute_sub_min(it);

		if (it->sub_min == m)
			break;
		it->sub_min = m;
		n = rb_parent(n);
	}
}

static void aug_copy(struct rb_node *old, struct rb_node *new_node)
{
	item_of(new_node)->sub_min = item_of(old)->sub_min;
}

static void aug_rotate(struct rb_node *old, struct rb_node *new_node)
{
	item_of(new_node)->sub_min = item_of(old)->sub_min;
	item_of(old)->sub_min = compute_sub_min(item_of(old));
}

static const struct rb_augment_callbacks aug_min = {
	.propagate = aug_propagate,
	.copy = aug_copy,
	.rotate = aug_rotate,
};

/* ---- invariant checker ---- */

struct walk {
	const struct item *prev; /* previous node in order */
	const struct item *first;
	size_t count;
	bool augmented;
};

/* Returns the black height of the subtree at n (NULL leaves count 1) and
 * its minimum val computed by brute force in *min_val. */
static unsigned check_subtree(const struct rb_node *n,
			      const struct rb_node *parent, struct walk *w,
			      uint64_t *min_val)
{
	const struct item *it;
	uint64_t lmin = UINT64_MAX, rmin = UINT64_MAX;
	unsigned lh, rh;

	if (!n)
		return 1;
	it = item_of(n);
	assert_ptr_equal(rb_parent(n), parent);
	assert_true(it->in_tree);
	if (is_red_node(n)) {
		assert_false(is_red_node(n->left));
		assert_false(is_red_node(n->right));
	}
	lh = check_subtree(n->left, n, w, &lmin);
	if (w->prev) {
		/* (key, seq) strictly increases: order kept among equals */
		assert_true(w->prev->key <= it->key);
		if (w->prev->key == it->key)
			assert_true(w->prev->seq < it->seq);
	} else {
		w->first = it;
	}
	w->prev = it;
	w->count++;
	rh = check_subtree(n->right, n, w, &rmin);
	assert_int_equal(lh, rh);
	*min_val = it->val;
	if (lmin < *min_val)
		*min_val = lmin;
	if (rmin < *min_val)
		*min_val = rmin;
	if (w->augmented)
		assert_int_equal(it->sub_min, *min_val);
	return lh + !is_red_node(n);
}

static void check_tree(const struct rb_root_cached *root, size_t count,
		       bool augmented)
{
	struct walk w = {.augmented = augmented};
	uint64_t min_val = UINT64_MAX;

	if (root->root.node) {
		assert_null(rb_parent(root->root.node));
		assert_false(is_red_node(root->root.node));
	}
	check_subtree(root->root.node, NULL, &w, &min_val);
	assert_int_equal(w.count, count);
	assert_ptr_equal(root->leftmost, w.first ? &w.first->node : NULL);
	assert_ptr_equal(rb_first(&root->root), root->leftmost);
	assert_int_equal(rb_empty(root), count == 0);
}

/* ---- fixture for the randomised runs ---- */

struct fixture {
	struct rb_root_cached root;
	struct item *items;    /* the pool */
	struct item **in_tree; /* the items now linked, any order */
	struct item **spare;   /* the items now unlinked */
	size_t nr_items, nr_in, nr_spare;
	uint64_t next_seq;
	bool augmented;
	struct rng rng;
};

static void fixture_init(struct fixture *f, size_t nr_items, bool augmented,
			 uint64_t seed)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->root = RB_ROOT_CACHED;
	f->items = calloc(nr_items, sizeof(*f->items));
	f->in_tree = calloc(nr_items, sizeof(*f->in_tree));
	f->spare = calloc(nr_items, sizeof(*f->spare));
	assert_non_null(f->items);
	assert_non_null(f->in_tree);
	assert_non_null(f->spare);
	f->nr_items = nr_items;
	for (i = 0; i < nr_items; i++) {
		rb_clear_node(&f->items[i].node);
		f->spare[f->nr_spare++] = &f->items[i];
	}
	f->augmented = augmented;
	rng_seed(&f->rng, seed);
}

static void fixture_destroy(struct fixture *f)
{
	free(f->items);
	free(f->in_tree);
	free(f->spare);
}

static void track_in(struct fixture *f, struct item *it)
{
	it->in_tree = true;
	it->slot = f->nr_in;
	f->in_tree[f->nr_in++] = it;
}

static void track_out(struct fixture *f, struct item *it)
{
	struct item *last = f->in_tree[--f->nr_in];

	f->in_tree[it->slot] = last;
	last->slot = it->slot;
	it->in_tree = false;
	rb_clear_node(&it->node);
	f->spare[f->nr_spare++] = it;
}

static struct item *take_spare(struct fixture *f)
{
	size_t i = rng_range(&f->rng, 0, f->nr_spare - 1);
	struct item *it = f->spare[i];

	f->spare[i] = f->spare[--f->nr_spare];
	return it;
}

/* Open-coded descent, the way a caller with its own comparison links. */
static void insert_by_hand(struct fixture *f, struct item *it)
{
	struct rb_node **link = &f->root.root.node, *parent = NULL;
	bool leftmost = true;

	it->sub_min = it->val;
	while (*link) {
		parent = *link;
		if (f->augmented && item_of(parent)->sub_min > it->val)
			item_of(parent)->sub_min = it->val;
		if (it->key < item_of(parent)->key) {
			link = &parent->left;
		} else {
			link = &parent->right;
			leftmost = false;
		}
	}
	rb_link_node(&it->node, parent, link);
	if (f->augmented)
		rb_insert_augmented_cached(&it->node, &f->root, leftmost,
					   &aug_min);
	else
		rb_insert_color_cached(&it->node, &f->root, leftmost);
}

static void op_insert(struct fixture *f, uint64_t key_range)
{
	struct item *it = take_spare(f);

	it->key = rng_range(&f->rng, 0, key_range - 1);
	it->val = rng_range(&f->rng, 0, 1u << 20);
	it->seq = f->next_seq++;
	if (f->augmented || it->seq % 3 == 0)
		insert_by_hand(f, it);
	else if (it->seq % 3 == 1)
		rb_add_cached(&it->node, &f->root, item_less);
	else
		rb_add_cached_inline(&it->node, &f->root, item_less);
	assert_true(rb_is_linked(&it->node));
	track_in(f, it);
}

static void erase_item(struct fixture *f, struct item *it)
{
	if (f->augmented)
		rb_erase_augmented_cached(&it->node, &f->root, &aug_min);
	else
		rb_erase_cached(&it->node, &f->root);
	track_out(f, it);
}

static void op_erase_random(struct fixture *f)
{
	erase_item(f, f->in_tree[rng_range(&f->rng, 0, f->nr_in - 1)]);
}

static void op_erase_leftmost(struct fixture *f)
{
	erase_item(f, item_of(rb_first_cached(&f->root)));
}

/* The replacement takes the victim's key, sequence and val: it stands in
 * the same place of the order. */
static void op_replace(struct fixture *f)
{
	struct item *victim = f->in_tree[rng_range(&f->rng, 0, f->nr_in - 1)];
	struct item *it = take_spare(f);

	it->key = victim->key;
	it->seq = victim->seq;
	it->val = victim->val;
	it->sub_min = victim->sub_min;
	rb_replace_node_cached(&victim->node, &it->node, &f->root);
	track_out(f, victim);
	track_in(f, it);
}

/* Random operations with the tree size hovering around target; keys drawn
 * from [0, key_range) so that a small range gives many duplicates. */
static void run_random_ops(uint64_t seed, unsigned nr_ops, size_t target,
			   uint64_t key_range, bool augmented)
{
	struct fixture f;
	unsigned i;

	fixture_init(&f, 2 * target + 16, augmented, seed);
	for (i = 0; i < nr_ops; i++) {
		unsigned r = rng_range(&f.rng, 0, 99);
		unsigned insert_pct = f.nr_in < target ? 55 : 35;

		if (f.nr_in == 0 || (r < insert_pct && f.nr_spare > 0))
			op_insert(&f, key_range);
		else if (r < 70)
			op_erase_random(&f);
		else if (r < 85 || f.nr_spare == 0)
			op_erase_leftmost(&f);
		else
			op_replace(&f);
		check_tree(&f.root, f.nr_in, augmented);
		if (augmented) {
			uint64_t m = UINT64_MAX;
			size_t j;

			for (j = 0; j < f.nr_in; j++)
				if (f.in_tree[j]->val < m)
					m = f.in_tree[j]->val;
			if (f.nr_in)
				assert_int_equal(
					item_of(f.root.root.node)->sub_min, m);
		}
	}
	while (f.nr_in) {
		op_erase_leftmost(&f);
		check_tree(&f.root, f.nr_in, augmented);
	}
	assert_null(f.root.root.node);
	assert_null(rb_first_cached(&f.root));
	fixture_destroy(&f);
}

/* ---- tests ---- */

static void test_rb_random_ops_keep_invariants_with_many_duplicates(void **s)
{
	(void)s;
	/* 32 distinct keys for ~1000 nodes: ~30 copies of each key */
	run_random_ops(1, 100000, 1000, 32, false);
}

static void test_rb_random_ops_keep_invariants_on_small_trees(void **s)
{
	(void)s;
	/* sizes 0..~20 hit the root and near-root cases over and over */
	run_random_ops(2, 100000, 12, 8, false);
}

static void test_rb_random_ops_keep_invariants_with_distinct_keys(void **s)
{
	(void)s;
	run_random_ops(3, 100000, 2000, UINT64_C(1) << 40, false);
}

static void test_rb_augmented_subtree_min_matches_brute_force(void **s)
{
	(void)s;
	run_random_ops(4, 100000, 500, 64, true);
	run_random_ops(5, 30000, 10, 4, true);
}

static void test_rb_empty_tree_has_no_first_last_or_leftmost(void **s)
{
	struct rb_root_cached root = RB_ROOT_CACHED;

	(void)s;
	assert_true(rb_empty(&root));
	assert_null(rb_first_cached(&root));
	assert_null(rb_first(&root.root));
	assert_null(rb_last(&root.root));
	check_tree(&root, 0, false);
}

static void test_rb_single_node_is_black_root_and_leftmost(void **s)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct item a = {.key = 7, .in_tree = true};

	(void)s;
	rb_clear_node(&a.node);
	assert_false(rb_is_linked(&a.node));
	rb_add_cached(&a.node, &root, item_less);
	assert_true(rb_is_linked(&a.node));
	assert_ptr_equal(root.root.node, &a.node);
	assert_ptr_equal(rb_first_cached(&root), &a.node);
	assert_ptr_equal(rb_last(&root.root), &a.node);
	assert_null(rb_next(&a.node));
	assert_null(rb_prev(&a.node));
	check_tree(&root, 1, false);

	rb_erase_cached(&a.node, &root);
	assert_true(rb_empty(&root));
	assert_null(root.root.node);
	assert_null(rb_first_cached(&root));
}

static void add_keys(struct rb_root_cached *root, struct item *items,
		     const uint64_t *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		items[i].key = keys[i];
		items[i].seq = i;
		items[i].in_tree = true;
		rb_add_cached(&items[i].node, root, item_less);
	}
}

/* Shapes worked out by hand from the insert cases. */
static void test_rb_ascending_inserts_rotate_into_balanced_shape(void **s)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct item it[4];
	const uint64_t keys[] = {1, 2, 3, 4};

	(void)s;
	/* 1, 2 (red right child), 3: outer child under a red parent with no
	 * uncle -> one left rotation at 1: 2 black with red 1 and 3. */
	add_keys(&root, it, keys, 3);
	assert_ptr_equal(root.root.node, &it[1].node);
	assert_ptr_equal(it[1].node.left, &it[0].node);
	assert_ptr_equal(it[1].node.right, &it[2].node);
	assert_false(is_red_node(&it[1].node));
	assert_true(is_red_node(&it[0].node));
	assert_true(is_red_node(&it[2].node));
	/* 4 under red 3 with red uncle 1 -> recolour: 1 and 3 black, 2 would
	 * turn red but is the root, so stays black; 4 red. */
	add_keys(&root, it + 3, keys + 3, 1);
	assert_ptr_equal(root.root.node, &it[1].node);
	assert_ptr_equal(it[2].node.right, &it[3].node);
	assert_false(is_red_node(&it[0].node));
	assert_false(is_red_node(&it[2].node));
	assert_true(is_red_node(&it[3].node));
	check_tree(&root, 4, false);

	/* Erasing black 1 leaves its sibling 3 black with a red far child 4:
	 * one left rotation at 2 makes 3 the black root over black 2 and 4. */
	rb_erase_cached(&it[0].node, &root);
	it[0].in_tree = false;
	assert_ptr_equal(root.root.node, &it[2].node);
	assert_ptr_equal(it[2].node.left, &it[1].node);
	assert_ptr_equal(it[2].node.right, &it[3].node);
	assert_false(is_red_node(&it[1].node));
	assert_false(is_red_node(&it[3].node));
	assert_ptr_equal(rb_first_cached(&root), &it[1].node);
	check_tree(&root, 3, false);
}

static void test_rb_inner_child_insert_rotates_twice(void **s)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct item it[3];
	const uint64_t keys[] = {3, 1, 2};

	(void)s;
	/* 2 is the right child of red 1, left child of 3: rotate at 1, then
	 * at 3; 2 ends up the black root. */
	add_keys(&root, it, keys, 3);
	assert_ptr_equal(root.root.node, &it[2].node);
	assert_ptr_equal(it[2].node.left, &it[1].node);
	assert_ptr_equal(it[2].node.right, &it[0].node);
	check_tree(&root, 3, false);
}

static void test_rb_erasing_leftmost_moves_cache_to_next_smallest(void **s)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct item it[7];
	const uint64_t keys[] = {50, 30, 80, 10, 40, 70, 90};
	const size_t order[] = {3, 1, 4, 0, 5, 2, 6};
	size_t i;

	(void)s;
	add_keys(&root, it, keys, 7);
	for (i = 0; i < 7; i++) {
		assert_ptr_equal(rb_first_cached(&root), &it[order[i]].node);
		rb_erase_cached(&it[order[i]].node, &root);
		it[order[i]].in_tree = false;
		check_tree(&root, 6 - i, false);
	}
	assert_null(rb_first_cached(&root));
}

static void test_rb_erasing_other_nodes_keeps_cached_leftmost(void **s)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct item it[5];
	const uint64_t keys[] = {5, 3, 8, 1, 4};

	(void)s;
	add_keys(&root, it, keys, 5);
	rb_erase_cached(&it[0].node, &root); /* the root, two children */
	it[0].in_tree = false;
	assert_ptr_equal(rb_first_cached(&root), &it[3].node);
	check_tree(&root, 4, false);
}

static void test_rb_equal_key_goes_right_and_does_not_take_cache(void **s)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct item it[4];
	const uint64_t keys[] = {5, 5, 5, 4};

	(void)s;
	add_keys(&root, it, keys, 3);
	assert_ptr_equal(rb_first_cached(&root), &it[0].node);
	assert_ptr_equal(rb_next(&it[0].node), &it[1].node);
	assert_ptr_equal(rb_next(&it[1].node), &it[2].node);
	add_keys(&root, it + 3, keys + 3, 1); /* a strictly smaller key does */
	assert_ptr_equal(rb_first_cached(&root), &it[3].node);
}

static int cmp_key_seq(const void *a, const void *b)
{
	const struct item *x = *(const struct item *const *)a;
	const struct item *y = *(const struct item *const *)b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void test_rb_next_and_prev_walk_every_node_in_order(void **s)
{
	struct fixture f;
	struct item **sorted;
	struct rb_node *n;
	size_t i;

	(void)s;
	fixture_init(&f, 3000, false, 6);
	for (i = 0; i < 3000; i++)
		op_insert(&f, 100);
	for (i = 0; i < 1000; i++)
		op_erase_random(&f);
	check_tree(&f.root, 2000, false);
	sorted = calloc(f.nr_in, sizeof(*sorted));
	assert_non_null(sorted);
	memcpy(sorted, f.in_tree, f.nr_in * sizeof(*sorted));
	qsort(sorted, f.nr_in, sizeof(*sorted), cmp_key_seq);

	assert_null(rb_prev(rb_first(&f.root.root)));
	for (i = 0, n = rb_first(&f.root.root); n; n = rb_next(n), i++) {
		assert_true(i < f.nr_in);
		assert_ptr_equal(item_of(n), sorted[i]);
	}
	assert_int_equal(i, f.nr_in);

	assert_null(rb_next(rb_last(&f.root.root)));
	for (i = f.nr_in, n = rb_last(&f.root.root); n; n = rb_prev(n)) {
		assert_true(i > 0);
		assert_ptr_equal(item_of(n), sorted[--i]);
	}
	assert_int_equal(i, 0);
	free(sorted);
	fixture_destroy(&f);
}

static void test_rb_replacing_leftmost_updates_cache_and_links(void **s)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct item it[5], sub = {.key = 1, .seq = 3, .in_tree = true};
	struct item top = {.key = 5, .seq = 0, .in_tree = true};
	const uint64_t keys[] = {5, 3, 8, 1, 4};

	(void)s;
	add_keys(&root, it, keys, 5);
	rb_replace_node_cached(&it[3].node, &sub.node, &root);
	it[3].in_tree = false;
	assert_ptr_equal(rb_first_cached(&root), &sub.node);
	assert_ptr_equal(rb_next(&sub.node), &it[1].node);
	check_tree(&root, 5, false);

	/* the root, with two children */
	rb_replace_node_cached(&it[0].node, &top.node, &root);
	it[0].in_tree = false;
	assert_ptr_equal(root.root.node, &top.node);
	check_tree(&root, 5, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_rb_empty_tree_has_no_first_last_or_leftmost),
		cmocka_unit_test(
			test_rb_single_node_is_black_root_and_leftmost),
		cmocka_unit_test(
			test_rb_ascending_inserts_rotate_into_balanced_shape),
		cmocka_unit_test(test_rb_inner_child_insert_rotates_twice),
		cmocka_unit_test(
			test_rb_erasing_leftmost_moves_cache_to_next_smallest),
		cmocka_unit_test(
			test_rb_erasing_other_nodes_keeps_cached_leftmost),
		cmocka_unit_test(
			test_rb_equal_key_goes_right_and_does_not_take_cache),
		cmocka_unit_test(
			test_rb_replacing_leftmost_updates_cache_and_links),
		cmocka_unit_test(
			test_rb_next_and_prev_walk_every_node_in_order),
		cmocka_unit_test(
			test_rb_random_ops_keep_invariants_with_many_duplicates),
		cmocka_unit_test(
			test_rb_random_ops_keep_invariants_on_small_trees),
		cmocka_unit_test(
			test_rb_random_ops_keep_invariants_with_distinct_keys),
		cmocka_unit_test(
			test_rb_augmented_subtree_min_matches_brute_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
