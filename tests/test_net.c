/* The container network (backend/net.h): subnet parsing and addressing,
 * the bridge's life cycle, two containers talking over it from inside their
 * own network namespaces, and the janitor removing a dead run's links.
 * Traffic stays inside namespaces the tests create.  Tests that need root
 * skip without it unless CFSSIM_REQUIRE_REAL=1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "backend/container.h"
#include "backend/journal.h"
#include "backend/net.h"
#include "backend/rootfs.h"

/* A bridge and subnet of their own, so a real run can go on meanwhile. */
#define TEST_BRIDGE "cfssimtest0"
#define TEST_SUBNET "10.213.254.0/24"

static char image[4096];

static void need_real(void)
{
	const char *req = getenv("CFSSIM_REQUIRE_REAL");
	const char *why = NULL;
	struct err err;

	if (geteuid() != 0)
		why = "the container network needs root";
	else if (access("/proc/self/ns/net", F_OK))
		why = "no network namespaces";
	else if (rootfs_locate(image, sizeof(image), &err))
		why = err.msg;
	if (!why)
		return;
	if (req && !strcmp(req, "1"))
		fail_msg("%s", why);
	print_message("skipped: %s\n", why);
	skip();
}

static bool link_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

static void assert_nothing_left(void)
{
	char prefix[32];
	struct if_nameindex *ifs, *i;

	snprintf(prefix, sizeof(prefix), "cfs%d-", (int)getpid());
	ifs = if_nameindex();
	assert_non_null(ifs);
	for (i = ifs; i->if_index; i++)
		if (!strncmp(i->if_name, prefix, strlen(prefix)) ||
		    !strcmp(i->if_name, TEST_BRIDGE))
			fail_msg("link '%s' left behind", i->if_name);
	if_freenameindex(ifs);
}

static void setup_test_net(struct net *n)
{
	struct net_config cfg;
	struct err err;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.bridge, sizeof(cfg.bridge), TEST_BRIDGE);
	assert_int_equal(net_parse_subnet(&cfg, TEST_SUBNET, &err), 0);
	if (net_setup(n, &cfg, &err))
		fail_msg("net_setup: %s", err.msg);
}

static uint32_t ip(const char *text)
{
	struct in_addr in;

	assert_int_equal(inet_pton(AF_INET, text, &in), 1);
	return in.s_addr;
}

/* ---- without root -------------------------------------------------------- */

static void test_net_subnet_parsing(void **state)
{
	struct net_config cfg;
	struct err err;
	char buf[16];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(net_parse_subnet(&cfg, "10.213.0.0", &err), 0);
	assert_int_equal(cfg.subnet, ip("10.213.0.0"));
	assert_int_equal(net_parse_subnet(&cfg, "192.168.7.0/24", &err), 0);
	assert_string_equal(net_addr_str(cfg.subnet, buf), "192.168.7.0");
	assert_int_equal(net_parse_subnet(&cfg, "172.31.4.0", &err), 0);
	assert_int_equal(net_parse_subnet(&cfg, "172.32.4.0", &err), -1);
	assert_string_equal(err.msg, "invalid subnet '172.32.4.0': expected "
				     "a private a.b.c.0/24");
	assert_int_equal(net_parse_subnet(&cfg, "10.213.0.1", &err), -1);
	assert_int_equal(net_parse_subnet(&cfg, "10.213.0.0/16", &err), -1);
	assert_string_equal(err.msg, "invalid subnet '10.213.0.0/16': "
				     "expected a private a.b.c.0/24");
	assert_int_equal(net_parse_subnet(&cfg, "8.8.8.0", &err), -1);
	assert_int_equal(net_parse_subnet(&cfg, "ten", &err), -1);
}

