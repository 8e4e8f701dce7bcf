/* Latency of request and periodic workloads in the simulator, against
 * figures worked out by hand: a lone worker answers in exactly its service
 * time, a second request arriving with the first waits the first's service
 * time in the queue, a periodic task under quota traced activation by
 * activation, and the breakdown adds up to each latency. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cgroup_tree.h"
#include "base/sort.h"
#include "backend/reallat.h"
#include "output/report.h"
#include "model/reqstream.h"
#include "sim/sim.h"

#define MS NSEC_PER_MSEC

static void run(const struct scenario *sc, struct results *r)
{
	struct sim_options opt = {.timeline = true, .latency = true};
	struct err err;

	err_init(&err);
	assert_int_equal(sim_run(sc, &opt, r, &err), 0);
}

/* Periods and ticks on a fixed grid (ticks every 4 ms from 0, HZ 250). */
static void init_aligned(struct scenario *sc, uint64_t dur)
{
	scenario_init(sc, "test");
	sc->cpus = 1;
	sc->duration_ns = dur;
	sc->kernel.bw_phase_set = true;
	sc->kernel.bw_phase_ns = 0;
}

static size_t add_requests(struct scenario *sc, size_t g, unsigned count,
			   enum req_arrival arrival, uint64_t rate_milli,
			   uint64_t service_ns)
{
	size_t t = scenario_add_task(sc, g, "server");

	sc->tasks[t].count = count;
	sc->tasks[t].wl.kind = WL_REQUESTS;
	sc->tasks[t].wl.req.arrival = arrival;
	sc->tasks[t].wl.req.rate_milli = rate_milli;
	sc->tasks[t].wl.req.dist = DIST_CONST;
	sc->tasks[t].wl.req.service_mean_ns = service_ns;
	return t;
}

/* Every record's four parts add up to its latency. */
static void assert_records_add_up(const struct results *r)
{
	size_t i;

	assert_non_null(r->timeline);
	for (i = 0; i < r->timeline->nrequests; i++) {
		const struct request_record *q = &r->timeline->requests[i];

		assert_int_equal(q->queued_ns + q->runnable_ns +
					 q->throttled_ns + q->running_ns,
				 q->end_ns - q->arrival_ns);
	}
}

/* One worker, a request every 10 ms (uniform, 100/s) needing 2 ms, nothing
 * else on the CPU: each is served at once on an idle CPU and ends 2 ms after
 * its arrival.  Arrivals at 0, 10, ..., 990 ms: 100 of them, all done. */
static void test_lone_worker_latency_is_service_time(void **state)
{
	struct scenario sc;
	struct results r;
	const struct latency_result *l;
	uint64_t mean, parts[4];
	size_t i;

	(void)state;
	init_aligned(&sc, 1000 * MS);
	add_requests(&sc, scenario_add_group(&sc, -1, "s"), 1, ARRIVAL_UNIFORM,
		     100 * 1000, 2 * MS);
	run(&sc, &r);
	assert_int_equal(r.nlatency, 1);
	l = &r.latency[0];
	assert_int_equal(l->kind, LAT_REQUESTS);
	assert_int_equal(l->n, 100);
	assert_int_equal(l->open, 0);
	for (i = 0; i < l->n; i++)
		assert_int_equal(l->samples_ns[i], 2 * MS);
	assert_int_equal(latency_percentile(l->samples_ns, l->n, 99000),
			 2 * MS);
	latency_mean_parts(l, 1000, &mean, parts);
	assert_int_equal(mean, 2000);
	assert_int_equal(parts[0], 0);
	assert_int_equal(parts[1], 0);
	assert_int_equal(parts[2], 0);
	assert_int_equal(parts[3], 2000);
	assert_int_equal(r.timeline->nrequests, 100);
	for (i = 0; i < r.timeline->nrequests; i++) {
		assert_int_equal(r.timeline->requests[i].arrival_ns,
				 i * 10 * MS);
		assert_int_equal(r.timeline->requests[i].end_ns,
				 i * 10 * MS + 2 * MS);
	}
	assert_records_add_up(&r);
	results_destroy(&r);
	scenario_destroy(&sc);
}

/* One worker, two requests at once every 100 ms (batch of 2), 3 ms each:
 * the first ends 3 ms after the batch, the second waits in the queue for
 * exactly those 3 ms, then runs 3 ms: latency 6 ms.  10 batches in 1 s:
 * ten of each; mean 4.5 ms = queued 1.5 + running 3. */
