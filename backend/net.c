#include "backend/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "backend/journal.h"
#include "base/xalloc.h"

/* ---- netlink plumbing ------------------------------------------------ */

#define NL_MSG_BUF  4096  /* one request */
#define NL_RECV_BUF 32768 /* kernel: dumps fill up to 32 KiB per recv */

struct nl {
	struct mnl_socket *sock;
	unsigned seq;
	unsigned portid;
};

static int nl_open(struct nl *nl, struct err *err)
{
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sock)
		return err_set(err, errno, "cannot open a netlink socket");
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return err_set(err, e, "cannot bind a netlink socket");
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned)time(NULL);
	return 0;
}

static void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

static struct nlmsghdr *nl_msg(struct nl *nl, char *buf, uint16_t type,
			       uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

/* Sends nlh and runs cb over the replies until the ack or the end of a
 * dump; returns 0, or -1 with errno set (kernel errors included). */
static int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[NL_RECV_BUF];
	unsigned seq = nlh->nlmsg_seq;
	ssize_t n;
	int rc;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -1;
		rc = mnl_cb_run(buf, (size_t)n, seq, nl->portid, cb, data);
		if (rc < 0)
			return -1;
		if (rc == MNL_CB_STOP)
			return 0;
	}
}

static struct ifinfomsg *put_ifinfo(struct nlmsghdr *nlh, int index)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	return ifi;
}

/* Sets IFF_UP (and optionally master and alias) on an existing link. */
static int nl_link_set(struct nl *nl, int index, int master, const char *alias)
{
	char buf[NL_MSG_BUF];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_NEWLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = put_ifinfo(nlh, index);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	if (master > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	if (alias)
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
	return nl_talk(nl, nlh, NULL, NULL);
}

static int nl_link_del(struct nl *nl, const char *name)
{
	char buf[NL_MSG_BUF];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_DELLINK, NLM_F_ACK);

	put_ifinfo(nlh, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nl_talk(nl, nlh, NULL, NULL);
}

static int nl_addr_add(struct nl *nl, int index, uint32_t addr, unsigned prefix)
{
	char buf[NL_MSG_BUF];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_NEWADDR,
				      NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint32_t mask = prefix ? htonl(~0u << (32 - prefix)) : 0;

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)index;
	mnl_attr_put_u32(nlh, IFA_LOCAL, addr);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, addr);
	mnl_attr_put_u32(nlh, IFA_BROADCAST, addr | ~mask);
	return nl_talk(nl, nlh, NULL, NULL);
}

/* ---- link dumps -------------------------------------------------------- */

struct link_rec {
	int index;
	int master;
	char name[NET_IFNAME_MAX];
	char alias[NET_ALIAS_MAX];
	char kind[16];
};

struct link_list {
	struct link_rec *v;
	size_t n, cap;
};

static int linkinfo_cb(const struct nlattr *attr, void *data)
{
	struct link_rec *rec = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
	    mnl_attr_validate(attr, MNL_TYPE_STRING) >= 0)
		snprintf(rec->kind, sizeof(rec->kind), "%s",
			 mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct link_rec *rec = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(attr, MNL_TYPE_STRING) >= 0)
			snprintf(rec->name, sizeof(rec->name), "%s",
				 mnl_attr_get_str(attr));
		break;
	case IFLA_IFALIAS:
		if (mnl_attr_validate(attr, MNL_TYPE_STRING) >= 0)
			snprintf(rec->alias, sizeof(rec->alias), "%s",
				 mnl_attr_get_str(attr));
		break;
	case IFLA_MASTER:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			rec->master = (int)mnl_attr_get_u32(attr);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(attr, linkinfo_cb, rec);
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_list *list = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct link_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.index = ifi->ifi_index;
	mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, &rec);
	xgrow((void **)&list->v, &list->cap, list->n + 1, sizeof(rec));
	list->v[list->n++] = rec;
	return MNL_CB_OK;
}

static int nl_links(struct nl *nl, struct link_list *list)
{
	char buf[NL_MSG_BUF];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETLINK, NLM_F_DUMP);

	put_ifinfo(nlh, 0);
	list->n = 0;
	return nl_talk(nl, nlh, link_cb, list);
}

/* Looks one link up by name; -1 with errno ENODEV when missing. */
static int nl_link_get(struct nl *nl, const char *name, struct link_rec *rec)
{
	char buf[NL_MSG_BUF];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETLINK, 0);
	struct link_list list = {0};
	int rc;

	put_ifinfo(nlh, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	/* a non-dump get has no ack: the reply itself ends it */
	nlh->nlmsg_flags |= NLM_F_ACK;
	rc = nl_talk(nl, nlh, link_cb, &list);
	if (!rc && list.n)
		*rec = list.v[0];
	else if (!rc) {
		errno = ENODEV;
		rc = -1;
	}
	free(list.v);
	return rc;
}