static void test_net_slot_addresses(void **state)
{
	struct net n;
	struct net_if_config ifc;
	char buf[16];

	(void)state;
	memset(&n, 0, sizeof(n));
	n.subnet = ip("10.213.0.0");
	net_slot_config(&n, 0, &ifc);
	assert_true(ifc.enabled);
	assert_string_equal(ifc.ifname, "eth0");
	assert_string_equal(net_addr_str(ifc.addr, buf), "10.213.0.2");
	assert_string_equal(net_addr_str(ifc.gateway, buf), "10.213.0.1");
	assert_int_equal(ifc.prefix, 24);
	net_slot_config(&n, NET_MAX_SLOT - 1, &ifc);
	assert_string_equal(net_addr_str(ifc.addr, buf), "10.213.0.254");
}

static void test_net_attach_needs_setup(void **state)
{
	struct net n;
	struct net_link link;
	struct err err;

	(void)state;
	memset(&n, 0, sizeof(n));
	assert_int_equal(net_attach(&n, 1, 0, &link, &err), -1);
	assert_string_equal(err.msg, "network not set up");
	net_destroy(&n);
}

/* ---- as root -------------------------------------------------------------- */

static bool has_address(const char *ifname, const char *addr)
{
	struct ifaddrs *ifa, *i;
	bool found = false;
	char buf[16];

	assert_int_equal(getifaddrs(&ifa), 0);
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    !strcmp(i->ifa_name, ifname) &&
		    !strcmp(net_addr_str(
				    ((struct sockaddr_in *)(void *)i->ifa_addr)
					    ->sin_addr.s_addr,
				    buf),
			    addr))
			found = true;
	freeifaddrs(ifa);
	return found;
}

static void test_net_bridge_life_cycle(void **state)
{
	struct net n, again;
	struct err err;

	(void)state;
	need_real();
	setup_test_net(&n);
	assert_true(n.created_bridge);
	assert_true(link_exists(TEST_BRIDGE));
	assert_int_equal(access("/sys/class/net/" TEST_BRIDGE "/bridge", F_OK),
			 0);
	assert_true(has_address(TEST_BRIDGE, "10.213.254.1"));
	/* a second user reuses it and does not remove it */
	setup_test_net(&again);
	assert_false(again.created_bridge);
	net_destroy(&again);
	assert_true(link_exists(TEST_BRIDGE));
	net_destroy(&n);
	assert_false(link_exists(TEST_BRIDGE));

	memset(&n, 0, sizeof(n));
	{
		struct net_config cfg;

		memset(&cfg, 0, sizeof(cfg));
		snprintf(cfg.bridge, sizeof(cfg.bridge), "lo");
		assert_int_equal(net_setup(&n, &cfg, &err), -1);
		assert_string_equal(err.msg, "'lo' exists and is not a bridge");
	}
	assert_nothing_left();
}

/* A run that reused the bridge of a run that died removes it at the end,
 * once no link is attached to it. */
static void test_net_reused_bridge_of_dead_run_is_removed(void **state)
{
	struct net n;
	pid_t creator;
	int status;

	(void)state;
	need_real();
	creator = fork();
	assert_true(creator >= 0);
	if (!creator) {
		setup_test_net(&n);
		_exit(n.created_bridge ? 0 : 1); /* no net_destroy */
	}
	assert_int_equal(waitpid(creator, &status, 0), creator);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(link_exists(TEST_BRIDGE));
	setup_test_net(&n);
	assert_false(n.created_bridge);
	net_destroy(&n);
	assert_false(link_exists(TEST_BRIDGE));
	assert_nothing_left();
}

/* Runs net_configure_inside(ifc) in a child with a network namespace of
 * its own; returns the error text, "" on success. */
