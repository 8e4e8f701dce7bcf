/* Intrusive red-black tree with a cached leftmost node.  The owner embeds a
 * struct rb_node and owns its memory; the tree never allocates.  Equal keys
 * go to the right (insertion order is kept among equals).  Optional augment
 * callbacks keep per-node subtree data (e.g. a minimum) up to date. */
#ifndef RBTREE_RBTREE_H
#define RBTREE_RBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rb_node {
	uintptr_t parent_color; /* parent pointer | colour in bit 0 */
	struct rb_node *left;
	struct rb_node *right;
};

struct rb_root {
	struct rb_node *node;
};

struct rb_root_cached {
	struct rb_root root;
	struct rb_node *leftmost;
};

#define RB_ROOT_CACHED ((struct rb_root_cached){{NULL}, NULL})

#define rb_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))
#define rb_entry(ptr, type, member) rb_container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) \
	((ptr) ? rb_entry(ptr, type, member) : NULL)

/* Keeps augmented subtree data valid across the tree's restructuring:
 * propagate recomputes from node up to (not including) stop; copy sets
 * new's data from old; rotate does copy(old, new) then recomputes old. */
struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new_node);
	void (*rotate)(struct rb_node *old, struct rb_node *new_node);
};

static inline struct rb_node *rb_parent(const struct rb_node *n)
{
	return (struct rb_node *)(n->parent_color & ~(uintptr_t)1);
}

static inline bool rb_empty(const struct rb_root_cached *root)
{
	return root->root.node == NULL;
}

static inline struct rb_node *rb_first_cached(const struct rb_root_cached *r)
{
	return r->leftmost;
}

/* A node that is in no tree: rb_clear_node marks it, rb_is_linked tests. */
static inline void rb_clear_node(struct rb_node *n)
{
	n->parent_color = (uintptr_t)n;
}

static inline bool rb_is_linked(const struct rb_node *n)
{
	return n->parent_color != (uintptr_t)n;
}

/* Links node as a red leaf at *link below parent; follow with
 * rb_insert_color_cached (or the augmented variant). */
void rb_link_node(struct rb_node *node, struct rb_node *parent,
		  struct rb_node **link);
void rb_insert_color_cached(struct rb_node *node, struct rb_root_cached *root,
			    bool leftmost);
void rb_erase_cached(struct rb_node *node, struct rb_root_cached *root);

/* Same with augment callbacks; before calling rb_insert_augmented_cached the
 * caller has set node's data and propagated it along the insertion path. */
void rb_insert_augmented_cached(struct rb_node *node,
				struct rb_root_cached *root, bool leftmost,
				const struct rb_augment_callbacks *aug);
void rb_erase_augmented_cached(struct rb_node *node,
			       struct rb_root_cached *root,
			       const struct rb_augment_callbacks *aug);

/* Puts new_node in victim's place (same key position, no rebalancing). */
void rb_replace_node_cached(struct rb_node *victim, struct rb_node *new_node,
			    struct rb_root_cached *root);

struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/* Inserts node ordered by less(a, b) (equal keys to the right). */
void rb_add_cached(struct rb_node *node, struct rb_root_cached *root,
		   bool (*less)(const struct rb_node *,
				const struct rb_node *));

/* Marks a condition that is true half the time at random, so that the
 * compiler selects with cmov instead of a branch that mispredicts. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_expect_with_probability)
#define RB_COIN_TOSS(x) __builtin_expect_with_probability((x), 1, 0.5)
#endif
#endif
#ifndef RB_COIN_TOSS
#define RB_COIN_TOSS(x) (x)
#endif

/* rb_add_cached expanded at the call site, so that a constant less is
 * inlined into the descent; for hot paths such as a runqueue's enqueue.
 * The direction is a coin toss that a branch predictor loses half the
 * time, so the child is selected without a branch (cmov). */
static inline __attribute__((always_inline)) void rb_add_cached_inline(
	struct rb_node *node, struct rb_root_cached *root,
	bool (*less)(const struct rb_node *, const struct rb_node *))
{
	struct rb_node *parent = NULL, *n = root->root.node;
	bool leftmost = true, went_left = false;

	while (n) {
		struct rb_node *l = n->left, *r = n->right;

		went_left = RB_COIN_TOSS(less(node, n));
		parent = n;
		n = went_left ? l : r;
		leftmost &= went_left;
	}
	node->parent_color = (uintptr_t)parent; /* red, as rb_link_node */
	node->left = NULL;
	node->right = NULL;
	if (!parent)
		root->root.node = node;
	else /* the same coin toss once more, again without a branch */
		*(struct rb_node **)((char *)parent +
				     (went_left ?
					      offsetof(struct rb_node, left) :
					      offsetof(struct rb_node,
						       right))) = node;
	rb_insert_color_cached(node, root, leftmost);
}

#endif
