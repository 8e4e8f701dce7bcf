/* The engine's event queue (sim/evq.c): events come out by time, an
 * ending CPU burst before anything else at the same instant, and equal
 * times otherwise in the order they were armed, whichever of its three
 * parts (the wheel, the tree beyond the wheel's reach, the array of burst
 * ends) holds them.  Small cases worked out by hand, then long random runs
 * against a plain list sorted by (time, burst end first, arming number). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sim/evq.h"
#include "sim/sched.h"

#define US NSEC_PER_USEC
#define MS NSEC_PER_MSEC

static struct sim_event *take(struct evq *q)
{
	struct sim_event *ev = evq_peek(q);

	if (ev)
		evq_take(q, ev);
	return ev;
}

/* Armed in this order: A wake at 50, B tick at 50, C burst end at 50,
 * D period timer at 20, E wake at 50.  Out: D (earliest), C (a burst end
 * first at its instant), then A, B, E in the order they were armed. */
static void test_equal_times_in_arming_order(void **state)
{
	struct sim_event ev[5];
	struct evq q;
	unsigned i;

	(void)state;
	evq_init(&q);
	for (i = 0; i < 5; i++)
		evq_event_init(&ev[i], EV_WAKE);
	evq_arm(&q, &ev[0], EV_WAKE, 50);
	evq_arm(&q, &ev[1], EV_TICK, 50);
	evq_arm(&q, &ev[2], EV_RUN_DONE, 50);
	evq_arm(&q, &ev[3], EV_PERIOD, 20);
	evq_arm(&q, &ev[4], EV_WAKE, 50);
	assert_ptr_equal(take(&q), &ev[3]);
	assert_ptr_equal(take(&q), &ev[2]);
	assert_ptr_equal(take(&q), &ev[0]);
	assert_ptr_equal(take(&q), &ev[1]);
	assert_ptr_equal(take(&q), &ev[4]);
	assert_null(evq_peek(&q));
	evq_destroy(&q);
}

/* The smallest wheel: 1 024 slots of 1 024 ns, reaching 1 048 576 ns from
 * slot 0.  X armed at 1.5 ms is beyond it (slot 1 464): the tree.  Y at
 * 0.9 ms (slot 878) is in the wheel; taking it moves the wheel's start to
 * slot 878, so that it reaches slot 1 901, and Z armed at 1.5 ms then goes
 * into the wheel.  X was armed first, so X comes out before Z. */
static void test_tree_before_wheel_at_equal_times(void **state)
{
	struct sim_event x, y, z;
	struct evq q;

	(void)state;
	evq_init(&q);
	assert_int_equal(q.nslots, 1024);
	assert_int_equal(q.shift, 10);
	evq_event_init(&x, EV_WAKE);
	evq_event_init(&y, EV_WAKE);
	evq_event_init(&z, EV_WAKE);
	evq_arm(&q, &x, EV_WAKE, 1500 * US);
	evq_arm(&q, &y, EV_WAKE, 900 * US);
	assert_int_equal(q.ntree, 1);
	assert_int_equal(q.nwheel, 1);
	assert_ptr_equal(take(&q), &y);
	assert_int_equal(q.cur, 878);
	evq_arm(&q, &z, EV_TICK, 1500 * US);
	assert_int_equal(q.ntree, 1);
	assert_int_equal(q.nwheel, 1);
	assert_ptr_equal(take(&q), &x);
	assert_ptr_equal(take(&q), &z);
	assert_null(evq_peek(&q));
	evq_destroy(&q);
}

/* As above, X in the tree and Z in the wheel at 1.5 ms, and the miss
 * count at 2 (X's miss 4, Y and Z in the wheel -1 each).  Then 16 events
 * at 2 ms + i us, beyond the reach (slot 1 953 and up) but within 8
 * times it: 2 + 16 x 4 = 66 > 64, the slots double, and all events are in the
 * wheel (the new reach: slot 439 + 1 024 of 2 048 ns, 2.99 ms).  X still
 * comes out before Z, then the 16 in time order. */
static void test_widening_keeps_tree_first_at_equal_times(void **state)
{
	struct sim_event x, y, z, ev[16];
	struct evq q;
	unsigned i;

	(void)state;
	evq_init(&q);
	evq_event_init(&x, EV_WAKE);
	evq_event_init(&y, EV_WAKE);
	evq_event_init(&z, EV_WAKE);
	evq_arm(&q, &x, EV_WAKE, 1500 * US);
	evq_arm(&q, &y, EV_WAKE, 900 * US);
	assert_ptr_equal(take(&q), &y);
	evq_arm(&q, &z, EV_TICK, 1500 * US);
	assert_int_equal(q.miss, 2);
	for (i = 0; i < 16; i++) {
		evq_event_init(&ev[i], EV_WAKE);
		evq_arm(&q, &ev[i], EV_WAKE, 2 * MS + i * US);
		assert_int_equal(q.shift, i < 15 ? 10 : 11);
	}
	assert_int_equal(q.cur, 439);
	assert_int_equal(q.ntree, 0);
	assert_int_equal(q.nwheel, 18);
	assert_ptr_equal(take(&q), &x);
	assert_ptr_equal(take(&q), &z);
	for (i = 0; i < 16; i++)
		assert_ptr_equal(take(&q), &ev[i]);
	assert_null(evq_peek(&q));
	evq_destroy(&q);
}