static void test_second_of_two_queued_for_first_service(void **state)
{
	struct scenario sc;
	struct results r;
	const struct latency_result *l;
	uint64_t mean, parts[4];
	size_t i, t;

	(void)state;
	init_aligned(&sc, 1000 * MS);
	t = add_requests(&sc, scenario_add_group(&sc, -1, "s"), 1,
			 ARRIVAL_BATCH, 20 * 1000, 3 * MS);
	sc.tasks[t].wl.req.batch_size = 2;
	sc.tasks[t].wl.req.batch_every_ns = 100 * MS;
	run(&sc, &r);
	l = &r.latency[0];
	assert_int_equal(l->n, 20);
	assert_int_equal(l->open, 0);
	for (i = 0; i < 10; i++) {
		assert_int_equal(l->samples_ns[i], 3 * MS);
		assert_int_equal(l->samples_ns[10 + i], 6 * MS);
	}
	for (i = 0; i < r.timeline->nrequests; i++) {
		const struct request_record *q = &r.timeline->requests[i];

		assert_int_equal(q->arrival_ns, i / 2 * 100 * MS);
		assert_int_equal(q->queued_ns, i % 2 ? 3 * MS : 0);
		assert_int_equal(q->running_ns, 3 * MS);
		assert_int_equal(q->runnable_ns + q->throttled_ns, 0);
	}
	latency_mean_parts(l, 1000, &mean, parts);
	assert_int_equal(mean, 4500);
	assert_int_equal(parts[0], 1500);
	assert_int_equal(parts[3], 3000);
	assert_records_add_up(&r);
	results_destroy(&r);
	scenario_destroy(&sc);
}

/* A periodic task, 4 ms every 50 ms, in a group with 5 ms per 100 ms,
 * periods and ticks (every 4 ms) from 0, 250 ms.  The group's queue starts
 * with 1 ns of runtime (kernel: tg_set_cfs_bandwidth) and asks the pool for
 * 5 ms slices; an emptied queue keeps 1 ms and returns the rest.
 *  a0 at 0: runs 0-4; at 4 it takes the pool's 5 ms (1 ns - 4 ms + 5 ms
 *     left), sleeps and returns 1 ns: done at 4, latency 4 = running.
 *  a1 at 50: runs 50-52, the tick at 52 charges 2 ms: -1 ms + 1 ns after
 *     the pool's last ns, throttled at 52 with 2 ms to go.  The refill at
 *     100 pays the 1 ms - 1 ns owed plus 1 ns (pool: 4 ms); it runs
 *     100-102: latency 52 = running 4 + throttled 48 (52-100).
 *  a2 at 100: the thread is busy till 102 (queued 2).  At 102 the queue
 *     takes the pool's 4 ms (2 ms + 1 ns left), the tick at 104 leaves
 *     1 ns, so it runs 102-106 and the end of its burst finds the queue
 *     short: it is switched out before it can complete, throttled 106-200;
 *     done at 200: latency 100 = queued 2 + running 4 + throttled 94.
 *  a3 at 150 and a4 at 200 wait behind it; a3 runs 200-204 and is caught
 *     the same way at 204: both open at 250.
 * Wake-up latency (activation to first run): 0, 0 and 2 ms (a2 starts
 * while the thread is running). */
static void test_periodic_under_quota_traced(void **state)
{
	struct scenario sc;
	struct results r;
	const struct latency_result *l;
	const struct request_record *q;
	size_t g, t;

	(void)state;
	init_aligned(&sc, 250 * MS);
	g = scenario_add_group(&sc, -1, "g");
	sc.groups[g].has_quota = true;
	sc.groups[g].quota_ns = 5 * MS;
	t = scenario_add_task(&sc, g, "tick");
	sc.tasks[t].wl.kind = WL_PERIODIC;
	sc.tasks[t].wl.run.min_ns = sc.tasks[t].wl.run.max_ns = 4 * MS;
	sc.tasks[t].wl.period_ns = 50 * MS;
	run(&sc, &r);
	assert_int_equal(r.nlatency, 1);
	l = &r.latency[0];
	assert_int_equal(l->kind, LAT_ACTIVATIONS);
	assert_int_equal(l->n, 3);
	assert_int_equal(l->open, 2);
	assert_int_equal(r.timeline->nrequests, 3);
	q = r.timeline->requests;
	assert_int_equal(q[0].arrival_ns, 0);
	assert_int_equal(q[0].end_ns, 4 * MS);
	assert_int_equal(q[0].running_ns, 4 * MS);
	assert_int_equal(q[1].arrival_ns, 50 * MS);
	assert_int_equal(q[1].end_ns, 102 * MS);
	assert_int_equal(q[1].queued_ns, 0);
	assert_int_equal(q[1].throttled_ns, 48 * MS);
	assert_int_equal(q[1].runnable_ns, 0);
	assert_int_equal(q[1].running_ns, 4 * MS);
	assert_int_equal(q[2].arrival_ns, 100 * MS);
	assert_int_equal(q[2].start_ns, 102 * MS);
	assert_int_equal(q[2].end_ns, 200 * MS);
	assert_int_equal(q[2].queued_ns, 2 * MS);
	assert_int_equal(q[2].throttled_ns, 94 * MS);
	assert_int_equal(q[2].runnable_ns, 0);
	assert_int_equal(q[2].running_ns, 4 * MS);
	assert_int_equal(l->nwakeup, 3);
	assert_int_equal(l->wakeup_ns[0], 0);
	assert_int_equal(l->wakeup_ns[1], 0);
	assert_int_equal(l->wakeup_ns[2], 2 * MS);
	assert_records_add_up(&r);
	results_destroy(&r);
	scenario_destroy(&sc);
}

