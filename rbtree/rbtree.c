/* Red-black tree written from the textbook algorithm (CLRS ch. 13): insert
 * fixup in three cases, erase by splicing out a node with at most one child
 * followed by the four-case "double black" fixup.  Colour lives in bit 0 of
 * parent_color (0 red, 1 black); a missing child (NULL) counts as black. */
#include "rbtree/rbtree.h"

#include <assert.h>

#define RB_RED	 0
#define RB_BLACK 1

/* The plain and augmented entry points share one body; forcing it inline
 * lets the compiler drop every callback test from the plain variants. */
#define RB_ALWAYS_INLINE inline __attribute__((always_inline))

static RB_ALWAYS_INLINE bool is_red(const struct rb_node *n)
{
	return n && !(n->parent_color & 1);
}

static RB_ALWAYS_INLINE bool is_black(const struct rb_node *n)
{
	return !n || (n->parent_color & 1);
}

static RB_ALWAYS_INLINE void set_black(struct rb_node *n)
{
	n->parent_color |= RB_BLACK;
}

static RB_ALWAYS_INLINE void set_red(struct rb_node *n)
{
	n->parent_color &= ~(uintptr_t)1;
}

static RB_ALWAYS_INLINE uintptr_t color_of(const struct rb_node *n)
{
	return n->parent_color & 1;
}

static RB_ALWAYS_INLINE void set_parent(struct rb_node *n, struct rb_node *p)
{
	n->parent_color = (uintptr_t)p | (n->parent_color & 1);
}

static RB_ALWAYS_INLINE void set_parent_color(struct rb_node *n,
					      struct rb_node *p, uintptr_t c)
{
	n->parent_color = (uintptr_t)p | c;
}

/* Makes parent (or the root, when parent is NULL) point at new_node where it
 * pointed at old. */
static RB_ALWAYS_INLINE void change_child(struct rb_node *old,
					  struct rb_node *new_node,
					  struct rb_node *parent,
					  struct rb_root *root)
{
	if (!parent)
		root->node = new_node;
	else if (parent->left == old)
		parent->left = new_node;
	else
		parent->right = new_node;
}

/*
 *       x                 y
 *      / \               / \
 *     a   y     ==>     x   c        rotate_left(x)
 *        / \           / \
 *       b   c         a   b
 *
 * rotate_right is the mirror image.  Colours are left alone; y inherits x's
 * augmented data (it now spans the same set of nodes), x is recomputed.
 */
static RB_ALWAYS_INLINE void rotate_left(struct rb_node *x,
					 struct rb_root *root,
					 const struct rb_augment_callbacks *aug)
{
	struct rb_node *y = x->right;
	struct rb_node *p = rb_parent(x);

	x->right = y->left;
	if (y->left)
		set_parent(y->left, x);
	set_parent(y, p);
	change_child(x, y, p, root);
	y->left = x;
	set_parent(x, y);
	if (aug)
		aug->rotate(x, y);
}

static RB_ALWAYS_INLINE void
rotate_right(struct rb_node *x, struct rb_root *root,
	     const struct rb_augment_callbacks *aug)
{
	struct rb_node *y = x->left;
	struct rb_node *p = rb_parent(x);

	x->left = y->right;
	if (y->right)
		set_parent(y->right, x);
	set_parent(y, p);
	change_child(x, y, p, root);
	y->right = x;
	set_parent(x, y);
	if (aug)
		aug->rotate(x, y);
}

void rb_link_node(struct rb_node *node, struct rb_node *parent,
		  struct rb_node **link)
{
	node->parent_color = (uintptr_t)parent; /* red */
	node->left = NULL;
	node->right = NULL;
	*link = node;
}

/*
 * Insert fixup.  n is red; the only possible violation is a red parent p.
 * p is then not the root, so the grandparent g exists and is black.  With
 * p a left child (the right side is the mirror), u the uncle:
 *
 * Case 1, u red: recolour and move the problem two levels up.
 *
 *         g(B)              g(R)   <- new n
 *        /    \            /    \
 *      p(R)   u(R)  ==>  p(B)   u(B)
 *      /                 /
 *    n(R)              n(R)
 *
 * Case 2, u black and n an inner child: rotate p to turn it into case 3.
 *
 *         g(B)              g(B)
 *        /    \            /    \
 *      p(R)   u(B)  ==>  n(R)   u(B)
 *         \              /
 *         n(R)         p(R)   <- new n
 *
 * Case 3, u black and n an outer child: rotate g, swap colours; done.
 *
 *         g(B)              p(B)
 *        /    \            /    \
 *      p(R)   u(B)  ==>  n(R)   g(R)
 *      /                           \
 *    n(R)                          u(B)
 */