static size_t count_ports(const struct link_list *list, int bridge)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++)
		if (list->v[i].master == bridge)
			n++;
	return n;
}

/* ---- public ------------------------------------------------------------ */

const char *net_addr_str(uint32_t addr, char *buf)
{
	struct in_addr in = {.s_addr = addr};

	if (!inet_ntop(AF_INET, &in, buf, 16))
		snprintf(buf, 16, "?");
	return buf;
}

static bool is_private(uint32_t host)
{
	return (host >> 24) == 10 || (host >> 20) == (172u << 4 | 1) ||
	       (host >> 16) == (192u << 8 | 168);
}

int net_parse_subnet(struct net_config *cfg, const char *text, struct err *err)
{
	char ip[32];
	const char *slash = strchr(text, '/');
	struct in_addr in;
	uint32_t host;
	size_t n = slash ? (size_t)(slash - text) : strlen(text);

	if (n >= sizeof(ip) || (slash && strcmp(slash, "/24")))
		goto bad;
	memcpy(ip, text, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, &in) != 1)
		goto bad;
	host = ntohl(in.s_addr);
	if ((host & 0xff) || !is_private(host))
		goto bad;
	cfg->subnet = in.s_addr;
	return 0;
bad:
	return err_set(err, 0,
		       "invalid subnet '%s': expected a private a.b.c.0/24",
		       text);
}

static uint32_t subnet_host(const struct net *n, unsigned host_part)
{
	return htonl(ntohl(n->subnet) + host_part);
}

/* "cfssim owner=<pid> start=<start time> pidns=<pid namespace>": the
 * owner as backend/journal.h names it, so a janitor can tell it is gone. */
static void owner_alias(pid_t owner, char *buf, size_t len)
{
	snprintf(buf, len, NET_ALIAS_PREFIX "%d start=%llu pidns=%llu",
		 (int)owner, (unsigned long long)journal_starttime(owner),
		 (unsigned long long)journal_pidns(0));
}

/* nl_open in a new network namespace, keeping it in *netns_fd; the calling
 * thread comes back to its own namespace (unshare and setns change only the
 * calling thread's). */
static int nl_open_own_netns(struct nl *nl, int *netns_fd, struct err *err)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int rc = 0;

	*netns_fd = -1;
	if (self < 0)
		return err_set(err, errno, "cannot open the network namespace");
	if (unshare(CLONE_NEWNET)) {
		rc = err_set(err, errno, "cannot create a network namespace");
		goto out_close;
	}
	*netns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*netns_fd < 0)
		rc = err_set(err, errno, "cannot open the network namespace");
	else
		rc = nl_open(nl, err);
	/* staying in the new namespace would move every later socket of this
	 * thread there: nothing sensible can go on after that */
	if (setns(self, CLONE_NEWNET))
		abort();
	if (rc && *netns_fd >= 0) {
		close(*netns_fd);
		*netns_fd = -1;
	}
out_close:
	close(self);
	return rc;
}

