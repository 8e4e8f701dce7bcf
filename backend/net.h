/* Container network over rtnetlink (libmnl): a bridge (default "cfssim0",
 * .1 of a private /24) and per container a veth whose peer is created in the
 * container's netns as eth0; nothing is forwarded off the host.  struct net
 * owns its netlink socket.  Host veths are "cfs<owner pid>-<slot>" with the
 * alias "cfssim owner=<pid> start=<start time> pidns=<pid namespace>" (the
 * owner as backend/journal.h names it; a bridge net_setup creates gets it
 * too), so a janitor can tell when their owner is gone. */
#ifndef BACKEND_NET_H
#define BACKEND_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"

#define NET_BRIDGE_DEFAULT "cfssim0"
#define NET_SUBNET_DEFAULT "10.213.0.0" /* a /24; bridge .1, slots .2.. */
#define NET_IFNAME_MAX	   16		/* IFNAMSIZ, with the NUL */
#define NET_MAX_SLOT	   253		/* slots 0..252: addresses .2 .. .254 */
#define NET_ALIAS_PREFIX   "cfssim owner="
#define NET_ALIAS_MAX	   128 /* what an alias of ours needs, with the NUL */

struct net_config {
	char bridge[NET_IFNAME_MAX]; /* "" = NET_BRIDGE_DEFAULT */
	uint32_t subnet;	     /* network order, /24; 0 = default */
	/* put the bridge and the outer ends of the veths in a network
	 * namespace of their own instead of the caller's: the host gets no
	 * link, address or route, and everything goes with the namespace
	 * when the struct net's socket closes (or its owner dies) */
	bool own_netns;
};

/* How a container configures its own side (done by the container's child
 * process itself after ctr_release, see backend/container.h). */
struct net_if_config {
	bool enabled;		     /* false: only lo is brought up */
	char ifname[NET_IFNAME_MAX]; /* "eth0" */
	uint32_t addr;		     /* network order */
	unsigned prefix;	     /* 24 */
	uint32_t gateway;	     /* bridge address, network order */
};

/* One host-side veth created by net_attach. */
struct net_link {
	char host_ifname[NET_IFNAME_MAX]; /* "" when nothing to remove */
	unsigned slot;
	uint32_t addr; /* container side, network order */
};

struct net {
	struct mnl_socket *nl; /* owned */
	unsigned seq;
	pid_t owner; /* getpid() at net_setup */
	char bridge[NET_IFNAME_MAX];
	uint32_t subnet; /* network order */
	int bridge_ifindex;
	bool created_bridge; /* net_destroy removes it */
	int netns_fd;	     /* own_netns: the namespace (owned), else -1 */
};

/* Parses "a.b.c.0" or "a.b.c.0/24" into cfg->subnet; only /24 networks in
 * the private ranges (10/8, 172.16/12, 192.168/16) are accepted:
 * "invalid subnet 'X': expected a private a.b.c.0/24". */
int net_parse_subnet(struct net_config *cfg, const char *text, struct err *err);

/* Opens the netlink socket (with cfg->own_netns, in a network namespace it
 * creates: "cannot create a network namespace"), creates the bridge (or
 * reuses an existing bridge of that name; another kind of link gives "'NAME'
 * exists and is not a bridge"), gives it the .1/24 address and brings it
 * up.  cfg may be NULL (defaults).  On failure nothing is left behind. */
int net_setup(struct net *n, const struct net_config *cfg, struct err *err);

/* Fills out with what the container of `slot` (0..NET_MAX_SLOT-1, unique
 * within this struct net) must configure inside: eth0 = subnet + 2 + slot,
 * gateway = bridge address.  Used to fill ctr_config.net before ctr_start. */
void net_slot_config(const struct net *n, unsigned slot,
		     struct net_if_config *out);

/* Creates the veth pair for the (paused) container whose host pid is pid:
 * host end "cfs<owner>-<slot>" attached to the bridge and up, the peer
 * created as "eth0" directly in pid's network namespace (left down; the
 * container brings it up).  Fills link.  On failure nothing is left. */
int net_attach(struct net *n, pid_t pid, unsigned slot, struct net_link *link,
	       struct err *err);

/* Removes the host end of link (both ends go); a link the kernel already
 * removed with the namespace counts as success.  Clears link. */
int net_detach(struct net *n, struct net_link *link, struct err *err);

/* Removes the bridge if no link is attached to it any more and either
 * net_setup created it or the run that did has died; closes the socket.
 * Accepts a zeroed struct; never fails loudly. */
void net_destroy(struct net *n);

/* In the calling process's own network namespace: brings lo up and, when
 * cfg->enabled, gives cfg->ifname its address, brings it up and adds the
 * default route via cfg->gateway.  Called by the container child. */
int net_configure_inside(const struct net_if_config *cfg, struct err *err);

/* Janitor: removes the links whose alias names an owner (pid and start
 * time, of our pid namespace) that is gone, the veths first, then bridges
 * such a run created once no port is left.  Links named "cfs<pid>-<n>"
 * without that alias (or with the older "cfssim owner=<pid>") are left
 * alone: a pid alone cannot tell a dead run from a live one.  *removed
 * (may be NULL) counts what was deleted. */
int net_cleanup_leftovers(unsigned *removed, struct err *err);

/* Formats a network-order IPv4 address into buf (16 bytes). */
const char *net_addr_str(uint32_t addr, char *buf);

#endif