static void configure_in_new_netns(const struct net_if_config *ifc, char *msg,
				   size_t len)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct err err;

		close(fds[0]);
		if (unshare(CLONE_NEWNET))
			_exit(1);
		err_init(&err);
		net_configure_inside(ifc, &err);
		_exit(write(fds[1], err.msg, strlen(err.msg)) < 0 ? 2 : 0);
	}
	close(fds[1]);
	n = read(fds[0], msg, len - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_net_inside_errors(void **state)
{
	struct net_if_config ifc;
	char msg[256];

	(void)state;
	need_real();
	configure_in_new_netns(NULL, msg, sizeof(msg));
	assert_string_equal(msg, "");

	memset(&ifc, 0, sizeof(ifc));
	ifc.enabled = true;
	snprintf(ifc.ifname, sizeof(ifc.ifname), "nope0");
	configure_in_new_netns(&ifc, msg, sizeof(msg));
	assert_string_equal(msg, "cannot find 'nope0': No such device");

	snprintf(ifc.ifname, sizeof(ifc.ifname), "lo");
	ifc.addr = ip("127.0.0.1");
	ifc.prefix = 8;
	configure_in_new_netns(&ifc, msg, sizeof(msg));
	assert_string_equal(
		msg, "cannot give 'lo' address 127.0.0.1/8: File exists");

	ifc.addr = ip("10.213.254.9");
	ifc.prefix = 24;
	ifc.gateway = ip("10.9.9.9");
	configure_in_new_netns(&ifc, msg, sizeof(msg));
	assert_string_equal(msg, "cannot add default route via 10.9.9.9: "
				 "Network is unreachable");
}

static void test_net_bad_bridge_name(void **state)
{
	struct net_config cfg;
	struct net n;
	struct err err;

	(void)state;
	need_real();
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.bridge, sizeof(cfg.bridge), "cfs/bad");
	assert_int_equal(net_setup(&n, &cfg, &err), -1);
	assert_string_equal(err.msg,
			    "cannot create bridge 'cfs/bad': Invalid argument");
	net_destroy(&n);
	assert_nothing_left();
}

static void test_net_attach_errors(void **state)
{
	struct net n;
	struct net_link link;
	struct err err;
	char want[128];
	pid_t dead;

	(void)state;
	need_real();
	setup_test_net(&n);
	assert_int_equal(net_attach(&n, getpid(), NET_MAX_SLOT, &link, &err),
			 -1);
	assert_string_equal(err.msg, "container slot 253 out of range 0..252");
	dead = fork();
	if (!dead)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	assert_int_equal(net_attach(&n, dead, 5, &link, &err), -1);
	snprintf(want, sizeof(want),
		 "cannot create veth 'cfs%d-5': No such "
		 "process",
		 (int)getpid());
	assert_string_equal(err.msg, want);
	assert_int_equal(link.host_ifname[0], '\0');
	net_destroy(&n);
	assert_nothing_left();
}

/* Runs fn in a child that joined pid's network namespace; returns its exit
 * status code. */
static pid_t in_netns(pid_t pid, int (*fn)(void *), void *arg)
{
	char path[64];
	pid_t child;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		if (setns(fd, CLONE_NEWNET))
			_exit(90);
		_exit(fn(arg));
	}
	close(fd);
	return child;
}

struct echo {
	uint32_t server; /* address the server binds, network order */
	int ready_wr;	 /* server: write a byte once bound */
	int ready_rd;
};

static int udp_server(void *arg)
{
	struct echo *e = arg;
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons(7777)};
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	struct timeval tv = {5, 0};
	char buf[64];
	ssize_t n;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	sa.sin_addr.s_addr = e->server;
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)))
		return 91;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (write(e->ready_wr, "r", 1) != 1)
		return 92;
	n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
	if (n <= 0)
		return 93;
	if (sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, flen) != n)
		return 94;
	return 0;
}

static int udp_client(void *arg)
{
	struct echo *e = arg;
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons(7777)};
	struct timeval tv = {5, 0};
	char buf[64];
	ssize_t n;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	sa.sin_addr.s_addr = e->server;
	if (s < 0)
		return 95;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(s, "ping over cfssim", 16, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) != 16)
		return 96;
	n = recv(s, buf, sizeof(buf), 0);
	if (n != 16 || memcmp(buf, "ping over cfssim", 16))
		return 97;
	return 0;
}