int net_setup(struct net *n, const struct net_config *cfg, struct err *err)
{
	char buf[NL_MSG_BUF], alias[NET_ALIAS_MAX], addr[16];
	struct nl nl = {0};
	struct nlmsghdr *nlh;
	struct nlattr *info;
	struct link_rec rec;
	struct in_addr def;

	memset(n, 0, sizeof(*n));
	n->owner = getpid();
	snprintf(n->bridge, sizeof(n->bridge), "%s",
		 cfg && cfg->bridge[0] ? cfg->bridge : NET_BRIDGE_DEFAULT);
	inet_pton(AF_INET, NET_SUBNET_DEFAULT, &def);
	n->subnet = cfg && cfg->subnet ? cfg->subnet : def.s_addr;
	n->netns_fd = -1;
	if (cfg && cfg->own_netns ? nl_open_own_netns(&nl, &n->netns_fd, err) :
				    nl_open(&nl, err))
		return -1;

	nlh = nl_msg(&nl, buf, RTM_NEWLINK,
		     NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	put_ifinfo(nlh, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, n->bridge);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	if (!nl_talk(&nl, nlh, NULL, NULL))
		n->created_bridge = true;
	else if (errno != EEXIST) {
		err_set(err, errno, "cannot create bridge '%s'", n->bridge);
		goto out_close;
	}
	if (nl_link_get(&nl, n->bridge, &rec)) {
		err_set(err, errno, "cannot find bridge '%s'", n->bridge);
		goto out_del;
	}
	if (strcmp(rec.kind, "bridge")) {
		err_set(err, 0, "'%s' exists and is not a bridge", n->bridge);
		goto out_close;
	}
	n->bridge_ifindex = rec.index;
	owner_alias(n->owner, alias, sizeof(alias));
	if (nl_link_set(&nl, rec.index, 0, n->created_bridge ? alias : NULL)) {
		err_set(err, errno, "cannot bring bridge '%s' up", n->bridge);
		goto out_del;
	}
	if (nl_addr_add(&nl, rec.index, subnet_host(n, 1), 24) &&
	    errno != EEXIST) {
		err_set(err, errno, "cannot give bridge '%s' address %s/24",
			n->bridge, net_addr_str(subnet_host(n, 1), addr));
		goto out_del;
	}
	n->nl = nl.sock;
	n->seq = nl.seq;
	return 0;

out_del:
	if (n->created_bridge)
		nl_link_del(&nl, n->bridge);
out_close:
	nl_close(&nl);
	n->created_bridge = false;
	if (n->netns_fd >= 0)
		close(n->netns_fd);
	n->netns_fd = -1;
	return -1;
}

void net_slot_config(const struct net *n, unsigned slot,
		     struct net_if_config *out)
{
	memset(out, 0, sizeof(*out));
	out->enabled = true;
	snprintf(out->ifname, sizeof(out->ifname), "eth0");
	out->addr = subnet_host(n, 2 + slot);
	out->prefix = 24;
	out->gateway = subnet_host(n, 1);
}

/* Borrows the struct net's socket for one call. */
static void nl_borrow(const struct net *n, struct nl *nl)
{
	nl->sock = n->nl;
	nl->seq = n->seq;
	nl->portid = mnl_socket_get_portid(n->nl);
}

int net_attach(struct net *n, pid_t pid, unsigned slot, struct net_link *link,
	       struct err *err)
{
	char buf[NL_MSG_BUF], name[NET_IFNAME_MAX], alias[NET_ALIAS_MAX];
	struct nlattr *info, *data, *peer;
	struct ifinfomsg *pifi;
	struct nlmsghdr *nlh;
	struct link_rec rec;
	struct nl nl;
	int rc;

	memset(link, 0, sizeof(*link));
	if (!n->nl)
		return err_set(err, 0, "network not set up");
	if (slot >= NET_MAX_SLOT)
		return err_set(err, 0, "container slot %u out of range 0..%u",
			       slot, NET_MAX_SLOT - 1);
	rc = snprintf(name, sizeof(name), "cfs%d-%u", (int)n->owner, slot);
	if (rc < 0 || (size_t)rc >= sizeof(name))
		return err_set(err, 0, "veth name for slot %u too long", slot);
	nl_borrow(n, &nl);

	nlh = nl_msg(&nl, buf, RTM_NEWLINK,
		     NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	put_ifinfo(nlh, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* the peer's attributes follow its own ifinfomsg */
	pifi = (struct ifinfomsg *)((char *)nlh + nlh->nlmsg_len);
	memset(pifi, 0, sizeof(*pifi));
	pifi->ifi_family = AF_UNSPEC;
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*pifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)pid);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	rc = nl_talk(&nl, nlh, NULL, NULL);
	n->seq = nl.seq;
	if (rc)
		return err_set(err, errno, "cannot create veth '%s'", name);

	owner_alias(n->owner, alias, sizeof(alias));
	if (nl_link_get(&nl, name, &rec) ||
	    nl_link_set(&nl, rec.index, n->bridge_ifindex, alias)) {
		int e = errno;

		nl_link_del(&nl, name);
		n->seq = nl.seq;
		return err_set(err, e, "cannot attach veth '%s' to bridge '%s'",
			       name, n->bridge);
	}
	n->seq = nl.seq;
	snprintf(link->host_ifname, sizeof(link->host_ifname), "%s", name);
	link->slot = slot;
	link->addr = subnet_host(n, 2 + slot);
	return 0;
}

int net_detach(struct net *n, struct net_link *link, struct err *err)
{
	struct nl nl;
	int rc = 0;

	if (!link->host_ifname[0] || !n->nl)
		return 0;
	nl_borrow(n, &nl);
	if (nl_link_del(&nl, link->host_ifname) && errno != ENODEV)
		rc = err_set(err, errno, "cannot remove veth '%s'",
			     link->host_ifname);
	n->seq = nl.seq;
	memset(link, 0, sizeof(*link));
	return rc;
}

static bool owner_gone(const struct link_rec *rec);

void net_destroy(struct net *n)
{
	struct link_list list = {0};
	struct link_rec rec;
	struct nl nl;
	bool ours;

	if (!n->nl)
		return;
	nl_borrow(n, &nl);
	/* a reused bridge whose creator has died meanwhile is ours to remove
	 * too, so concurrent runs do not leave it behind */
	ours = n->created_bridge ||
	       (!nl_link_get(&nl, n->bridge, &rec) &&
		rec.index == n->bridge_ifindex && owner_gone(&rec));
	if (ours && !nl_links(&nl, &list) &&
	    !count_ports(&list, n->bridge_ifindex))
		nl_link_del(&nl, n->bridge);
	free(list.v);
	nl_close(&nl);
	n->nl = NULL;
	n->created_bridge = false;
	/* the last reference: the namespace and whatever is left in it go */
	if (n->netns_fd > 0)
		close(n->netns_fd);
	n->netns_fd = -1;
}

int net_configure_inside(const struct net_if_config *cfg, struct err *err)
{
	char buf[NL_MSG_BUF], addr[16];
	struct nl nl = {0};
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int lo, eth;

	if (nl_open(&nl, err))
		return -1;
	lo = (int)if_nametoindex("lo");
	if (!lo || nl_link_set(&nl, lo, 0, NULL)) {
		err_set(err, lo ? errno : ENODEV, "cannot bring 'lo' up");
		goto out_close;
	}
	if (!cfg || !cfg->enabled) {
		nl_close(&nl);
		return 0;
	}
	eth = (int)if_nametoindex(cfg->ifname);
	if (!eth) {
		err_set(err, errno, "cannot find '%s'", cfg->ifname);
		goto out_close;
	}
	if (nl_addr_add(&nl, eth, cfg->addr, cfg->prefix)) {
		err_set(err, errno, "cannot give '%s' address %s/%u",
			cfg->ifname, net_addr_str(cfg->addr, addr),
			cfg->prefix);
		goto out_close;
	}
	if (nl_link_set(&nl, eth, 0, NULL)) {
		err_set(err, errno, "cannot bring '%s' up", cfg->ifname);
		goto out_close;
	}
	nlh = nl_msg(&nl, buf, RTM_NEWROUTE,
		     NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 0;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_GATEWAY, cfg->gateway);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)eth);
	if (nl_talk(&nl, nlh, NULL, NULL)) {
		err_set(err, errno, "cannot add default route via %s",
			net_addr_str(cfg->gateway, addr));
		goto out_close;
	}
	nl_close(&nl);
	return 0;

