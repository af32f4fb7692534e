/* GptTmpl.inf and GPT.INI read and edited line by line, every other byte kept as it was. */
#include "core/policy/gptinf.h"

#include <stdlib.h>
#include <string.h>

/* The text as code units: 1 byte (ANSI, UTF-8) or 2 (UTF-16LE), after any BOM. Only
 * ASCII matters for the structure ("[", "]", "=", ";", spaces, line breaks), and in both
 * encodings those are single units, so lines and values are found without decoding. */
typedef struct {
    const unsigned char *d;
    size_t size, body, unit;
    sp_inf_encoding enc;
} inf_text;

typedef struct {
    size_t start, end;         /* the whole line with its break, in bytes */
    size_t cstart, cend;       /* its content without the break */
    int is_section;
    size_t nstart, nend;       /* section name, or key */
    size_t vstart, vend;       /* value (empty for a section) */
    int has_value;
} inf_line;

static unsigned unit_at(const inf_text *t, size_t off)
{
    return t->unit == 1 ? t->d[off] : (unsigned)(t->d[off] | t->d[off + 1] << 8);
}

static sp_status text_open(const unsigned char *d, size_t size, inf_text *t)
{
    memset(t, 0, sizeof *t);
    t->d = d;
    t->size = size;
    t->unit = 1;
    if (size >= 2 && d[0] == 0xFE && d[1] == 0xFF)
        return SP_ERR_BADDATA; /* UTF-16BE: never written by secedit */
    if (size >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
        t->enc = SP_INF_UTF16LE;
        t->unit = 2;
        t->body = 2;
    } else if (size >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
        t->enc = SP_INF_UTF8_BOM;
        t->body = 3;
    } else if (size >= 2 && d[0] != 0 && d[1] == 0) {
        t->enc = SP_INF_UTF16LE; /* UTF-16LE without its BOM */
        t->unit = 2;
    }
    if ((size - t->body) % t->unit)
        return SP_ERR_BADDATA;
    return SP_OK;
}

static int is_blank(unsigned c)
{
    return c == ' ' || c == '\t';
}

/* Reads the line at off; returns 0 at the end of the text. */
static int next_line(const inf_text *t, size_t off, inf_line *l)
{
    size_t u = t->unit, p = off, e;
    if (off >= t->size)
        return 0;
    memset(l, 0, sizeof *l);
    l->start = off;
    while (p < t->size && unit_at(t, p) != '\n')
        p += u;
    l->end = p < t->size ? p + u : p;
    e = p;
    if (e > off && unit_at(t, e - u) == '\r')
        e -= u;
    l->cstart = off;
    l->cend = e;
    p = off;
    while (p < e && is_blank(unit_at(t, p)))
        p += u;
    if (p < e && unit_at(t, p) == '[') {
        size_t q = p + u;
        while (q < e && unit_at(t, q) != ']')
            q += u;
        if (q < e) {
            l->is_section = 1;
            l->nstart = p + u;
            l->nend = q;
            while (l->nstart < l->nend && is_blank(unit_at(t, l->nstart)))
                l->nstart += u;
            while (l->nend > l->nstart && is_blank(unit_at(t, l->nend - u)))
                l->nend -= u;
        }
        return 1;
    }
    if (p >= e || unit_at(t, p) == ';')
        return 1; /* blank line or comment */
    size_t eq = p;
    while (eq < e && unit_at(t, eq) != '=')
        eq += u;
    if (eq >= e)
        return 1;
    l->has_value = 1;
    l->nstart = p;
    l->nend = eq;
    while (l->nend > l->nstart && is_blank(unit_at(t, l->nend - u)))
        l->nend -= u;
    l->vstart = eq + u;
    l->vend = e;
    while (l->vstart < l->vend && is_blank(unit_at(t, l->vstart)))
        l->vstart += u;
    while (l->vend > l->vstart && is_blank(unit_at(t, l->vend - u)))
        l->vend -= u;
    return 1;
}

static int lower(unsigned c)
{
    return c >= 'A' && c <= 'Z' ? (int)(c + 32) : (int)c;
}

