/* A small DNS client's messages: the query as RFC 1035 lays it out, the reply read with name compression bounded. */
#include "core/base/dnsmsg.h"

#include <stdio.h>
#include <string.h>

#define HEADER 12
#define CLASS_IN 1
/* A name on the wire is at most 255 bytes: no honest name follows more pointers than it has
 * labels, so this many jumps means a loop. */
#define MAX_JUMPS 128

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Writes name's labels at out (at most cap bytes): the wire form's length, 0 when not a name. */
static size_t put_name(const char *name, unsigned char *out, size_t cap)
{
    size_t n = 0, len = strlen(name);
    if (len && name[len - 1] == '.')
        len--;
    if (len && name[len - 1] == '.') /* "a.." has an empty label */
        return 0;
    for (size_t i = 0; i < len;) {
        size_t label = 0;
        while (i + label < len && name[i + label] != '.')
            label++;
        if (label == 0 || label > 63 || n + 1 + label + 1 > cap || n + 1 + label + 1 > 255)
            return 0;
        out[n++] = (unsigned char)label;
        memcpy(out + n, name + i, label);
        n += label;
        i += label + 1;
    }
    if (n + 1 > cap)
        return 0;
    out[n++] = 0;
    return n;
}

sp_status sp_dns_build_query(uint16_t id, const char *name, uint16_t type, int rd,
                             unsigned char *out, size_t cap, size_t *len)
{
    size_t n;
    *len = 0;
    if (!name || !out || cap < HEADER + 5)
        return SP_ERR_INVALID;
    if (strcmp(name, ".") == 0)
        name = "";
    memset(out, 0, HEADER);
    put16(out, id);
    out[2] = rd ? 0x01 : 0x00; /* QR 0, opcode QUERY, RD */
    put16(out + 4, 1);         /* one question */
    n = put_name(name, out + HEADER, cap - HEADER - 4);
    if (!n)
        return SP_ERR_INVALID;
    put16(out + HEADER + n, type);
    put16(out + HEADER + n + 2, CLASS_IN);
    *len = HEADER + n + 4;
    return SP_OK;
}

/* Reads the name at *pos into text (following pointers, each strictly backwards and at most
 * MAX_JUMPS of them); *pos moves past its wire form in place. 0 when malformed. */
static int read_name(const unsigned char *pkt, size_t len, size_t *pos, char *text,
                     size_t textlen)
{
    size_t p = *pos, t = 0, wire = 0, end = 0;
    unsigned jumps = 0;
    int jumped = 0;
    if (textlen)
        text[0] = '\0';
    for (;;) {
        unsigned c;
        if (p >= len)
            return 0;
        c = pkt[p];
        if ((c & 0xC0) == 0xC0) {
            size_t to;
            if (p + 1 >= len || ++jumps > MAX_JUMPS)
                return 0;
            to = (c & 0x3Fu) << 8 | pkt[p + 1];
            if (!jumped)
                end = p + 2;
            jumped = 1;
            if (to >= p) /* only backwards: no loop can last */
                return 0;
            p = to;
            continue;
        }
        if (c & 0xC0) /* 0x40 and 0x80: extended label types, not in use */
            return 0;
        p++;
        if (c == 0)
            break;
        if (p + c > len || (wire += c + 1) > 255)
            return 0;
        if (t && t + 1 < textlen)
            text[t++] = '.';
        for (unsigned i = 0; i < c; i++) {
            unsigned char b = pkt[p + i];
            if (b > 0x20 && b < 0x7F && b != '.' && b != '\\') {
                if (t + 1 < textlen)
                    text[t++] = (char)b;
            } else if (t + 4 < textlen) {
                t += (size_t)snprintf(text + t, textlen - t, "\\%03u", b);
            }
        }
        if (textlen)
            text[t < textlen ? t : textlen - 1] = '\0';
        p += c;
    }
    *pos = jumped ? end : p;
    return 1;
}

static sp_status bad(char *why, size_t whylen, const char *what, size_t at)
{
    if (whylen)
        snprintf(why, whylen, "%s (at byte %u)", what, (unsigned)at);
    return SP_ERR_BADDATA;
}

/* One resource record at *pos into rr (when not NULL), its rdata decoded for the types kept. */
static int read_rr(const unsigned char *pkt, size_t len, size_t *pos, sp_dns_rr *rr,
                   const char **what)
{
    sp_dns_rr scratch;
    size_t p = *pos, rdlen, rd;
    if (!rr)
        rr = &scratch;
    memset(rr, 0, sizeof *rr);
    *what = "a record's owner name is malformed";
    if (!read_name(pkt, len, &p, rr->name, sizeof rr->name))
        return 0;
    *what = "a record is cut short";
    if (p + 10 > len)
        return 0;
    rr->type = (uint16_t)get16(pkt + p);
    rr->cls = (uint16_t)get16(pkt + p + 2);
    rr->ttl = get32(pkt + p + 4);
    rdlen = get16(pkt + p + 8);
    p += 10;
    if (p + rdlen > len)
        return 0;
    rd = p;
    *what = "a record's data is malformed";
    switch (rr->type) {
    case SP_DNS_A:
        if (rdlen != 4)
            return 0;
        rr->addr = get32(pkt + rd);
        break;
    case SP_DNS_NS:
    case SP_DNS_CNAME:
        /* The name must lie within the record's data (a pointer may lead outside it). */
        if (!read_name(pkt, p + rdlen, &rd, rr->target, sizeof rr->target) || rd != p + rdlen)
            return 0;
        break;
    case SP_DNS_SRV:
        if (rdlen < 7)
            return 0;
        rr->priority = (uint16_t)get16(pkt + rd);
        rr->weight = (uint16_t)get16(pkt + rd + 2);
        rr->port = (uint16_t)get16(pkt + rd + 4);
        rd += 6;
        if (!read_name(pkt, p + rdlen, &rd, rr->target, sizeof rr->target) || rd != p + rdlen)
            return 0;
        break;
    case SP_DNS_SOA:
        if (!read_name(pkt, p + rdlen, &rd, rr->target, sizeof rr->target) ||
            !read_name(pkt, p + rdlen, &rd, rr->mbox, sizeof rr->mbox) || rd + 20 != p + rdlen)
            return 0;
        rr->serial = get32(pkt + rd);
        break;
    default:
        break; /* kept with its owner and type; its data is not read */
    }
    *pos = p + rdlen;
    return 1;
}