/* Four workers on one CPU under a quota, Poisson arrivals, exponential
 * service: nothing is simple to work out, but every request's parts add
 * up to its latency, the means to the mean, and the request count to the
 * stream's. */
static void test_breakdown_adds_up_under_load(void **state)
{
	struct scenario sc;
	struct results r;
	const struct latency_result *l;
	struct req_item *items;
	uint64_t mean, parts[4], sum = 0;
	size_t g, t, n, i;

	(void)state;
	init_aligned(&sc, 2000 * MS);
	g = scenario_add_group(&sc, -1, "s");
	sc.groups[g].has_quota = true;
	sc.groups[g].quota_ns = 30 * MS;
	t = add_requests(&sc, g, 4, ARRIVAL_POISSON, 300 * 1000, 1 * MS);
	sc.tasks[t].wl.req.dist = DIST_EXP;
	scenario_add_task(&sc, scenario_add_group(&sc, -1, "other"), "hog");
	run(&sc, &r);
	l = &r.latency[0];
	n = req_stream(&sc.tasks[t].wl, sc.seed, (unsigned)t, sc.duration_ns,
		       &items);
	free(items);
	assert_int_equal(l->n + l->open, n);
	assert_true(l->throttled_sum_ns > 0);
	assert_records_add_up(&r);
	for (i = 0; i < r.timeline->nrequests; i++)
		sum += r.timeline->requests[i].end_ns -
		       r.timeline->requests[i].arrival_ns;
	assert_int_equal(sum, l->sum_ns);
	assert_int_equal(l->queued_sum_ns + l->runnable_sum_ns +
				 l->throttled_sum_ns + l->running_sum_ns,
			 l->sum_ns);
	latency_mean_parts(l, 1000, &mean, parts);
	assert_int_equal(parts[0] + parts[1] + parts[2] + parts[3], mean);
	results_destroy(&r);
	scenario_destroy(&sc);
}

/* Nearest rank: of 1..100, p50 is 50, p99 is 99, p99.9 is 100; of one
 * value, every percentile is it. */
static void test_percentile_nearest_rank(void **state)
{
	uint64_t v[100];
	size_t i;

	(void)state;
	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	assert_int_equal(latency_percentile(v, 100, 50000), 50);
	assert_int_equal(latency_percentile(v, 100, 90000), 90);
	assert_int_equal(latency_percentile(v, 100, 99000), 99);
	assert_int_equal(latency_percentile(v, 100, 99900), 100);
	assert_int_equal(latency_percentile(v, 1, 50000), 1);
	assert_int_equal(latency_percentile(v, 0, 50000), 0);
}

/* The stream: uniform 100/s from 0 over 1 s is 100 arrivals 10 ms apart;
 * batches of 3 every 40 ms over 100 ms are 3 at 0, 40 and 80 ms; Poisson
 * at 1000/s over 10 s has about 10000 (within 4 standard deviations, 400)
 * and the same seed gives the same stream. */
