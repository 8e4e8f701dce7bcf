#include "model/reqstream.h"

#include <math.h>
#include <stdlib.h>

#include "base/rng.h"
#include "base/xalloc.h"

/* uniform in (0, 1], 53 bits */
static double unit_open(struct rng *r)
{
	return (double)((rng_next(r) >> 11) + 1) * (1.0 / 9007199254740992.0);
}

static uint64_t to_ns(double ns)
{
	if (!(ns >= 1.0)) /* also NaN */
		return 1;
	if (ns > 1e18)
		return (uint64_t)1e18;
	return (uint64_t)llround(ns);
}

static uint64_t draw_service(struct rng *r, const struct req_spec *rq)
{
	double mean = (double)rq->service_mean_ns, sd, s2, mu, z;

	switch (rq->dist) {
	case DIST_CONST:
		return rq->service_mean_ns;
	case DIST_EXP:
		return to_ns(-log(unit_open(r)) * mean);
	case DIST_LOGNORMAL:
		/* the lognormal whose mean and standard deviation are these:
		 * sigma^2 = ln(1 + sd^2 / mean^2), mu = ln(mean) - sigma^2/2;
		 * z standard normal by Box-Muller */
		sd = (double)rq->service_sd_ns;
		s2 = log(1.0 + sd * sd / (mean * mean));
		mu = log(mean) - s2 / 2.0;
		z = sqrt(-2.0 * log(unit_open(r))) *
		    cos(2.0 * 3.14159265358979323846 * unit_open(r));
		return to_ns(exp(mu + sqrt(s2) * z));
	}
	return rq->service_mean_ns;
}

size_t req_stream(const struct workload *wl, uint64_t seed, unsigned task,
		  uint64_t end_ns, struct req_item **out)
{
	const struct req_spec *rq = &wl->req;
	struct req_item *v = NULL;
	size_t n = 0, cap = 0;
	struct rng arr, svc;
	uint64_t k, b, t = wl->start_ns;
	double gap_ns;

	*out = NULL;
	if (wl->kind != WL_REQUESTS || !rq->rate_milli)
		return 0;
	rng_derive(&arr, seed, task, REQ_STREAM_ID, 1);
	rng_derive(&svc, seed, task, REQ_STREAM_ID, 2);
	gap_ns = 1e12 / (double)rq->rate_milli;
	for (k = 0;; k++) {
		uint64_t size = 1;

		switch (rq->arrival) {
		case ARRIVAL_POISSON:
			t += to_ns(-log(unit_open(&arr)) * gap_ns);
			break;
		case ARRIVAL_UNIFORM:
			t = wl->start_ns +
			    (uint64_t)llround((double)k * gap_ns);
			break;
		case ARRIVAL_BATCH:
			t = wl->start_ns + k * rq->batch_every_ns;
			size = rq->batch_size;
			break;
		}
		if (t >= end_ns)
			break;
		for (b = 0; b < size; b++) {
			xgrow((void **)&v, &cap, n + 1, sizeof(*v));
			v[n].arrival_ns = t;
			v[n].service_ns = draw_service(&svc, rq);
			n++;
		}
	}
	*out = v;
	return n;
}