/* Each event armed beyond the reach (1 048 576 ns) counts 4 misses: an
 * event at 9 ms, then 1.1 ms + (16 - i) x 10 us for i = 0, 1, ...; the
 * 16th of those makes 68 > 64, and with the wheel less than half full the
 * slots double in length: shift 11, reach 2 097 152 ns, and the 16 move
 * from the tree into the wheel, the 17th goes there directly, and the
 * event at 9 ms stays in the tree.  They come out in time order.  An event
 * beyond the widest reach (2^60 ns) is no miss. */
static void test_wheel_widens_on_misses(void **state)
{
	struct sim_event ev[19];
	struct evq q;
	unsigned i;

	(void)state;
	evq_init(&q);
	evq_event_init(&ev[17], EV_WAKE);
	evq_arm(&q, &ev[17], EV_WAKE, 9 * MS);
	assert_int_equal(q.miss, 4);
	for (i = 0; i < 17; i++) {
		evq_event_init(&ev[i], EV_WAKE);
		evq_arm(&q, &ev[i], EV_WAKE, 1100 * US + (16 - i) * 10 * US);
		assert_int_equal(q.shift, i < 15 ? 10 : 11);
		assert_int_equal(q.ntree, i < 15 ? i + 2 : 1);
	}
	assert_int_equal(q.nslots, 1024);
	assert_int_equal(q.nwheel, 17);
	assert_int_equal(q.miss, 0);
	evq_event_init(&ev[18], EV_WAKE);
	evq_arm(&q, &ev[18], EV_WAKE, EV_TIME_MAX);
	assert_int_equal(q.miss, 0);
	for (i = 17; i-- > 0;)
		assert_ptr_equal(take(&q), &ev[i]);
	assert_ptr_equal(take(&q), &ev[17]);
	assert_ptr_equal(take(&q), &ev[18]);
	evq_destroy(&q);
}

/* The wheel starts with 1 024 slots; the 1 025th event within reach (at
 * i us: slots 0 to 1 000) makes it 2 048.  Then, half full, misses double
 * the slots rather than their length: 600 events more at 1 ms + i ns, 17
 * at 2.5 ms + i us (beyond 2 048 slots of 1 024 ns: 2.097 ms): the 17th
 * miss (68 points, the wheel's arms having taken the count to 0) makes
 * 4 096 slots of 1 024 ns, reaching 4.19 ms, and all are in the wheel. */
static void test_wheel_grows_its_slots(void **state)
{
	static struct sim_event ev[1025 + 600 + 17];
	struct evq q;
	unsigned i, n = 0;

	(void)state;
	evq_init(&q);
	for (i = 0; i < 1025; i++, n++) {
		evq_event_init(&ev[n], EV_WAKE);
		evq_arm(&q, &ev[n], EV_WAKE, i * US);
		assert_int_equal(q.nslots, i < 1024 ? 1024 : 2048);
	}
	for (i = 0; i < 600; i++, n++) {
		evq_event_init(&ev[n], EV_WAKE);
		evq_arm(&q, &ev[n], EV_WAKE, 1 * MS + i);
	}
	assert_int_equal(q.nslots, 2048);
	for (i = 0; i < 17; i++, n++) {
		evq_event_init(&ev[n], EV_WAKE);
		evq_arm(&q, &ev[n], EV_WAKE, 2500 * US + i * US);
		assert_int_equal(q.nslots, i < 16 ? 2048 : 4096);
	}
	assert_int_equal(q.shift, 10);
	assert_int_equal(q.ntree, 0);
	assert_int_equal(q.nwheel, n);
	/* in time order: i us, then 1 ms + i ns (between 1 000 and 1 001
	 * us), then 2.5 ms + i us */
	for (i = 0; i <= 1000; i++)
		assert_ptr_equal(take(&q), &ev[i]);
	for (i = 0; i < 600; i++)
		assert_ptr_equal(take(&q), &ev[1025 + i]);
	for (i = 1001; i < 1025; i++)
		assert_ptr_equal(take(&q), &ev[i]);
	for (i = 0; i < 17; i++)
		assert_ptr_equal(take(&q), &ev[1625 + i]);
	assert_null(evq_peek(&q));
	evq_destroy(&q);
}

/* ---- random runs against a sorted list ---- */

#define NEV_MAX 3000

static int nev_run; /* events of the current run */