/* count records of a section into rrs (at most SP_DNS_MAX_RR kept, *kept says how many); 0 with
 * what and at when one is malformed. A truncated reply may stop anywhere: what came whole is kept
 * and the rest left unread. */
static int read_section(const unsigned char *pkt, size_t len, size_t *pos, unsigned count,
                        sp_dns_rr *rrs, size_t *kept, int truncated, const char **what, size_t *at)
{
    for (unsigned i = 0; i < count; i++) {
        sp_dns_rr *rr = *kept < SP_DNS_MAX_RR ? &rrs[*kept] : NULL;
        *at = *pos;
        if (!read_rr(pkt, len, pos, rr, what)) {
            if (truncated) {
                *pos = len;
                return 1;
            }
            return 0;
        }
        if (rr)
            (*kept)++;
    }
    return 1;
}

sp_status sp_dns_parse_reply(const unsigned char *pkt, size_t len, uint16_t id, const char *name,
                             uint16_t type, sp_dns_reply *out, char *why, size_t whylen)
{
    char qname[SP_DNS_NAME_MAX];
    size_t pos = HEADER;
    unsigned qdcount;
    const char *what = "";
    size_t at = 0;
    memset(out, 0, sizeof *out);
    if (whylen)
        why[0] = '\0';
    if (!pkt || len < HEADER)
        return bad(why, whylen, "shorter than a DNS header", len);
    out->id = (uint16_t)get16(pkt);
    if (!(pkt[2] & 0x80))
        return bad(why, whylen, "a query, not a reply", 2);
    if (out->id != id)
        return bad(why, whylen, "a reply to another query (its ID differs)", 0);
    if ((pkt[2] >> 3 & 0x0F) != 0)
        return bad(why, whylen, "not a reply to a standard query (opcode)", 2);
    out->aa = !!(pkt[2] & 0x04);
    out->tc = !!(pkt[2] & 0x02);
    out->rd = !!(pkt[2] & 0x01);
    out->ra = !!(pkt[3] & 0x80);
    out->rcode = pkt[3] & 0x0F;
    qdcount = get16(pkt + 4);
    out->ancount = get16(pkt + 6);
    out->nscount = get16(pkt + 8);
    /* A FORMERR or NOTIMP may come back without the question; every other reply repeats it. */
    if (qdcount == 0 && (out->rcode == SP_DNS_FORMERR || out->rcode == SP_DNS_NOTIMP))
        return SP_OK;
    if (qdcount != 1)
        return bad(why, whylen, "a reply without the one question asked", 4);
    if (!read_name(pkt, len, &pos, qname, sizeof qname))
        return bad(why, whylen, "the question's name is malformed", pos);
    if (pos + 4 > len)
        return bad(why, whylen, "the question is cut short", pos);
    if (!sp_dns_name_equal(qname, name) || get16(pkt + pos) != type ||
        get16(pkt + pos + 2) != CLASS_IN)
        return bad(why, whylen, "a reply to another question", HEADER);
    pos += 4;
    if (!read_section(pkt, len, &pos, out->ancount, out->answers, &out->answer_count, out->tc,
                      &what, &at))
        return bad(why, whylen, what, at);
    if (!read_section(pkt, len, &pos, out->nscount, out->authority, &out->authority_count, out->tc,
                      &what, &at))
        return bad(why, whylen, what, at);
    return SP_OK;
}

int sp_dns_name_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la && a[la - 1] == '.')
        la--;
    if (lb && b[lb - 1] == '.')
        lb--;
    if (la != lb)
        return 0;
    for (size_t i = 0; i < la; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

const char *sp_dns_rcode_name(unsigned rcode, char *buf, size_t buflen)
{
    static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
                                        "REFUSED"};
    if (rcode < sizeof names / sizeof names[0])
        return names[rcode];
    snprintf(buf, buflen, "rcode %u", rcode);
    return buf;
}

const char *sp_dns_type_name(uint16_t type, char *buf, size_t buflen)
{
    switch (type) {
    case SP_DNS_A: return "A";
    case SP_DNS_NS: return "NS";
    case SP_DNS_CNAME: return "CNAME";
    case SP_DNS_SOA: return "SOA";
    case SP_DNS_SRV: return "SRV";
    default:
        snprintf(buf, buflen, "TYPE%u", (unsigned)type);
        return buf;
    }
}
