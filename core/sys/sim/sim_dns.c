/* The sim's DNS server: answers queries on port 53 from the profile's "dns", byte by byte (not with core/base/dnsmsg.c, the client it is there to test). */
#include "core/sys/sim/sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define T_A 1
#define T_NS 2
#define T_CNAME 5
#define T_SOA 6
#define T_SRV 33

static sp_status dns_fail(char *err, size_t errlen, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", what);
    return SP_ERR_BADDATA;
}

static int string_list(const cJSON *a)
{
    const cJSON *e;
    if (!cJSON_IsArray(a))
        return 0;
    cJSON_ArrayForEach(e, a) if (!cJSON_IsString(e)) return 0;
    return 1;
}

sp_status sim_dns_parse(const cJSON *dns, sim_profile *p, char *err, size_t errlen)
{
    static const char *const modes[] = {"answer", "servfail", "refused", "none", "root_zone"};
    const cJSON *item, *rec, *t;
    int known = 0;
    if (!dns)
        return SP_OK;
    if (!cJSON_IsObject(dns))
        return dns_fail(err, errlen, "dns must be an object {\"listen\", \"zones\", \"records\"}");
    if ((item = cJSON_GetObjectItemCaseSensitive(dns, "listen")) && !string_list(item))
        return dns_fail(err, errlen, "dns.listen must be a list of addresses");
    if ((item = cJSON_GetObjectItemCaseSensitive(dns, "zones")) && !string_list(item))
        return dns_fail(err, errlen, "dns.zones must be a list of zone names");
    if ((item = cJSON_GetObjectItemCaseSensitive(dns, "recursion"))) {
        for (size_t i = 0; cJSON_IsString(item) && i < sizeof modes / sizeof modes[0]; i++)
            known |= strcmp(item->valuestring, modes[i]) == 0;
        if (!known)
            return dns_fail(err, errlen, "dns.recursion must be \"answer\", \"servfail\", "
                                         "\"refused\", \"none\" or \"root_zone\"");
    }
    item = cJSON_GetObjectItemCaseSensitive(dns, "records");
    if (item && !cJSON_IsObject(item))
        return dns_fail(err, errlen, "dns.records must be an object of names");
    cJSON_ArrayForEach(rec, item)
    {
        if (!cJSON_IsObject(rec))
            return dns_fail(err, errlen, "each of dns.records must be an object of types");
        cJSON_ArrayForEach(t, rec)
        {
            if (strcmp(t->string, "CNAME") == 0 ? !cJSON_IsString(t) : !string_list(t))
                return dns_fail(err, errlen, "dns.records: CNAME is a name, A, NS and SRV lists");
        }
    }
    if (!(p->dns = cJSON_Duplicate(dns, 1)))
        return SP_ERR_NOMEM;
    return SP_OK;
}

/* ---- The wire ----------------------------------------------------------------------------- */

typedef struct {
    unsigned char *p;
    size_t len, cap;
    int full;
} wbuf;