struct ref {
	uint64_t time, seq;
	bool queued, done;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* the reference's next event: least (time, burst end first, seq) */
static int ref_first(const struct ref *r)
{
	int i, best = -1;

	for (i = 0; i < nev_run; i++) {
		if (!r[i].queued)
			continue;
		if (best < 0 || r[i].time < r[best].time ||
		    (r[i].time == r[best].time &&
		     (r[i].done > r[best].done ||
		      (r[i].done == r[best].done && r[i].seq < r[best].seq))))
			best = i;
	}
	return best;
}

static size_t nqueued(const struct ref *r)
{
	size_t i, n = 0;

	for (i = 0; i < (size_t)nev_run; i++)
		n += r[i].queued;
	return n;
}

/* A time for an arming at now: at now, just beyond the wheel's reach
 * (which widens it), at the time of a queued event (equal times), a
 * little, somewhat or much later, or (rarely) before now,
 * which the engine never does but the queue orders all the same. */
static uint64_t pick_time(const struct evq *q, const struct ref *r,
			  uint64_t now)
{
	unsigned k = (unsigned)(rnd() % 100);
	unsigned j = (unsigned)(rnd() % (unsigned)nev_run);

	if (k < 10)
		return now;
	if (k < 15) /* just beyond the reach: widens it */
		return ((q->cur + q->nslots) << q->shift) +
		       rnd() % ((uint64_t)q->nslots << q->shift);
	if (k < 30 && r[j].queued && r[j].time >= now)
		return r[j].time;
	if (k < 60)
		return now + rnd() % (50 * US);
	if (k < 85)
		return now + rnd() % (20 * MS);
	if (k < 97)
		return now + rnd() % (2000 * MS);
	return now > 1000 ? now - rnd() % 1000 : now;
}

static unsigned random_run(uint64_t seed, unsigned steps, unsigned nev)
{
	static struct sim_event ev[NEV_MAX];
	static struct ref r[NEV_MAX];
	static const enum ev_kind kinds[] = {EV_TICK, EV_WAKE, EV_PERIOD,
					     EV_SLACK, EV_ARRIVAL};
	struct evq q;
	uint64_t now = 0, seq = 0;
	unsigned step, ndone = 0, taken = 0, max_slots = 0;
	int i;

	rng_state = seed;
	nev_run = (int)nev;
	evq_init(&q);
	memset(r, 0, sizeof(r));
	for (i = 0; i < nev_run; i++)
		evq_event_init(&ev[i], EV_WAKE);
	for (step = 0; step < steps; step++) {
		unsigned k = (unsigned)(rnd() % 100);

		i = (int)(rnd() % (unsigned)nev_run);
		if (k < 55) { /* arm (again, if queued) */
			bool done =
				rnd() % 4 == 0 && (ndone < SIM_MAX_CPUS ||
						   (r[i].queued && r[i].done));
			uint64_t t = pick_time(&q, r, now);

			if (r[i].queued && r[i].done)
				ndone--;
			evq_arm(&q, &ev[i],
				done ? EV_RUN_DONE : kinds[rnd() % 5], t);
			r[i] = (struct ref){t, seq++, true, done};
			ndone += done;
		} else if (k < 65) { /* cancel */
			evq_cancel(&q, &ev[i]);
			if (r[i].queued && r[i].done)
				ndone--;
			r[i].queued = false;
		} else { /* the next event */
			int want = ref_first(r);
			struct sim_event *got = evq_peek(&q);

			if (want < 0) {
				assert_null(got);
				continue;
			}
			assert_ptr_equal(got, &ev[want]);
			assert_int_equal(ev_time(got), r[want].time);
			evq_take(&q, got);
			if (r[want].time > now)
				now = r[want].time;
			if (r[want].done)
				ndone--;
			r[want].queued = false;
			taken++;
		}
		assert_int_equal(q.nwheel + q.ntree + q.ndone, nqueued(r));
		if (q.nslots > max_slots)
			max_slots = q.nslots;
	}
	/* drain */
	while ((i = ref_first(r)) >= 0) {
		assert_ptr_equal(take(&q), &ev[i]);
		r[i].queued = false;
		taken++;
	}
	assert_null(evq_peek(&q));
	assert_int_equal(q.nwheel, 0);
	assert_int_equal(q.ntree, 0);
	assert_true(taken > steps / 4);
	evq_destroy(&q);
	return max_slots;
}

/* Ten seeds of 100 000 steps with 400 events, and three of 300 000 with
 * 3 000, enough to grow the wheel past 1 024 slots. */
static void test_random_runs_match_sorted_list(void **state)
{
	unsigned grown = 0;
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 10; seed++)
		random_run(seed * 0x9e3779b97f4a7c15ULL, 100000, 400);
	for (seed = 11; seed <= 13; seed++)
		grown += random_run(seed * 0x9e3779b97f4a7c15ULL, 300000,
				    3000) > EVQ_SLOTS_MIN;
	assert_true(grown >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_times_in_arming_order),
		cmocka_unit_test(test_tree_before_wheel_at_equal_times),
		cmocka_unit_test(test_widening_keeps_tree_first_at_equal_times),
		cmocka_unit_test(test_wheel_widens_on_misses),
		cmocka_unit_test(test_wheel_grows_its_slots),
		cmocka_unit_test(test_random_runs_match_sorted_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