/* The units [s, e) equal the ASCII string want, without case. */
static int units_equal(const inf_text *t, size_t s, size_t e, const char *want)
{
    size_t n = strlen(want);
    if ((e - s) / t->unit != n)
        return 0;
    for (size_t i = 0; i < n; i++, s += t->unit)
        if (lower(unit_at(t, s)) != lower((unsigned char)want[i]))
            return 0;
    return 1;
}

/* The units [s, e) contain the ASCII string want, without case. */
static int units_contain(const inf_text *t, size_t s, size_t e, const char *want)
{
    size_t n = strlen(want);
    for (size_t p = s; p + n * t->unit <= e; p += t->unit) {
        size_t i = 0;
        while (i < n && lower(unit_at(t, p + i * t->unit)) == lower((unsigned char)want[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

static size_t put_utf8(char *o, unsigned long c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | c >> 12);
        o[1] = (char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | c >> 18);
    o[1] = (char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (char)(0x80 | (c >> 6 & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
        if (k == 9 || i + k >= n + (k == 0))
            return 0;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k + 1;
    }
    return 1;
}

/* The units [s, e) as UTF-8: UTF-16 decoded, 8-bit text kept when it is UTF-8 and read as
 * Latin-1 when it is not; NUL becomes U+FFFD. */
static char *units_utf8(const inf_text *t, size_t s, size_t e)
{
    size_t n = (e - s) / t->unit;
    char *o = malloc(n * 4 + 1), *w = o;
    if (!o)
        return NULL;
    if (t->unit == 1 && valid_utf8(t->d + s, n) && !memchr(t->d + s, 0, n)) {
        memcpy(o, t->d + s, n);
        o[n] = '\0';
        return o;
    }
    for (size_t p = s; p < e; p += t->unit) {
        unsigned long c = unit_at(t, p);
        if (t->unit == 2 && c >= 0xD800 && c < 0xDC00 && p + 2 < e) {
            unsigned lo = unit_at(t, p + 2);
            if (lo >= 0xDC00 && lo < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                p += 2;
            }
        }
        if (c == 0 || (c >= 0xD800 && c < 0xE000))
            c = 0xFFFD;
        w += put_utf8(w, c);
    }
    *w = '\0';
    return o;
}

static sp_status add_accounts(const inf_text *t, const inf_line *l, sp_inf_match *m)
{
    size_t p = l->vstart;
    while (p < l->vend) {
        size_t s = p, e;
        while (p < l->vend && unit_at(t, p) != ',')
            p += t->unit;
        e = p;
        if (p < l->vend)
            p += t->unit;
        while (s < e && is_blank(unit_at(t, s)))
            s += t->unit;
        while (e > s && is_blank(unit_at(t, e - t->unit)))
            e -= t->unit;
        if (s == e)
            continue;
        char **grown = realloc(m->accounts, (m->account_count + 1) * sizeof *grown);
        if (!grown)
            return SP_ERR_NOMEM;
        m->accounts = grown;
        if (!(m->accounts[m->account_count] = units_utf8(t, s, e)))
            return SP_ERR_NOMEM;
        m->account_count++;
    }
    return SP_OK;
}

sp_status sp_inf_find(const unsigned char *data, size_t size, const char *section,
                      const char *key, sp_inf_match *out)
{
    inf_text t;
    inf_line l;
    size_t off, cap = 0;
    int in_section = 0, in_version = 0, binary = 0;
    sp_status st;

    memset(out, 0, sizeof *out);
    if ((st = text_open(data, size, &t)) != SP_OK)
        return st;
    out->encoding = t.enc;
    if (t.unit == 1 && memchr(data, 0, size))
        binary = 1;
    for (off = t.body; next_line(&t, off, &l); off = l.end) {
        out->line_count++;
        if (l.is_section) {
            in_section = units_equal(&t, l.nstart, l.nend, section);
            in_version = units_equal(&t, l.nstart, l.nend, "Version");
            continue;
        }
        if (!l.has_value)
            continue;
        if (in_version && units_equal(&t, l.nstart, l.nend, "signature") &&
            (units_contain(&t, l.vstart, l.vend, "$CHICAGO$") ||
             units_contain(&t, l.vstart, l.vend, "$Windows NT$")))
            out->is_template = !binary;
        if (!in_section || !units_equal(&t, l.nstart, l.nend, key))
            continue;
        if (out->line_found == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            sp_inf_range *grown = realloc(out->lines, ncap * sizeof *grown);
            if (!grown) {
                sp_inf_match_free(out);
                return SP_ERR_NOMEM;
            }
            out->lines = grown;
            cap = ncap;
        }
        out->lines[out->line_found].start = l.start;
        out->lines[out->line_found].end = l.end;
        out->line_found++;
        if ((st = add_accounts(&t, &l, out)) != SP_OK) {
            sp_inf_match_free(out);
            return st;
        }
    }
    return SP_OK;
}

void sp_inf_match_free(sp_inf_match *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->account_count; i++)
        free(m->accounts[i]);
    free(m->accounts);
    free(m->lines);
    memset(m, 0, sizeof *m);
}

sp_status sp_inf_remove(const unsigned char *data, size_t size, const sp_inf_range *lines,
                        size_t n, unsigned char **out, size_t *outsize)
{
    size_t from = 0, w = 0;
    unsigned char *o;
    *out = NULL;
    *outsize = 0;
    for (size_t i = 0; i < n; i++)
        if (lines[i].start > lines[i].end || lines[i].end > size ||
            (i && lines[i].start < lines[i - 1].end))
            return SP_ERR_INVALID;
    if (!(o = malloc(size ? size : 1)))
        return SP_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        memcpy(o + w, data + from, lines[i].start - from);
        w += lines[i].start - from;
        from = lines[i].end;
    }
    memcpy(o + w, data + from, size - from);
    *out = o;
    *outsize = w + size - from;
    return SP_OK;
}

/* Finds [General] Version= and its value's bytes. */
static sp_status find_version(const unsigned char *data, size_t size, inf_text *t, inf_line *v)
{
    inf_line l;
    int in_general = 0;
    sp_status st = text_open(data, size, t);
    if (st != SP_OK)
        return st;
    for (size_t off = t->body; next_line(t, off, &l); off = l.end) {
        if (l.is_section)
            in_general = units_equal(t, l.nstart, l.nend, "General");
        else if (in_general && l.has_value && units_equal(t, l.nstart, l.nend, "Version")) {
            *v = l;
            return SP_OK;
        }
    }
    return SP_ERR_NOTFOUND;
}

sp_status sp_gptini_version(const unsigned char *data, size_t size, uint32_t *version)
{
    inf_text t;
    inf_line l;
    uint64_t n = 0;
    sp_status st = find_version(data, size, &t, &l);
    if (st != SP_OK)
        return st;
    if (l.vstart == l.vend)
        return SP_ERR_BADDATA;
    for (size_t p = l.vstart; p < l.vend; p += t.unit) {
        unsigned c = unit_at(&t, p);
        if (c < '0' || c > '9')
            return SP_ERR_BADDATA;
        n = n * 10 + (c - '0');
        if (n > 0xFFFFFFFFu)
            return SP_ERR_BADDATA;
    }
    *version = (uint32_t)n;
    return SP_OK;
}

sp_status sp_gptini_set_version(const unsigned char *data, size_t size, uint32_t version,
                                unsigned char **out, size_t *outsize)
{
    inf_text t;
    inf_line l;
    char digits[16];
    size_t nd = 0, w;
    uint32_t check;
    unsigned char *o;
    sp_status st = sp_gptini_version(data, size, &check);
    *out = NULL;
    *outsize = 0;
    if (st != SP_OK || (st = find_version(data, size, &t, &l)) != SP_OK)
        return st;
    do {
        digits[nd++] = (char)('0' + version % 10);
        version /= 10;
    } while (version);
    w = l.vstart + nd * t.unit + (size - l.vend);
    if (!(o = malloc(w)))
        return SP_ERR_NOMEM;
    memcpy(o, data, l.vstart);
    for (size_t i = 0; i < nd; i++) {
        o[l.vstart + i * t.unit] = (unsigned char)digits[nd - 1 - i];
        if (t.unit == 2)
            o[l.vstart + i * 2 + 1] = 0;
    }
    memcpy(o + l.vstart + nd * t.unit, data + l.vend, size - l.vend);
    *out = o;
    *outsize = w;
    return SP_OK;
}

sp_status sp_gpo_version_raise_computer(uint32_t version, uint32_t *raised)
{
    if ((version & 0xFFFFu) == 0xFFFFu)
        return SP_ERR_INVALID;
    *raised = version + 1;
    return SP_OK;
}