static void put(wbuf *b, const void *data, size_t n)
{
    if (b->full || b->len + n > b->cap) {
        b->full = 1;
        return;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void put16(wbuf *b, unsigned v)
{
    unsigned char x[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    put(b, x, 2);
}

static void put32(wbuf *b, unsigned long v)
{
    put16(b, (unsigned)(v >> 16 & 0xFFFF));
    put16(b, (unsigned)(v & 0xFFFF));
}

/* A name written label by label, never compressed. */
static void put_name(wbuf *b, const char *name)
{
    while (*name) {
        size_t n = strcspn(name, ".");
        unsigned char l = (unsigned char)(n > 63 ? 63 : n);
        put(b, &l, 1);
        put(b, name, l);
        name += n;
        if (*name == '.')
            name++;
    }
    put(b, "", 1);
}

/* The question's name read from the request (uncompressed, as a client sends it). */
static size_t question_name(const unsigned char *q, size_t len, char *out, size_t outlen)
{
    size_t p = 12, o = 0;
    while (p < len && q[p]) {
        size_t n = q[p++];
        if (n > 63 || p + n > len || o + n + 2 > outlen)
            return 0;
        if (o)
            out[o++] = '.';
        memcpy(out + o, q + p, n);
        o += n;
        p += n;
    }
    if (p >= len)
        return 0;
    out[o] = '\0';
    return p + 1;
}

static const cJSON *records_of(const cJSON *dns, const char *name)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(dns, "records"))
        if (sim_ascii_casecmp(r->string, name) == 0) return r;
    return NULL;
}

/* The zone name is in ("" when none). */
static const char *zone_of(const cJSON *dns, const char *name)
{
    const cJSON *z;
    const char *best = NULL;
    size_t nl = strlen(name);
    cJSON_ArrayForEach(z, cJSON_GetObjectItemCaseSensitive(dns, "zones"))
    {
        size_t zl = strlen(z->valuestring);
        if (zl <= nl && sim_ascii_casecmp(name + nl - zl, z->valuestring) == 0 &&
            (zl == nl || name[nl - zl - 1] == '.') && (!best || zl > strlen(best)))
            best = z->valuestring;
    }
    return best ? best : "";
}

/* One record: owner as a pointer to the question (offset 12) or written out. */
static void put_rr(wbuf *b, const char *owner, int owner_is_question, unsigned type,
                   const char *data)
{
    size_t rdlen_at;
    if (owner_is_question)
        put16(b, 0xC00C);
    else
        put_name(b, owner);
    put16(b, type);
    put16(b, 1);
    put32(b, 3600);
    rdlen_at = b->len;
    put16(b, 0);
    if (type == T_A) {
        unsigned a[4] = {0};
        sscanf(data, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]);
        for (int i = 0; i < 4; i++) {
            unsigned char x = (unsigned char)a[i];
            put(b, &x, 1);
        }
    } else if (type == T_SRV) {
        unsigned prio = 0, weight = 0, port = 0;
        char target[256] = "";
        sscanf(data, "%u %u %u %255s", &prio, &weight, &port, target);
        put16(b, prio);
        put16(b, weight);
        put16(b, port);
        put_name(b, target);
    } else if (type == T_SOA) {
        char mname[300];
        snprintf(mname, sizeof mname, "ns.%s", data);
        put_name(b, mname);
        snprintf(mname, sizeof mname, "hostmaster.%s", data);
        put_name(b, mname);
        put32(b, 42);
        put32(b, 900);
        put32(b, 600);
        put32(b, 86400);
        put32(b, 3600);
    } else {
        put_name(b, data);
    }
    if (!b->full) {
        size_t n = b->len - rdlen_at - 2;
        b->p[rdlen_at] = (unsigned char)(n >> 8);
        b->p[rdlen_at + 1] = (unsigned char)n;
    }
}

static const char *type_key(unsigned type)
{
    switch (type) {
    case T_A: return "A";
    case T_NS: return "NS";
    case T_CNAME: return "CNAME";
    case T_SRV: return "SRV";
    default: return NULL;
    }
}

/* Adds name's records of type; returns how many. */
static unsigned put_records(wbuf *b, const cJSON *recs, const char *owner, int owner_is_question,
                            unsigned type)
{
    const char *key = type_key(type);
    const cJSON *list = key ? cJSON_GetObjectItemCaseSensitive(recs, key) : NULL, *e;
    unsigned n = 0;
    if (cJSON_IsString(list)) {
        put_rr(b, owner, owner_is_question, type, list->valuestring);
        return 1;
    }
    cJSON_ArrayForEach(e, list)
    {
        put_rr(b, owner, owner_is_question, type, e->valuestring);
        n++;
    }
    return n;
}

/* Answers the query req from the profile: SP_ERR_TIMEOUT when host does not listen, as a real
 * server that is not there; a request that is not a query gets no answer either. */
