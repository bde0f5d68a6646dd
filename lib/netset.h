/*
 * IPv4 and IPv6 prefix sets: longest-prefix lookup and "every matching
 * entry" lookup (for overlapping networks that each count an address).
 * Lookups allocate nothing and do not modify the set, so several threads may
 * look up concurrently once it is built.
 *
 * Usage: netset_new(), netset_add() every prefix, then netset_build() once,
 * then look up. Lookups are correct at any time, but until netset_build()
 * has run after the last add they scan every entry (slow); after it they
 * search a flat table (fast, a few ns).
 */
#ifndef FT_NETSET_H
#define FT_NETSET_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

struct netset;

/* A new empty set, or NULL with errno set. */
struct netset *netset_new(void);
/* Free the set; NULL is allowed. */
void netset_free(struct netset *ns);
/*
 * Add prefix p carrying value (the caller's id, e.g. a network index).
 * The same prefix may be added with several values; adding the same
 * (prefix, value) twice is a no-op. Returns 0, or -1 with errno set.
 */
int netset_add(struct netset *ns, const struct ft_prefix *p, uint32_t value);
/* Parse "addr[/len]" (host bits must be zero) and add it: 0 or -1. */
int netset_add_str(struct netset *ns, const char *prefix, uint32_t value);
/*
 * Build the lookup tables from the entries added so far; call it after the
 * last add (adding again makes lookups fall back to the slow scan until the
 * next build). Idempotent. Returns 0, or -1 with errno set (the set then
 * keeps working through the slow scan).
 */
int netset_build(struct netset *ns);
/* Whether the lookup tables are current (netset_build() since the last add). */
int netset_is_built(const struct netset *ns);
/*
 * Longest-prefix match: returns 1 and sets *value to the value of the most
 * specific prefix containing a (the first value added to that prefix), or
 * returns 0 when none contains a.
 */
int netset_lookup(
    const struct netset *ns, const struct ft_addr *a, uint32_t *value);
/* Whether any prefix contains a. */
int netset_contains(const struct netset *ns, const struct ft_addr *a);
/*
 * Every distinct value whose prefixes contain a, each once, in ascending
 * order. Writes at most max values and returns how many there are in all
 * (which may exceed max).
 */
size_t netset_match_all(const struct netset *ns, const struct ft_addr *a,
    uint32_t *values, size_t max);
/* Number of (prefix, value) entries. */
size_t netset_count(const struct netset *ns);

#endif