out_close:
	nl_close(&nl);
	return -1;
}

/* true when rec's alias records an owner (pid, start time, pid
 * namespace) and that owner is gone.  A link with only a name
 * "cfs<pid>-<n>" or the alias of older runs ("cfssim owner=<pid>") says
 * too little: its pid may be another process now, or one of another pid
 * namespace, so it is never ours to remove. */
static bool owner_gone(const struct link_rec *rec)
{
	size_t plen = strlen(NET_ALIAS_PREFIX);
	unsigned long long start, ns;
	char tail;
	int pid;

	if (strncmp(rec->alias, NET_ALIAS_PREFIX, plen) ||
	    sscanf(rec->alias + plen, "%d start=%llu pidns=%llu%c", &pid,
		   &start, &ns, &tail) != 3 ||
	    !start || !ns || pid == getpid())
		return false;
	return journal_owner_gone((pid_t)pid, start, ns);
}

int net_cleanup_leftovers(unsigned *removed, struct err *err)
{
	struct link_list list = {0};
	struct nl nl = {0};
	unsigned count = 0;
	size_t i;
	int pass, rc = 0;

	if (removed)
		*removed = 0;
	if (nl_open(&nl, err))
		return -1;
	/* veths first, then bridges that are left without ports */
	for (pass = 0; pass < 2 && !rc; pass++) {
		if (nl_links(&nl, &list)) {
			rc = err_set(err, errno, "cannot list network links");
			break;
		}
		for (i = 0; i < list.n; i++) {
			const struct link_rec *rec = &list.v[i];
			bool bridge = !strcmp(rec->kind, "bridge");

			if (bridge != (pass == 1) || !owner_gone(rec))
				continue;
			if (bridge && count_ports(&list, rec->index))
				continue;
			if (nl_link_del(&nl, rec->name) && errno != ENODEV) {
				rc = err_set(err, errno,
					     "cannot remove leftover link '%s'",
					     rec->name);
				break;
			}
			count++;
		}
	}
	free(list.v);
	nl_close(&nl);
	if (removed)
		*removed = count;
	return rc;
}
