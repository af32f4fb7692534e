/* Registry strings between UTF-8 and the UTF-16LE bytes the registry stores, as the win32 backend converts them. */
#include "core/base/regbytes.h"

#include <stdint.h>
#include <stdlib.h>

#define REG_SZ_TYPE 1u
#define REG_EXPAND_SZ_TYPE 2u
#define REG_MULTI_SZ_TYPE 7u

int sp_regbytes_is_string(unsigned type)
{
    return type == REG_SZ_TYPE || type == REG_EXPAND_SZ_TYPE || type == REG_MULTI_SZ_TYPE;
}

/* One code point of s[0..n) at *i (advanced); -1 when the bytes there are not UTF-8. */
static long next_utf8(const unsigned char *s, size_t n, size_t *i)
{
    unsigned char c = s[*i];
    size_t len;
    uint32_t cp, min;
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if ((c & 0xE0) == 0xC0)
        len = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        len = 3, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        len = 4, cp = c & 0x07, min = 0x10000;
    else
        return -1;
    if (*i + len > n)
        return -1;
    for (size_t k = 1; k < len; k++) {
        if ((s[*i + k] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (s[*i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *i += len;
    return (long)cp;
}

static void put16(unsigned char *o, size_t *k, uint32_t u)
{
    o[(*k)++] = (unsigned char)(u & 0xFF);
    o[(*k)++] = (unsigned char)(u >> 8);
}

sp_status sp_regbytes_from_utf8(unsigned type, const unsigned char *utf8, size_t size,
                                unsigned char **out, size_t *outsize)
{
    size_t n = 0, i = 0, k = 0;
    unsigned char *o;
    int multi = type == REG_MULTI_SZ_TYPE;
    *out = NULL;
    *outsize = 0;
    if (multi) {
        n = size;
        while (n > 0 && utf8[n - 1] == 0)
            n--;
    } else {
        while (n < size && utf8[n] != 0)
            n++;
    }
    /* At most two UTF-16 units (4 bytes) per UTF-8 byte, and the closing NULs. */
    if (n > (SIZE_MAX - 8) / 4 || !(o = malloc(n * 4 + 8)))
        return SP_ERR_NOMEM;
    while (i < n) {
        long cp = next_utf8(utf8, n, &i);
        if (cp < 0) {
            free(o);
            return SP_ERR_BADDATA;
        }
        if (cp >= 0x10000) {
            put16(o, &k, 0xD800 | (((uint32_t)cp - 0x10000) >> 10));
            put16(o, &k, 0xDC00 | (((uint32_t)cp - 0x10000) & 0x3FF));
        } else {
            put16(o, &k, (uint32_t)cp);
        }
    }
    put16(o, &k, 0);
    if (multi)
        put16(o, &k, 0);
    *out = o;
    *outsize = k;
    return SP_OK;
}

static void put_utf8(unsigned char *o, size_t *k, uint32_t cp)
{
    if (cp < 0x80) {
        o[(*k)++] = (unsigned char)cp;
    } else if (cp < 0x800) {
        o[(*k)++] = (unsigned char)(0xC0 | cp >> 6);
        o[(*k)++] = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        o[(*k)++] = (unsigned char)(0xE0 | cp >> 12);
        o[(*k)++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[(*k)++] = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        o[(*k)++] = (unsigned char)(0xF0 | cp >> 18);
        o[(*k)++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[(*k)++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[(*k)++] = (unsigned char)(0x80 | (cp & 0x3F));
    }
}

sp_status sp_regbytes_to_utf8(unsigned type, const unsigned char *raw, size_t size,
                              unsigned char **out, size_t *outsize)
{
    size_t count = size / 2, n = 0, k = 0;
    unsigned char *o;
    int multi = type == REG_MULTI_SZ_TYPE;
    *out = NULL;
    *outsize = 0;
#define UNIT(x) ((uint32_t)raw[2 * (x)] | (uint32_t)raw[2 * (x) + 1] << 8)
    if (multi) {
        n = count;
        while (n > 0 && UNIT(n - 1) == 0)
            n--;
    } else {
        while (n < count && UNIT(n) != 0)
            n++;
    }
    /* At most three UTF-8 bytes per UTF-16 unit, and the closing NULs. */
    if (!(o = malloc(n * 3 + 2)))
        return SP_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        uint32_t u = UNIT(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n && UNIT(i + 1) >= 0xDC00 && UNIT(i + 1) <= 0xDFFF) {
            put_utf8(o, &k, 0x10000 + ((u - 0xD800) << 10) + (UNIT(i + 1) - 0xDC00));
            i++;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            put_utf8(o, &k, 0xFFFD);
        } else {
            put_utf8(o, &k, u);
        }
    }
#undef UNIT
    o[k++] = 0;
    if (multi && k > 1)
        o[k++] = 0;
    *out = o;
    *outsize = k;
    return SP_OK;
}