static RB_ALWAYS_INLINE void
insert_fixup(struct rb_node *n, struct rb_root *root,
	     const struct rb_augment_callbacks *aug)
{
	for (;;) {
		struct rb_node *p = rb_parent(n);
		struct rb_node *g, *u;

		if (!p) {
			set_black(n); /* n is the root */
			return;
		}
		if (p->parent_color & 1)
			return; /* black parent: nothing violated */
		g = rb_parent(p);
		if (p == g->left) {
			u = g->right;
			if (is_red(u)) { /* case 1 */
				set_black(p);
				set_black(u);
				set_red(g);
				n = g;
				continue;
			}
			if (n == p->right) { /* case 2 */
				rotate_left(p, root, aug);
				p = n;
			}
			set_black(p); /* case 3 */
			set_red(g);
			rotate_right(g, root, aug);
			return;
		}
		u = g->left;
		if (is_red(u)) { /* case 1, mirrored */
			set_black(p);
			set_black(u);
			set_red(g);
			n = g;
			continue;
		}
		if (n == p->left) { /* case 2, mirrored */
			rotate_right(p, root, aug);
			p = n;
		}
		set_black(p); /* case 3, mirrored */
		set_red(g);
		rotate_left(g, root, aug);
		return;
	}
}

void rb_insert_color_cached(struct rb_node *node, struct rb_root_cached *root,
			    bool leftmost)
{
	if (leftmost)
		root->leftmost = node;
	insert_fixup(node, &root->root, NULL);
}

void rb_insert_augmented_cached(struct rb_node *node,
				struct rb_root_cached *root, bool leftmost,
				const struct rb_augment_callbacks *aug)
{
	if (leftmost)
		root->leftmost = node;
	insert_fixup(node, &root->root, aug);
}

/*
 * Erase fixup.  A black node was removed from the path through x, so every
 * path through x is one black short ("x is doubly black"); x may be NULL,
 * hence its parent p is passed too.  A red x is simply painted black.  With
 * x a left child (the right side is the mirror), w its sibling (never NULL:
 * the other side still holds at least one black node):
 *
 * Case 1, w red: rotate p so that x gets a black sibling; go on to 2-4.
 *
 *        p(B)                  w(B)
 *       /    \                /    \
 *     x(BB)  w(R)    ==>    p(R)   d(B)
 *            /  \          /    \
 *          c(B) d(B)     x(BB)  c(B)   <- new w
 *
 * Case 2, w black with two black children: paint w red, so p's subtrees
 * agree again but p's whole subtree is short by one; p becomes x.
 *
 *        p(?)                  p(?)   <- new x
 *       /    \                /    \
 *     x(BB)  w(B)    ==>    x(B)   w(R)
 *            /  \                  /  \
 *          c(B) d(B)             c(B) d(B)
 *
 * Case 3, w black, its near child c red, far child d black: rotate w so
 * the red child is on the far side (case 4).
 *
 *        p(?)                  p(?)
 *       /    \                /    \
 *     x(BB)  w(B)    ==>    x(BB)  c(B)   <- new w
 *            /  \                     \
 *          c(R) d(B)                  w(R)
 *                                        \
 *                                        d(B)
 *
 * Case 4, w black, far child d red: rotate p; w takes p's colour, p and d
 * turn black, which adds the missing black on x's side.  Done.
 *
 *        p(?)                  w(?)
 *       /    \                /    \
 *     x(BB)  w(B)    ==>    p(B)   d(B)
 *            /  \          /    \
 *          c(?) d(R)     x(B)   c(?)
 */
static RB_ALWAYS_INLINE void erase_fixup(struct rb_node *x, struct rb_node *p,
					 struct rb_root *root,
					 const struct rb_augment_callbacks *aug)
{
	struct rb_node *w;

	while (p && is_black(x)) {
		if (x == p->left) {
			w = p->right;
			if (is_red(w)) { /* case 1 */
				set_black(w);
				set_red(p);
				rotate_left(p, root, aug);
				w = p->right;
			}
			assert(w); /* x's side is short, so w's is not empty */
			if (is_black(w->left) && is_black(w->right)) {
				set_red(w); /* case 2 */
				x = p;
				p = rb_parent(p);
				continue;
			}
			if (is_black(w->right)) { /* case 3 */
				set_black(w->left);
				set_red(w);
				rotate_right(w, root, aug);
				w = p->right;
			}
			set_parent_color(w, rb_parent(w), color_of(p)); /* 4 */
			set_black(p);
			set_black(w->right);
			rotate_left(p, root, aug);
			return;
		}
		w = p->left;
		if (is_red(w)) { /* case 1, mirrored */
			set_black(w);
			set_red(p);
			rotate_right(p, root, aug);
			w = p->left;
		}
		assert(w);
		if (is_black(w->left) && is_black(w->right)) {
			set_red(w); /* case 2, mirrored */
			x = p;
			p = rb_parent(p);
			continue;
		}
		if (is_black(w->left)) { /* case 3, mirrored */
			set_black(w->right);
			set_red(w);
			rotate_left(w, root, aug);
			w = p->left;
		}
		set_parent_color(w, rb_parent(w), color_of(p)); /* case 4 */
		set_black(p);
		set_black(w->left);
		rotate_right(p, root, aug);
		return;
	}
	if (x)
		set_black(x);
}

