/* The RpcProxy ValidPorts value: which host:port entries it allows, what is missing, appending. */
#include "core/email/validports.h"

#include <stdlib.h>
#include <string.h>

#define VP_HOST_MAX 255

static int vp_space(char c)
{
    return c == ' ' || c == '\t';
}

static char *vp_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int vp_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y || !x)
            return x - y;
    }
}

/* A port 1-65535 of at most 5 digits; returns the text after it or NULL. */
static const char *vp_port(const char *s, const char *end, unsigned *out)
{
    unsigned v = 0;
    int digits = 0;
    while (s < end && vp_space(*s))
        s++;
    while (s < end && *s >= '0' && *s <= '9' && digits < 6) {
        v = v * 10 + (unsigned)(*s++ - '0');
        digits++;
    }
    while (s < end && vp_space(*s))
        s++;
    if (!digits || digits > 5 || v < 1 || v > 65535)
        return NULL;
    *out = v;
    return s;
}

/* host:port or host:lo-hi, host maybe "[v6]"; fills e and returns 1, or 0 when malformed. */
static int vp_parse_entry(const char *s, size_t n, sp_vp_entry *e)
{
    const char *end = s + n, *hs = s, *he, *colon, *p;
    if (*s == '[') {
        const char *rb = memchr(s, ']', n);
        if (!rb || rb + 1 >= end || rb[1] != ':')
            return 0;
        hs = s + 1;
        he = rb;
        colon = rb + 1;
    } else {
        colon = NULL;
        for (p = s; p < end; p++)
            if (*p == ':')
                colon = p;
        if (!colon)
            return 0;
        he = colon;
        while (he > hs && vp_space(he[-1]))
            he--;
    }
    if (he == hs || (size_t)(he - hs) > VP_HOST_MAX)
        return 0;
    for (p = hs; p < he; p++)
        if (vp_space(*p) || *p == ';' || (unsigned char)*p < 0x20)
            return 0;
    unsigned lo, hi;
    p = vp_port(colon + 1, end, &lo);
    if (!p)
        return 0;
    hi = lo;
    if (p < end) {
        if (*p != '-')
            return 0;
        p = vp_port(p + 1, end, &hi);
        if (!p || p != end || hi < lo)
            return 0;
    }
    if (!(e->host = vp_dup(hs, (size_t)(he - hs))))
        return -1;
    e->lo = lo;
    e->hi = hi;
    return 1;
}

sp_status sp_validports_parse(const char *value, sp_validports *out)
{
    size_t cap = 0;
    if (!out)
        return SP_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (!value)
        return SP_ERR_INVALID;
    for (const char *s = value;;) {
        const char *e = strchr(s, ';');
        if (!e)
            e = s + strlen(s);
        const char *a = s, *b = e;
        while (a < b && vp_space(*a))
            a++;
        while (b > a && vp_space(b[-1]))
            b--;
        if (b > a) {
            if (out->count == cap) {
                size_t nc = cap ? cap * 2 : 8;
                sp_vp_entry *ni = realloc(out->items, nc * sizeof *ni);
                if (!ni)
                    goto nomem;
                out->items = ni;
                cap = nc;
            }
            sp_vp_entry *en = &out->items[out->count];
            memset(en, 0, sizeof *en);
            if (!(en->raw = vp_dup(a, (size_t)(b - a))))
                goto nomem;
            out->count++;
            int ok = vp_parse_entry(a, (size_t)(b - a), en);
            if (ok < 0)
                goto nomem;
            if (!ok)
                out->invalid++;
        }
        if (!*e)
            break;
        s = e + 1;
    }
    return SP_OK;
nomem:
    sp_validports_free(out);
    return SP_ERR_NOMEM;
}

void sp_validports_free(sp_validports *vp)
{
    if (!vp)
        return;
    for (size_t i = 0; i < vp->count; i++) {
        free(vp->items[i].host);
        free(vp->items[i].raw);
    }
    free(vp->items);
    memset(vp, 0, sizeof *vp);
}

int sp_validports_covers(const sp_validports *vp, const char *host, unsigned lo, unsigned hi)
{
    if (!vp || !host || lo > hi)
        return 0;
    /* Walk up from lo: each pass finds an entry holding the next port, or gives up. */
    unsigned next = lo;
    for (;;) {
        int moved = 0;
        for (size_t i = 0; i < vp->count; i++) {
            const sp_vp_entry *e = &vp->items[i];
            if (e->host && e->lo <= next && e->hi >= next && vp_casecmp(e->host, host) == 0) {
                if (e->hi >= hi)
                    return 1;
                next = e->hi + 1;
                moved = 1;
            }
        }
        if (!moved)
            return 0;
    }
}

/* Appends s to a growing buffer. */
static int vp_cat(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        size_t nc = (*len + n + 1) * 2;
        char *nb = realloc(*buf, nc);
        if (!nb)
            return 0;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
    return 1;
}

char *sp_validports_missing(const char *value, const char *const *hosts, size_t nhosts)
{
    static const unsigned ranges[2][2] = {{6001, 6002}, {6004, 6004}};
    static const char *const suffix[2] = {":6001-6002", ":6004"};
    sp_validports vp;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (sp_validports_parse(value ? value : "", &vp) != SP_OK)
        return NULL;
    if (!vp_cat(&buf, &len, &cap, ""))
        goto fail;
    for (size_t h = 0; h < nhosts; h++) {
        const char *host = hosts[h];
        int dup = 0;
        if (!host || !*host)
            continue;
        for (size_t k = 0; k < h; k++)
            if (hosts[k] && vp_casecmp(hosts[k], host) == 0)
                dup = 1;
        if (dup)
            continue;
        for (int r = 0; r < 2; r++) {
            if (sp_validports_covers(&vp, host, ranges[r][0], ranges[r][1]))
                continue;
            int v6 = strchr(host, ':') != NULL;
            if ((len && !vp_cat(&buf, &len, &cap, ";")) || (v6 && !vp_cat(&buf, &len, &cap, "[")) ||
                !vp_cat(&buf, &len, &cap, host) || (v6 && !vp_cat(&buf, &len, &cap, "]")) ||
                !vp_cat(&buf, &len, &cap, suffix[r]))
                goto fail;
        }
    }
    sp_validports_free(&vp);
    return buf;
fail:
    sp_validports_free(&vp);
    free(buf);
    return NULL;
}

char *sp_validports_append(const char *value, const char *missing)
{
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    if (!value)
        value = "";
    if (!missing)
        missing = "";
    if (!vp_cat(&buf, &len, &cap, value))
        return NULL;
    if (!*missing)
        return buf;
    n = strlen(value);
    while (n && vp_space(value[n - 1]))
        n--;
    if ((n && value[n - 1] != ';' && !vp_cat(&buf, &len, &cap, ";")) ||
        !vp_cat(&buf, &len, &cap, missing)) {
        free(buf);
        return NULL;
    }
    return buf;
}