sp_status sim_dns_answer(sp_sys *sys, const char *host, const unsigned char *req, size_t reqlen,
                         unsigned timeout_ms, unsigned char *reply, size_t replycap,
                         size_t *replylen)
{
    const cJSON *dns = sim_machine_profile(sys)->dns, *e, *recs, *mode;
    char name[300];
    size_t qend;
    unsigned qtype, ancount = 0, nscount = 0, rcode = 0, aa = 0;
    int listening = 0;
    wbuf b = {reply, 0, replycap, 0};
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(dns, "listen"))
        listening |= strcmp(e->valuestring, host) == 0;
    mode = cJSON_GetObjectItemCaseSensitive(dns, "recursion");
    if (!listening || reqlen < 17 || (req[2] & 0x80) ||
        !(qend = question_name(req, reqlen, name, sizeof name)) || qend + 4 > reqlen)
        return sp_sys_fail(sys, SP_ERR_TIMEOUT, "No reply from %s:53 within %u ms.", host,
                           timeout_ms);
    qtype = (unsigned)req[qend] << 8 | req[qend + 1];
    const char *zone = zone_of(dns, name);
    recs = records_of(dns, name);
    put(&b, req, 2);         /* the id */
    put16(&b, 0);            /* flags, written below */
    put16(&b, 1);
    put16(&b, 0);            /* counts, written below */
    put32(&b, 0);
    put(&b, req + 12, qend + 4 - 12);
    if (zone[0]) {
        aa = 1;
        if (qtype == T_SOA && sim_ascii_casecmp(name, zone) == 0) {
            put_rr(&b, name, 1, T_SOA, zone);
            ancount = 1;
        } else if (recs && (ancount = put_records(&b, recs, name, 1, qtype)) > 0) {
            /* the records asked for */
        } else if (recs && cJSON_GetObjectItemCaseSensitive(recs, "CNAME")) {
            const char *target = cJSON_GetObjectItemCaseSensitive(recs, "CNAME")->valuestring;
            const cJSON *trecs = records_of(dns, target);
            ancount = put_records(&b, recs, name, 1, T_CNAME);
            if (trecs)
                ancount += put_records(&b, trecs, target, 0, qtype);
        } else {
            rcode = recs ? 0 : 3; /* no data, or NXDOMAIN */
            put_rr(&b, zone, 0, T_SOA, zone);
            nscount = 1;
        }
    } else if (!mode || strcmp(mode->valuestring, "answer") == 0) {
        if (qtype == T_NS) {
            put_rr(&b, name, 1, T_NS, "a.gtld-servers.net");
            ancount = 1;
        } else {
            rcode = 3;
        }
    } else if (strcmp(mode->valuestring, "root_zone") == 0) {
        aa = 1; /* the root zone holds nothing but the server's own zones */
        if (qtype == T_NS && !name[0]) {
            put_rr(&b, "", 1, T_NS, "ns.root-zone.local");
            ancount = 1;
        } else {
            rcode = 3;
        }
    } else if (strcmp(mode->valuestring, "none") == 0) {
        return sp_sys_fail(sys, SP_ERR_TIMEOUT, "No reply from %s:53 within %u ms.", host,
                           timeout_ms);
    } else {
        rcode = strcmp(mode->valuestring, "refused") == 0 ? 5 : 2;
    }
    if (b.full)
        return sp_sys_fail(sys, SP_ERR_IO, "The sim's DNS reply does not fit %u bytes.",
                           (unsigned)replycap);
    reply[2] = (unsigned char)(0x80 | (aa ? 0x04 : 0) | (req[2] & 0x01));
    reply[3] = (unsigned char)(0x80 | rcode);
    reply[6] = (unsigned char)(ancount >> 8);
    reply[7] = (unsigned char)ancount;
    reply[8] = (unsigned char)(nscount >> 8);
    reply[9] = (unsigned char)nscount;
    *replylen = b.len;
    return SP_OK;
}