/*
 * Removes z.  With at most one child, that child (maybe NULL) takes z's
 * place.  With two, z's successor y (leftmost of z's right subtree, which
 * has no left child) is unlinked from where it is, its right child taking
 * its place, and then y takes z's place and colour.  Either way the colour
 * that vanished from the tree is the one of the node that was physically
 * unlinked, and x is the node that moved into that spot.
 *
 * Augmented data is repaired before the fixup: every node between the
 * unlinked spot and the root lost a member.  When y moves, it first takes
 * z's old data, so that propagation from y may stop as soon as a value no
 * longer changes.
 */
static RB_ALWAYS_INLINE void erase(struct rb_node *z, struct rb_root *root,
				   const struct rb_augment_callbacks *aug)
{
	struct rb_node *zp = rb_parent(z);
	struct rb_node *x, *xp;
	uintptr_t removed_color;

	if (!z->left || !z->right) {
		x = z->left ? z->left : z->right;
		xp = zp;
		removed_color = color_of(z);
		if (x)
			set_parent(x, zp);
		change_child(z, x, zp, root);
		if (aug && zp)
			aug->propagate(zp, NULL);
	} else {
		struct rb_node *y = z->right;

		while (y->left)
			y = y->left;
		removed_color = color_of(y);
		x = y->right;
		if (y == z->right) {
			xp = y;
		} else {
			xp = rb_parent(y);
			xp->left = x;
			if (x)
				set_parent(x, xp);
			y->right = z->right;
			set_parent(z->right, y);
		}
		y->left = z->left;
		set_parent(z->left, y);
		y->parent_color = z->parent_color;
		change_child(z, y, zp, root);
		if (aug) {
			aug->copy(z, y);
			if (xp != y)
				aug->propagate(xp, y);
			aug->propagate(y, NULL);
		}
	}
	if (removed_color == RB_BLACK)
		erase_fixup(x, xp, root, aug);
}

/* The successor of the leftmost node, found in O(1): the leftmost has no
 * left child, so its right subtree is at most one (red) node.  Selected
 * with a mask: whether that red node exists is unpredictable. */
static RB_ALWAYS_INLINE struct rb_node *next_of_leftmost(struct rb_node *n)
{
	uintptr_t has_right = -(uintptr_t)(n->right != NULL);

	return (struct rb_node *)(((uintptr_t)n->right & has_right) |
				  ((uintptr_t)rb_parent(n) & ~has_right));
}

/* Erasing the leftmost z, the scheduler's pick: z has no left child, so
 * its right subtree is nothing or one red node r, and z is the left child
 * of its parent.  r simply takes z's place, painted black; with no r, a
 * red z goes without a trace and a black z leaves its parent's left side
 * one black short, for erase_fixup. */
static void erase_leftmost(struct rb_node *z, struct rb_root *root)
{
	struct rb_node *zp = rb_parent(z), *r = z->right;

	if (zp)
		zp->left = r;
	else
		root->node = r;
	if (r) {
		r->parent_color = (uintptr_t)zp | RB_BLACK;
		return;
	}
	if (color_of(z) == RB_BLACK)
		erase_fixup(NULL, zp, root, NULL);
}

void rb_erase_cached(struct rb_node *node, struct rb_root_cached *root)
{
	if (root->leftmost == node) {
		root->leftmost = next_of_leftmost(node);
		erase_leftmost(node, &root->root);
		return;
	}
	erase(node, &root->root, NULL);
}

void rb_erase_augmented_cached(struct rb_node *node,
			       struct rb_root_cached *root,
			       const struct rb_augment_callbacks *aug)
{
	if (root->leftmost == node)
		root->leftmost = next_of_leftmost(node);
	erase(node, &root->root, aug);
}

void rb_replace_node_cached(struct rb_node *victim, struct rb_node *new_node,
			    struct rb_root_cached *root)
{
	struct rb_node *p = rb_parent(victim);

	*new_node = *victim;
	if (victim->left)
		set_parent(victim->left, new_node);
	if (victim->right)
		set_parent(victim->right, new_node);
	change_child(victim, new_node, p, &root->root);
	if (root->leftmost == victim)
		root->leftmost = new_node;
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->node;

	if (!n)
		return NULL;
	while (n->left)
		n = n->left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->node;

	if (!n)
		return NULL;
	while (n->right)
		n = n->right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *p;

	if (node->right) {
		node = node->right;
		while (node->left)
			node = node->left;
		return (struct rb_node *)node;
	}
	/* Climb while we come from a right child; the first parent reached
	 * from its left side is the successor. */
	while ((p = rb_parent(node)) && node == p->right)
		node = p;
	return p;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *p;

	if (node->left) {
		node = node->left;
		while (node->right)
			node = node->right;
		return (struct rb_node *)node;
	}
	while ((p = rb_parent(node)) && node == p->left)
		node = p;
	return p;
}

void rb_add_cached(struct rb_node *node, struct rb_root_cached *root,
		   bool (*less)(const struct rb_node *, const struct rb_node *))
{
	rb_add_cached_inline(node, root, less);
}