static void start_on_net(struct net *n, unsigned slot, const char *name,
			 struct ctr *c, struct net_link *link)
{
	struct ctr_config cfg;
	struct err err;

	ctr_config_init(&cfg, name, image);
	net_slot_config(n, slot, &cfg.net);
	if (ctr_start(&cfg, c, &err))
		fail_msg("ctr_start: %s", err.msg);
	if (net_attach(n, c->pid, slot, link, &err))
		fail_msg("net_attach: %s", err.msg);
	if (ctr_release(c, &err))
		fail_msg("ctr_release: %s", err.msg);
}

static void check_default_route(pid_t pid)
{
	char path[64], line[256];
	bool found = false;
	FILE *f;

	/* /proc/<pid>/net is that process's netns; 10.213.254.1 is
	 * 0x01FED50A in the kernel's little-endian hex */
	snprintf(path, sizeof(path), "/proc/%d/net/route", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "eth0\t00000000\t01FED50A\t", 23))
			found = true;
	fclose(f);
	assert_true(found);
}

/* Two containers on the bridge: a UDP echo from the second container's
 * namespace to the first container's eth0 address and back. */
static void test_net_containers_reach_each_other(void **state)
{
	struct ctr a, b;
	struct net_link la, lb;
	struct net n;
	struct echo e;
	struct err err;
	char master[256], want[64];
	int pipefd[2], status;
	pid_t server, client, pa, pb;
	char ch;

	(void)state;
	need_real();
	setup_test_net(&n);
	start_on_net(&n, 0, "left", &a, &la);
	start_on_net(&n, 1, "right", &b, &lb);
	pa = a.pid;
	pb = b.pid;
	snprintf(want, sizeof(want), "cfs%d-0", (int)getpid());
	assert_string_equal(la.host_ifname, want);
	snprintf(master, sizeof(master), "/sys/class/net/%s/master",
		 la.host_ifname);
	assert_int_equal(access(master, F_OK), 0);
	snprintf(master, sizeof(master),
		 "/sys/class/net/" TEST_BRIDGE "/brif/%s", lb.host_ifname);
	assert_int_equal(access(master, F_OK), 0);
	check_default_route(pa);
	check_default_route(pb);

	assert_int_equal(pipe(pipefd), 0);
	e.server = ip("10.213.254.2");
	e.ready_wr = pipefd[1];
	e.ready_rd = pipefd[0];
	server = in_netns(pa, udp_server, &e);
	assert_int_equal(read(pipefd[0], &ch, 1), 1);
	client = in_netns(pb, udp_client, &e);
	assert_int_equal(waitpid(client, &status, 0), client);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(waitpid(server, &status, 0), server);
	assert_int_equal(WEXITSTATUS(status), 0);
	close(pipefd[0]);
	close(pipefd[1]);

	ctr_destroy(&a);
	ctr_destroy(&b);
	assert_int_equal(net_detach(&n, &la, &err), 0);
	assert_int_equal(net_detach(&n, &lb, &err), 0);
	/* a second detach is a no-op */
	assert_int_equal(net_detach(&n, &la, &err), 0);
	net_destroy(&n);
	assert_true(kill(pa, 0) && errno == ESRCH);
	assert_true(kill(pb, 0) && errno == ESRCH);
	assert_nothing_left();
}

/* With own_netns the bridge, its address and the outer veth ends are in a
 * namespace of the run's own: the host sees none of them, the containers
 * still talk (the same UDP echo), and closing the struct net takes the
 * namespace and what is left in it. */
