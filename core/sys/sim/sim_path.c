/* The sim's portable string helpers and its mapping of Windows paths onto a host folder. */
#include <stdlib.h>
#include <string.h>

#include "core/sys/sim/sim_internal.h"

/* ---- Portable helpers --------------------------------------------------------------- */

static int sim_ascii_lower(int ch)
{
    return (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch;
}

int sim_ascii_ncasecmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = sim_ascii_lower((unsigned char)a[i]), cb = sim_ascii_lower((unsigned char)b[i]);
        if (ca != cb)
            return ca - cb;
        if (ca == 0)
            return 0;
    }
    return 0;
}

int sim_ascii_casecmp(const char *a, const char *b)
{
    return sim_ascii_ncasecmp(a, b, (size_t)-1);
}

char *sim_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *sim_strdup(const char *s)
{
    return sim_strndup(s, strlen(s));
}

void sim_copy_truncated(char *dst, size_t dstlen, const char *s)
{
    if (dstlen == 0)
        return;
    size_t n = strlen(s);
    if (n >= dstlen) {
        n = dstlen - 1;
        /* Never leave half a UTF-8 sequence: back up to the start of the cut character. */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* ---- Path mapping ------------------------------------------------------------------- */

static int sim_is_sep(char ch)
{
    return ch == '\\' || ch == '/';
}

/* A component Windows would refuse, or one that could climb out of root. */
static int sim_bad_component(const char *p, size_t n)
{
    size_t dots = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (ch < 0x20 || strchr("<>:\"|?*", ch))
            return 1;
        dots += ch == '.';
    }
    return dots == n && n >= 2;
}

sp_status sim_map_path(const char *root, char sep, const char *winpath, char **out)
{
    *out = NULL;
    if (!root || !winpath)
        return SP_ERR_INVALID;
    const char *p = winpath;
    int unc = 0;
    char drive = 0;
    if (sim_is_sep(p[0]) && sim_is_sep(p[1]) && (p[2] == '?' || p[2] == '.') &&
        sim_is_sep(p[3])) {
        /* \\?\C:\x and \\?\UNC\server\share\x: the long-path forms of the same names. */
        p += 4;
        if (sim_ascii_ncasecmp(p, "UNC", 3) == 0 && sim_is_sep(p[3])) {
            unc = 1;
            p += 4;
        }
    } else if (sim_is_sep(p[0]) && sim_is_sep(p[1])) {
        unc = 1;
        p += 2;
    }
    if (!unc) {
        int letter = sim_ascii_lower((unsigned char)p[0]);
        if (letter < 'a' || letter > 'z' || p[1] != ':' || !sim_is_sep(p[2]))
            return SP_ERR_INVALID;
        drive = (char)(letter - 'a' + 'A');
        p += 3;
    }
    size_t rootlen = strlen(root);
    while (rootlen > 1 && sim_is_sep(root[rootlen - 1]))
        rootlen--;
    /* Each component costs at most its own length plus one separator. */
    char *o = malloc(rootlen + strlen(p) + 8);
    if (!o)
        return SP_ERR_NOMEM;
    size_t n = rootlen;
    memcpy(o, root, rootlen);
    if (n == 0 || !sim_is_sep(o[n - 1]))
        o[n++] = sep;
    if (unc) {
        memcpy(o + n, "UNC", 3);
        n += 3;
    } else {
        o[n++] = drive;
    }
    size_t components = 0;
    for (;;) {
        while (sim_is_sep(*p))
            p++;
        size_t clen = 0;
        while (p[clen] && !sim_is_sep(p[clen]))
            clen++;
        if (clen == 0)
            break;
        if (clen == 1 && p[0] == '.') {
            p++;
            continue;
        }
        if (sim_bad_component(p, clen)) {
            free(o);
            return SP_ERR_INVALID;
        }
        o[n++] = sep;
        memcpy(o + n, p, clen);
        n += clen;
        p += clen;
        components++;
    }
    /* \\server alone names no file: a share is needed too. */
    if (unc && components < 2) {
        free(o);
        return SP_ERR_INVALID;
    }
    o[n] = '\0';
    *out = o;
    return SP_OK;
}