static void test_stream_arrivals(void **state)
{
	struct workload wl;
	struct req_item *a, *b;
	size_t n, m, i;

	(void)state;
	memset(&wl, 0, sizeof(wl));
	wl.kind = WL_REQUESTS;
	wl.req.rate_milli = 100 * 1000;
	wl.req.arrival = ARRIVAL_UNIFORM;
	wl.req.service_mean_ns = MS;
	n = req_stream(&wl, 1, 0, 1000 * MS, &a);
	assert_int_equal(n, 100);
	for (i = 0; i < n; i++) {
		assert_int_equal(a[i].arrival_ns, i * 10 * MS);
		assert_int_equal(a[i].service_ns, MS);
	}
	free(a);
	wl.req.arrival = ARRIVAL_BATCH;
	wl.req.batch_size = 3;
	wl.req.batch_every_ns = 40 * MS;
	n = req_stream(&wl, 1, 0, 100 * MS, &a);
	assert_int_equal(n, 9);
	for (i = 0; i < n; i++)
		assert_int_equal(a[i].arrival_ns, i / 3 * 40 * MS);
	free(a);
	wl.req.arrival = ARRIVAL_POISSON;
	wl.req.rate_milli = 1000 * 1000;
	wl.req.dist = DIST_LOGNORMAL;
	wl.req.service_sd_ns = MS;
	n = req_stream(&wl, 7, 3, 10000 * MS, &a);
	m = req_stream(&wl, 7, 3, 10000 * MS, &b);
	assert_true(n > 9600 && n < 10400);
	assert_int_equal(n, m);
	assert_memory_equal(a, b, n * sizeof(*a));
	free(a);
	free(b);
}

/* The lone worker of the first test in --json: 100 requests of exactly
 * 2 ms, all running, as DESIGN.md's latency object spells them. */
static void test_json_latency_object(void **state)
{
	struct scenario sc;
	struct results r;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	init_aligned(&sc, 1000 * MS);
	add_requests(&sc, scenario_add_group(&sc, -1, "s"), 1, ARRIVAL_UNIFORM,
		     100 * 1000, 2 * MS);
	run(&sc, &r);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	report_json(f, &r, 0);
	fclose(f);
	assert_non_null(strstr(
		text, "\"latency\": [\n    { \"group\": \"s\", \"task\": "
		      "\"server\", \"kind\": \"requests\", \"n\": 100, "
		      "\"open\": 0, \"mean_usec\": 2000, \"p50_usec\": 2000, "
		      "\"p90_usec\": 2000, \"p99_usec\": 2000, "
		      "\"p999_usec\": 2000, \"max_usec\": 2000, "
		      "\"breakdown_usec\": { \"queued\": 0, \"runnable\": 0, "
		      "\"throttled\": 0, \"running\": 2000 } } ] }"));
	free(text);
	results_destroy(&r);
	scenario_destroy(&sc);
}

/* A real run's latency lines are taken only from the container that may
 * send them: a periodic task's activations from its own group's, request
 * answers from the load generator's; what another container sends for
 * them is an error and fills in nothing. */
static void test_real_latency_lines_from_own_group_only(void **state)
{
	struct wlproto_latency act = {.task = 0,
				      .activation_ns = 10,
				      .first_run_ns = 20,
				      .end_ns = 30};
	struct wlproto_latency req = {.task = 2, .seq = 0, .end_ns = 2 * MS};
	struct scenario sc, aug;
	struct results out;
	struct rlat l;
	struct err err;
	size_t t;

	(void)state;
	scenario_init(&sc, "test");
	sc.cpus = 1;
	sc.duration_ns = 100 * MS;
	t = scenario_add_task(&sc, scenario_add_group(&sc, -1, "web"), "tick");
	sc.tasks[t].wl.kind = WL_PERIODIC;
	sc.tasks[t].wl.run.min_ns = sc.tasks[t].wl.run.max_ns = 1 * MS;
	sc.tasks[t].wl.period_ns = 10 * MS;
	scenario_add_task(&sc, scenario_add_group(&sc, -1, "db"), "hog");
	/* one request at 0 (uniform arrivals from 0, 10/s) */
	add_requests(&sc, scenario_add_group(&sc, -1, "front"), 1,
		     ARRIVAL_UNIFORM, 10000, 1 * MS);
	assert_int_equal(rlat_add_generator_group(&sc, 1, &aug, &err), 0);
	memset(&out, 0, sizeof(out));
	rlat_setup(&l, &aug, &out);
	assert_int_equal(out.nlatency, 2);

	assert_int_equal(rlat_take(&l, &aug, 1, &act, true, &out, &err), -1);
	assert_string_equal(err.msg, "workload of group 'db' reported the "
				     "latency of task 'tick' of group 'web'");
	assert_int_equal(out.latency[0].n, 0);
	assert_int_equal(rlat_take(&l, &aug, 0, &act, true, &out, &err), 0);
	assert_int_equal(out.latency[0].n, 1);
	assert_int_equal(out.latency[0].samples_ns[0], 20);

	assert_int_equal(rlat_take(&l, &aug, 2, &req, false, &out, &err), -1);
	assert_string_equal(err.msg,
			    "workload of group 'front' reported request 0 of "
			    "task 'server' (only the load generator does)");
	assert_int_equal(out.latency[1].n, 0);
	assert_int_equal(rlat_take(&l, &aug, 3, &req, false, &out, &err), 0);
	assert_int_equal(out.latency[1].n, 1);

	rlat_destroy(&l);
	results_destroy(&out);
	rlat_drop_generator_group(&aug);
	scenario_destroy(&sc);
}