static void test_net_own_namespace_hides_the_bridge(void **state)
{
	struct net_config cfg;
	struct ctr a, b;
	struct net_link la, lb;
	struct net n;
	struct echo e;
	struct err err;
	char host_end[64];
	int pipefd[2], status;
	pid_t server, client, pa, pb;
	char ch;

	(void)state;
	need_real();
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.bridge, sizeof(cfg.bridge), TEST_BRIDGE);
	cfg.own_netns = true;
	assert_int_equal(net_parse_subnet(&cfg, TEST_SUBNET, &err), 0);
	if (net_setup(&n, &cfg, &err))
		fail_msg("net_setup: %s", err.msg);
	assert_true(n.netns_fd >= 0);
	assert_true(n.created_bridge);
	assert_false(link_exists(TEST_BRIDGE));
	assert_false(has_address(TEST_BRIDGE, "10.213.254.1"));
	start_on_net(&n, 0, "left", &a, &la);
	start_on_net(&n, 1, "right", &b, &lb);
	pa = a.pid;
	pb = b.pid;
	snprintf(host_end, sizeof(host_end), "cfs%d-0", (int)getpid());
	assert_string_equal(la.host_ifname, host_end);
	assert_false(link_exists(host_end));
	check_default_route(pa);

	assert_int_equal(pipe(pipefd), 0);
	e.server = ip("10.213.254.2");
	e.ready_wr = pipefd[1];
	e.ready_rd = pipefd[0];
	server = in_netns(pa, udp_server, &e);
	assert_int_equal(read(pipefd[0], &ch, 1), 1);
	client = in_netns(pb, udp_client, &e);
	assert_int_equal(waitpid(client, &status, 0), client);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(waitpid(server, &status, 0), server);
	assert_int_equal(WEXITSTATUS(status), 0);
	close(pipefd[0]);
	close(pipefd[1]);

	ctr_destroy(&a);
	ctr_destroy(&b);
	/* lb is left to the namespace */
	assert_int_equal(net_detach(&n, &la, &err), 0);
	net_destroy(&n);
	assert_int_equal(n.netns_fd, -1);
	assert_nothing_left();
}

/* A run that dies without cleaning up leaves its bridge and veth; the
 * janitor finds both by their owner and removes them. */
