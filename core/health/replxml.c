/* Parses DS_REPL_NEIGHBOR and DS_REPL_ATTR_META_DATA, the XML of msDS-ReplAllInboundNeighbors and msDS-ReplAttributeMetaData. */
#include "core/health/replxml.h"

#include <string.h>

#include "core/base/civil.h"

/* The bytes of [s, s + len) from the first occurrence of the NUL-terminated needle; NULL if none. */
static const char *find(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(s + i, needle, n) == 0)
            return s + i;
    return NULL;
}

/* The text between <name> and </name> inside [xml, xml + len). */
static int element(const char *xml, size_t len, const char *name, const char **text, size_t *n)
{
    char open[64], close[64];
    const char *a, *b;
    size_t on = strlen(name);
    if (on + 4 > sizeof open)
        return 0;
    open[0] = '<';
    memcpy(open + 1, name, on);
    open[on + 1] = '>';
    open[on + 2] = '\0';
    close[0] = '<';
    close[1] = '/';
    memcpy(close + 2, name, on);
    close[on + 2] = '>';
    close[on + 3] = '\0';
    if (!(a = find(xml, len, open)))
        return 0;
    a += on + 2;
    if (!(b = find(a, len - (size_t)(a - xml), close)))
        return 0;
    *text = a;
    *n = (size_t)(b - a);
    return 1;
}

/* Appends the UTF-8 of code point c; 0 when it does not fit or is no character. */
static int put_utf8(char *out, size_t outlen, size_t *w, unsigned long c)
{
    unsigned char b[4];
    size_t k;
    if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    if (c < 0x80) {
        b[0] = (unsigned char)c;
        k = 1;
    } else if (c < 0x800) {
        b[0] = (unsigned char)(0xC0 | (c >> 6));
        b[1] = (unsigned char)(0x80 | (c & 0x3F));
        k = 2;
    } else if (c < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (c >> 12));
        b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (c & 0x3F));
        k = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (c >> 18));
        b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (c & 0x3F));
        k = 4;
    }
    if (*w + k >= outlen)
        return 0;
    memcpy(out + *w, b, k);
    *w += k;
    return 1;
}

/* A character reference's code point ("#38", "#x26") of ref[0, n); 0 when malformed. */
static unsigned long char_ref(const char *ref, size_t n)
{
    unsigned long c = 0;
    int hex = n > 1 && (ref[1] == 'x' || ref[1] == 'X');
    size_t i = hex ? 2 : 1;
    if (n <= i || n > i + 8)
        return 0;
    for (; i < n; i++) {
        int d;
        if (ref[i] >= '0' && ref[i] <= '9')
            d = ref[i] - '0';
        else if (hex && ref[i] >= 'a' && ref[i] <= 'f')
            d = ref[i] - 'a' + 10;
        else if (hex && ref[i] >= 'A' && ref[i] <= 'F')
            d = ref[i] - 'A' + 10;
        else
            return 0;
        c = c * (hex ? 16 : 10) + (unsigned long)d;
    }
    return c;
}

/* The element's text with XML's entities decoded, into out; 0 when absent, malformed or too long. */
static int text_of(const char *xml, size_t len, const char *name, char *out, size_t outlen)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    const char *t;
    size_t n, w = 0;
    if (!outlen || !element(xml, len, name, &t, &n))
        return 0;
    for (size_t i = 0; i < n; i++) {
        const char *semi;
        size_t rn;
        int ok = 0;
        if (t[i] == '<' || t[i] == '\0')
            return 0;
        if (t[i] != '&') {
            if (w + 1 >= outlen)
                return 0;
            out[w++] = t[i];
            continue;
        }
        if (!(semi = memchr(t + i + 1, ';', n - i - 1)))
            return 0;
        rn = (size_t)(semi - (t + i + 1));
        if (rn && t[i + 1] == '#') {
            ok = put_utf8(out, outlen, &w, char_ref(t + i + 1, rn));
        } else {
            for (size_t k = 0; k < sizeof named / sizeof named[0] && !ok; k++)
                if (strlen(named[k].name) == rn && memcmp(named[k].name, t + i + 1, rn) == 0 &&
                    w + 1 < outlen) {
                    out[w++] = named[k].c;
                    ok = 1;
                }
        }
        if (!ok)
            return 0;
        i += rn + 1;
    }
    out[w] = '\0';
    return 1;
}

/* A decimal number that fits 32 bits. */
static int number_of(const char *xml, size_t len, const char *name, uint32_t *out)
{
    char text[16];
    uint64_t v = 0;
    if (!text_of(xml, len, name, text, sizeof text) || !text[0])
        return 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > 0xFFFFFFFFu)
            return 0;
    }
    *out = (uint32_t)v;
    return 1;
}

static int time_of(const char *xml, size_t len, const char *name, int64_t *out)
{
    char text[40];
    if (!text_of(xml, len, name, text, sizeof text))
        return 0;
    *out = sp_repl_time(text, strlen(text));
    return *out >= 0;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int64_t sp_repl_time(const char *s, size_t len)
{
    int y, mo, d, h, mi, se;
    size_t end = 19;
    if (len < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
        !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se))
        return -1;
    if (s[end] == '.')
        for (end++; end < len && s[end] >= '0' && s[end] <= '9'; end++)
            ;
    if (end + 1 != len || s[end] != 'Z')
        return -1;
    if (y >= 1601 && y < 1970)
        return 0;
    return sp_civil_to_unix(y, mo, d, h, mi, se);
}

sp_status sp_repl_neighbor_parse(const char *xml, size_t len, sp_repl_neighbor *out)
{
    const char *b;
    size_t n;
    memset(out, 0, sizeof *out);
    /* Fields are read inside the value's own element only. */
    if (!xml || !element(xml, len, "DS_REPL_NEIGHBOR", &b, &n) ||
        !text_of(b, n, "pszNamingContext", out->naming_context, sizeof out->naming_context) ||
        !text_of(b, n, "pszSourceDsaDN", out->source_dsa, sizeof out->source_dsa) ||
        !time_of(b, n, "ftimeLastSyncSuccess", &out->last_success) ||
        !time_of(b, n, "ftimeLastSyncAttempt", &out->last_attempt) ||
        !number_of(b, n, "dwLastSyncResult", &out->last_result) ||
        !number_of(b, n, "cNumConsecutiveSyncFailures", &out->failures)) {
        memset(out, 0, sizeof *out);
        return SP_ERR_BADDATA;
    }
    return SP_OK;
}

sp_status sp_repl_meta_parse(const char *xml, size_t len, sp_repl_meta *out)
{
    const char *b;
    size_t n;
    memset(out, 0, sizeof *out);
    if (!xml || !element(xml, len, "DS_REPL_ATTR_META_DATA", &b, &n) ||
        !text_of(b, n, "pszAttributeName", out->attribute, sizeof out->attribute) ||
        !number_of(b, n, "dwVersion", &out->version) ||
        !time_of(b, n, "ftimeLastOriginatingChange", &out->last_change)) {
        memset(out, 0, sizeof *out);
        return SP_ERR_BADDATA;
    }
    return SP_OK;
}
