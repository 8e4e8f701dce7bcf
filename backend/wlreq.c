#include "backend/wlreq.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "backend/wlspin.h"

/* Receive buffer asked for: a datagram costs about 1 KiB of it, so this
 * holds some 4000 waiting requests before the kernel drops any. */
#define WLREQ_RCVBUF (4 << 20)

/* Longest the generator's receiver waits before looking at the clock
 * again (the end of the run is seen up to this late). */
#define WLREQ_POLL_MS 100

static void put_u64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void big_buffers(int fd)
{
	int size = WLREQ_RCVBUF;

	/* FORCE passes net.core.rmem_max with CAP_NET_ADMIN, else the
	 * kernel's cap applies */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

int wlreq_listen(uint16_t port, int *fd, struct err *err)
{
	struct sockaddr_in a;

	*fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return err_set(err, errno, "cannot open a udp socket");
	big_buffers(*fd);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(*fd, (struct sockaddr *)&a, sizeof(a))) {
		int e = errno;

		close(*fd);
		*fd = -1;
		return err_set(err, e, "cannot bind udp port %u", port);
	}
	return 0;
}

/* Waits until fd is readable or CLOCK_MONOTONIC reaches end_ns; true when
 * readable. */
static bool wait_readable(int fd, uint64_t end_ns)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	uint64_t now;

	while ((now = wlspin_now_ns()) < end_ns) {
		uint64_t left_ms = (end_ns - now) / NSEC_PER_MSEC + 1;
		int rc = poll(&p, 1,
			      left_ms < WLREQ_POLL_MS ? (int)left_ms :
							WLREQ_POLL_MS);

		if (rc > 0)
			return true;
		if (rc < 0 && errno != EINTR)
			return false;
	}
	return false;
}

void wlreq_serve(int fd, uint64_t end_ns, uint64_t spin_iters_per_us)
{
	unsigned char buf[WLPROTO_REQ_BYTES];
	struct sockaddr_in from;
	socklen_t flen;
	uint64_t cpu_base = 0, cpu_target = 0;
	bool first = true;
	ssize_t n;

	/* A blocking receive, not poll: the threads waiting in it queue
	 * exclusively, so a datagram wakes one of them (the one waiting
	 * longest), as the simulator hands a request to the worker idle
	 * longest; poll would wake them all.  At the end of the run the
	 * socket is shut down (wlrun_join), which wakes them all and makes
	 * the receive return 0. */
	while (wlspin_now_ns() < end_ns) {
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &flen);
		wlspin_note_syscall();
		if (n != WLPROTO_REQ_BYTES)
			continue;
		if (first) {
			cpu_base = wlspin_thread_cpu_ns();
			first = false;
		}
		cpu_target += get_u64(buf + 8);
		if (wlspin_to(cpu_base + cpu_target, end_ns, spin_iters_per_us))
			return;
		sendto(fd, buf, 8, 0, (struct sockaddr *)&from, flen);
		wlspin_note_syscall();
	}
}

int wlreq_gen_init(struct wlreq_gen *g, const struct wlproto_task *t,
		   uint64_t seed, uint64_t duration_ns, struct err *err)
{
	memset(g, 0, sizeof(*g));
	g->task = t;
	g->duration_ns = duration_ns;
	g->nitems = req_stream(&t->wl, seed, t->index, duration_ns, &g->items);
	g->end_ns = calloc(g->nitems ? g->nitems : 1, sizeof(*g->end_ns));
	if (!g->end_ns)
		abort();
	g->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (g->fd < 0)
		return err_set(err, errno, "cannot open a udp socket");
	big_buffers(g->fd);
	return 0;
}

void wlreq_gen_send(struct wlreq_gen *g)
{
	unsigned char buf[WLPROTO_REQ_BYTES];
	struct sockaddr_in to;
	size_t i;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(g->task->target_port);
	to.sin_addr.s_addr = g->task->target_addr;
	for (i = 0; i < g->nitems; i++) {
		wlspin_sleep_until(g->start_ns + g->items[i].arrival_ns);
		put_u64(buf, i);
		put_u64(buf + 8, g->items[i].service_ns);
		sendto(g->fd, buf, sizeof(buf), 0, (struct sockaddr *)&to,
		       sizeof(to));
	}
}

static uint64_t clock_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* CLOCK_REALTIME - CLOCK_MONOTONIC, from the closest of a few readings */
static int64_t realtime_offset(void)
{
	int64_t best = 0;
	uint64_t span = UINT64_MAX;
	int i;

	for (i = 0; i < 5; i++) {
		uint64_t m0 = clock_of(CLOCK_MONOTONIC);
		uint64_t rt = clock_of(CLOCK_REALTIME);
		uint64_t m1 = clock_of(CLOCK_MONOTONIC);

		if (m1 - m0 < span) {
			span = m1 - m0;
			best = (int64_t)(rt - (m0 + (m1 - m0) / 2));
		}
	}
	return best;
}

/* A reply's time is the kernel's receive timestamp (SO_TIMESTAMPNS, taken
 * when the veth hands the packet over, in the server's send), not when this
 * thread gets to read it: a late wake-up of the receiver is not the
 * server's latency.  The stamp is CLOCK_REALTIME, brought to the
 * monotonic clock with the offset read at the start. */
void wlreq_gen_receive(struct wlreq_gen *g)
{
	uint64_t end = g->start_ns + g->duration_ns, at, seq;
	unsigned char buf[WLPROTO_REQ_BYTES];
	char ctl[CMSG_SPACE(sizeof(struct timespec))];
	int64_t offset = realtime_offset();
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr msg;
	struct cmsghdr *c;
	int on = 1;
	ssize_t n;

	setsockopt(g->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	while (wait_readable(g->fd, end)) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl;
		msg.msg_controllen = sizeof(ctl);
		n = recvmsg(g->fd, &msg, MSG_DONTWAIT);
		at = wlspin_now_ns();
		for (c = CMSG_FIRSTHDR(&msg); n >= 0 && c;
		     c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;

				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				at = (uint64_t)((int64_t)ts.tv_sec *
							(int64_t)NSEC_PER_SEC +
						ts.tv_nsec - offset);
			}
		if (n != 8 || at >= end || at <= g->start_ns)
			continue;
		seq = get_u64(buf);
		if (seq < g->nitems && !g->end_ns[seq])
			g->end_ns[seq] = at - g->start_ns;
	}
}

void wlreq_gen_report(const struct wlreq_gen *g, FILE *out)
{
	size_t i;

	for (i = 0; i < g->nitems; i++)
		if (g->end_ns[i])
			fprintf(out, "req %u %zu %" PRIu64 "\n", g->task->index,
				i, g->end_ns[i]);
}

void wlreq_gen_destroy(struct wlreq_gen *g)
{
	if (g->fd > 0)
		close(g->fd);
	free(g->items);
	free(g->end_ns);
	memset(g, 0, sizeof(*g));
}