static void test_net_janitor_removes_dead_runs_links(void **state)
{
	char veth[NET_IFNAME_MAX];
	int hold[2], status;
	pid_t holder, runner;
	unsigned removed;
	struct err err;
	char ch;

	(void)state;
	need_real();
	assert_int_equal(pipe(hold), 0);
	holder = fork();
	assert_true(holder >= 0);
	if (!holder) {
		close(hold[1]);
		if (unshare(CLONE_NEWNET))
			_exit(1);
		if (read(hold[0], &ch, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(hold[0]);
	usleep(50000); /* let the holder enter its namespace */
	runner = fork();
	assert_true(runner >= 0);
	if (!runner) {
		struct net n;
		struct net_link link;

		setup_test_net(&n);
		_exit(net_attach(&n, holder, 3, &link, &err) ? 1 : 0);
	}
	assert_int_equal(waitpid(runner, &status, 0), runner);
	assert_int_equal(WEXITSTATUS(status), 0);
	snprintf(veth, sizeof(veth), "cfs%d-3", (int)runner);
	assert_true(link_exists(veth));
	assert_true(link_exists(TEST_BRIDGE));

	assert_int_equal(net_cleanup_leftovers(&removed, &err), 0);
	assert_true(removed >= 2);
	assert_false(link_exists(veth));
	assert_false(link_exists(TEST_BRIDGE));
	close(hold[1]);
	assert_int_equal(waitpid(holder, &status, 0), holder);
	assert_nothing_left();
}

/* Sends one RTM_NEWLINK built by the caller; 0 on the kernel's ack. */
static int rtnl_send(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[8192];
	ssize_t n;

	nlh->nlmsg_seq = 1;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	return n < 0 ? -1 : mnl_cb_run(buf, (size_t)n, 1, 0, NULL, NULL);
}

/* Creates a bridge called name (in the calling thread's network namespace)
 * and, unless alias is NULL, gives it that alias. */
static int add_bridge(const char *name, const char *alias)
{
	char buf[8192];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *info;
	int rc = -1;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags =
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	if (rtnl_send(nl, nlh) < 0)
		goto out;
	if (alias) {
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_NEWLINK;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
		ifi->ifi_family = AF_UNSPEC;
		ifi->ifi_index = (int)if_nametoindex(name);
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
		if (!ifi->ifi_index || rtnl_send(nl, nlh) < 0)
			goto out;
	}
	rc = 0;
out:
	if (nl)
		mnl_socket_close(nl);
	return rc;
}

/* Only links whose alias names an owner (pid, start time, pid namespace)
 * that is gone are removed: a pid that now belongs to a process started at
 * another time is gone; a live owner, the owner of another pid namespace
 * (its pid is a live process here with another start time) and a link
 * known by its name "cfs<dead pid>-<n>" alone are left alone.  All in a
 * network namespace of the test's own. */
static void test_net_janitor_judges_owner_by_start_time(void **state)
{
	static const char *const names[] = {"cfsx-reused", "cfsx-dead",
					    "cfsx-live", "cfsx-otherns", NULL};
	unsigned long long ns = journal_pidns(0);
	pid_t live = getppid(), dead = fork();
	bool there[5] = {false};
	char alias[4][NET_ALIAS_MAX], named[NET_IFNAME_MAX];
	int self, made = 0, rc, i;
	unsigned removed = 99;
	struct err err;

	(void)state;
	need_real();
	if (!dead)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	snprintf(alias[0], sizeof(alias[0]),
		 "cfssim owner=%d start=1 pidns=%llu", (int)live, ns);
	snprintf(alias[1], sizeof(alias[1]),
		 "cfssim owner=%d start=5 pidns=%llu", (int)dead, ns);
	snprintf(alias[2], sizeof(alias[2]),
		 "cfssim owner=%d start=%llu pidns=%llu", (int)live,
		 (unsigned long long)journal_starttime(live), ns);
	snprintf(alias[3], sizeof(alias[3]),
		 "cfssim owner=%d start=1 pidns=%llu", (int)live, ns + 1);
	snprintf(named, sizeof(named), "cfs%d-0", (int)dead);
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(self >= 0);
	assert_int_equal(unshare(CLONE_NEWNET), 0);
	for (i = 0; names[i]; i++)
		made += !add_bridge(names[i], alias[i]);
	made += !add_bridge(named, NULL);
	rc = net_cleanup_leftovers(&removed, &err);
	for (i = 0; names[i]; i++)
		there[i] = link_exists(names[i]);
	there[4] = link_exists(named);
	/* back home; the namespace and its links go with the last fd */
	assert_int_equal(setns(self, CLONE_NEWNET), 0);
	close(self);
	assert_int_equal(made, 5);
	assert_int_equal(rc, 0);
	assert_int_equal(removed, 2);
	assert_false(there[0]);
	assert_false(there[1]);
	assert_true(there[2]);
	assert_true(there[3]);
	assert_true(there[4]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_net_subnet_parsing),
		cmocka_unit_test(test_net_slot_addresses),
		cmocka_unit_test(test_net_attach_needs_setup),
		cmocka_unit_test(test_net_bridge_life_cycle),
		cmocka_unit_test(test_net_reused_bridge_of_dead_run_is_removed),
		cmocka_unit_test(test_net_attach_errors),
		cmocka_unit_test(test_net_inside_errors),
		cmocka_unit_test(test_net_bad_bridge_name),
		cmocka_unit_test(test_net_containers_reach_each_other),
		cmocka_unit_test(test_net_own_namespace_hides_the_bridge),
		cmocka_unit_test(test_net_janitor_removes_dead_runs_links),
		cmocka_unit_test(test_net_janitor_judges_owner_by_start_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