/* The load generator takes the CPUs of this process's affinity that the
 * scenario leaves free, else shares the scenario's; its group is the one
 * allowed outside them, and the run root holds both. */
static void test_generator_on_spare_cpus(void **state)
{
	struct scenario sc, aug;
	struct err err;

	(void)state;
	scenario_init(&sc, "gen");
	sc.cpus = 1;
	add_requests(&sc, scenario_add_group(&sc, -1, "web"), 1,
		     ARRIVAL_UNIFORM, 10000, 1 * MS);
	assert_int_equal(rlat_generator_cpus(&sc, 0x3), 0x2);
	assert_int_equal(rlat_generator_cpus(&sc, 0xf), 0xe);
	assert_int_equal(rlat_generator_cpus(&sc, 0x1), 0x1);
	sc.cpus = 2;
	assert_int_equal(rlat_generator_cpus(&sc, 0x3), 0x3);
	assert_int_equal(rlat_generator_cpus(&sc, 0x7), 0x4);
	sc.cpus = 1;
	assert_int_equal(cg_run_cpus(&sc), 0x1);
	assert_int_equal(rlat_add_generator_group(&sc, 0x6, &aug, &err), 0);
	assert_int_equal(cg_run_cpus(&aug), 0x7);
	assert_int_equal(cg_group_cpus(&aug, 0), 0x1);
	assert_int_equal(cg_group_cpus(&aug, 1), 0x6);
	rlat_drop_generator_group(&aug);
	scenario_destroy(&sc);
}

/* sort_u64 against orders known by construction: a shuffled 0..n-1 (x a
 * step that sets high digits, plus the top bit on the upper half) comes
 * back as the sequence itself; repeats stay; short arrays take the
 * insertion path. */
static void test_sort_u64(void **state)
{
	static uint64_t v[100000];
	uint64_t few[5] = {7, 3, 7, 0, UINT64_MAX};
	uint64_t same[100];
	size_t n = sizeof(v) / sizeof(v[0]), i;
	uint64_t x = 12345;

	(void)state;
	for (i = 0; i < n; i++)
		v[i] = i;
	for (i = n - 1; i > 0; i--) { /* Fisher-Yates with an LCG */
		size_t j;
		uint64_t t;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		j = (size_t)(x >> 33) % (i + 1);
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
	for (i = 0; i < n; i++)
		v[i] = v[i] * 1000003ULL | (v[i] >= n / 2 ? 1ULL << 63 : 0);
	sort_u64(v, n);
	for (i = 0; i < n; i++)
		assert_true(v[i] ==
			    (i * 1000003ULL | (i >= n / 2 ? 1ULL << 63 : 0)));
	sort_u64(few, 5);
	assert_true(few[0] == 0 && few[1] == 3 && few[2] == 7 && few[3] == 7 &&
		    few[4] == UINT64_MAX);
	for (i = 0; i < 100; i++)
		same[i] = i % 2 ? 42 : 41;
	sort_u64(same, 100);
	for (i = 0; i < 100; i++)
		assert_true(same[i] == (i < 50 ? 41 : 42));
	sort_u64(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lone_worker_latency_is_service_time),
		cmocka_unit_test(test_second_of_two_queued_for_first_service),
		cmocka_unit_test(test_periodic_under_quota_traced),
		cmocka_unit_test(test_breakdown_adds_up_under_load),
		cmocka_unit_test(test_percentile_nearest_rank),
		cmocka_unit_test(test_stream_arrivals),
		cmocka_unit_test(test_json_latency_object),
		cmocka_unit_test(test_real_latency_lines_from_own_group_only),
		cmocka_unit_test(test_generator_on_spare_cpus),
		cmocka_unit_test(test_sort_u64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
