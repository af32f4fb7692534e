/* A small DNS client's messages (RFC 1035, SRV from RFC 2782): one query built, one reply parsed. */
#ifndef SP_DNSMSG_H
#define SP_DNSMSG_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"

#define SP_DNS_A 1
#define SP_DNS_NS 2
#define SP_DNS_CNAME 5
#define SP_DNS_SOA 6
#define SP_DNS_SRV 33

#define SP_DNS_NOERROR 0
#define SP_DNS_FORMERR 1
#define SP_DNS_SERVFAIL 2
#define SP_DNS_NXDOMAIN 3
#define SP_DNS_NOTIMP 4
#define SP_DNS_REFUSED 5

/* A name in text form: at most 253 characters, each label's dots and odd bytes as \DDD. */
#define SP_DNS_NAME_MAX 1024
/* The records of one section kept; more are counted but dropped. */
#define SP_DNS_MAX_RR 8

typedef struct {
    char name[SP_DNS_NAME_MAX]; /* the owner, without the final dot */
    uint16_t type, cls;
    uint32_t ttl;
    /* type A: addr (host order); NS and CNAME: target; SRV: priority, weight, port, target;
     * SOA: target is the primary server, mbox the responsible mailbox, serial its serial. */
    uint32_t addr;
    uint16_t priority, weight, port;
    uint32_t serial;
    char target[SP_DNS_NAME_MAX];
    char mbox[SP_DNS_NAME_MAX];
} sp_dns_rr;

typedef struct {
    uint16_t id;
    int aa, tc, rd, ra; /* the header's flags */
    unsigned rcode;
    unsigned ancount, nscount; /* as the header says */
    size_t answer_count, authority_count; /* kept (at most SP_DNS_MAX_RR each) */
    sp_dns_rr answers[SP_DNS_MAX_RR];
    sp_dns_rr authority[SP_DNS_MAX_RR];
} sp_dns_reply;

/* A standard query (class IN) for name (dotted, a final dot allowed; "" or "." is the root) and
 * type, with recursion desired when rd; SP_ERR_INVALID when the name is not one (a label over
 * 63 bytes, an empty label, over 255 bytes on the wire) or out (cap bytes) is too small. */
sp_status sp_dns_build_query(uint16_t id, const char *name, uint16_t type, int rd,
                             unsigned char *out, size_t cap, size_t *len);

/* Parses a reply to the query with id for name and type: SP_OK with out filled, SP_ERR_BADDATA
 * (why says what) when it is not a well-formed reply to that query: too short, not a response,
 * another id or question, a name that loops or runs past the packet, a record past its end.
 * Every rcode parses; the caller reads out->rcode. */
sp_status sp_dns_parse_reply(const unsigned char *pkt, size_t len, uint16_t id, const char *name,
                             uint16_t type, sp_dns_reply *out, char *why, size_t whylen);

/* Names compared as DNS does: ASCII case folded, a final dot ignored. */
int sp_dns_name_equal(const char *a, const char *b);

/* "NXDOMAIN", "SERVFAIL", ...; "rcode N" for another. */
const char *sp_dns_rcode_name(unsigned rcode, char *buf, size_t buflen);
/* "A", "SRV", ...; "TYPEn" for another. */
const char *sp_dns_type_name(uint16_t type, char *buf, size_t buflen);

#endif
