/* Restore drill: reservoir sampling over sp_sys's folder listings, and the streamed comparison. */
#include "core/backup/drill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/sha256.h"
#include "core/base/strutil.h"

#define PATH_MAX_UTF8 (32768 * 3)

static const char *base_name(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            b = p + 1;
    return b;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && sp_stricmp(s + n - m, suffix) == 0;
}

/* True when a folder of that name is one of the path's parents. */
static int under_folder(const char *path, const char *folder)
{
    size_t m = strlen(folder);
    for (const char *p = path; *p; p++)
        if ((p == path || p[-1] == '\\' || p[-1] == '/') && sp_strnicmp(p, folder, m) == 0 &&
            (p[m] == '\\' || p[m] == '/'))
            return 1;
    return 0;
}

sp_drill_exclusion sp_drill_excluded(const char *path, int is_dir)
{
    const char *name = base_name(path);
    if (is_dir)
        return (sp_stricmp(name, "System Volume Information") == 0 ||
                sp_stricmp(name, "RECYCLER") == 0 || sp_stricmp(name, "$Recycle.Bin") == 0)
                   ? SP_DRILL_SYSTEM
                   : SP_DRILL_KEEP;
    if (sp_stricmp(name, "pagefile.sys") == 0 || sp_stricmp(name, "hiberfil.sys") == 0)
        return SP_DRILL_SYSTEM;
    if (ends_with(name, ".edb") || ends_with(name, ".stm"))
        return SP_DRILL_EXCHANGE;
    if (under_folder(path, "MDBDATA") && (ends_with(name, ".log") || ends_with(name, ".chk")))
        return SP_DRILL_EXCHANGE;
    if (ends_with(name, ".mdf") || ends_with(name, ".ldf"))
        return SP_DRILL_DATABASE;
    return SP_DRILL_KEEP;
}

/* xorshift64*: small, fast and good enough to choose files. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

/* A uniform number in [0, n), without the bias of a plain modulo. */
static uint64_t random_below(uint64_t *s, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n, r;
    do
        r = next_random(s);
    while (r >= limit);
    return r % n;
}

typedef struct {
    sp_sys *sys;
    sp_drill_sample *out;
    int64_t backup_time;
    volatile long *cancel;
    void (*progress)(void *user, uint64_t seen);
    void *user;
    const sp_drill_options *opt;
    uint64_t seen;
    char *path; /* one buffer for the whole walk: the folder being listed, then the entry */
    size_t len;
    sp_status st;
} walk_ctx;

static void note(char *dst, size_t dstlen, const char *path)
{
    if (!dst[0])
        sp_strlcpy(dst, path, dstlen);
}

static sp_status walk_dir(walk_ctx *w);

static void offer_file(walk_ctx *w)
{
    sp_drill_sample *s = w->out;
    sp_filestat fs;
    if (w->sys->ops->file_stat(w->sys, w->path, &fs) != SP_OK || !fs.exists || fs.is_dir)
        return; /* gone or unreadable between the listing and now: not a candidate */
    if (fs.mtime > w->backup_time) {
        s->newer++;
        note(s->example_newer, sizeof s->example_newer, w->path);
        return;
    }
    s->eligible++;
    size_t slot;
    if (s->count < s->k) {
        slot = s->count++;
    } else {
        uint64_t r = random_below(&s->rng, s->eligible);
        if (r >= s->k)
            return;
        slot = (size_t)r;
        free(s->picks[slot].path);
        s->picks[slot].path = NULL;
    }
    if (!(s->picks[slot].path = sp_strdup(w->path))) {
        w->st = SP_ERR_NOMEM;
        return;
    }
    s->picks[slot].size = fs.size;
    s->picks[slot].mtime = fs.mtime;
}

static int skipped_dir(const sp_drill_options *o, const char *path)
{
    for (size_t i = 0; i < o->nskip; i++) {
        size_t n = strlen(o->skip_dirs[i]);
        while (n > 3 && o->skip_dirs[i][n - 1] == '\\')
            n--;
        if (strlen(path) == n && sp_strnicmp(path, o->skip_dirs[i], n) == 0)
            return 1;
    }
    return 0;
}

static int on_entry(void *user, const char *name, int is_dir)
{
    walk_ctx *w = user;
    size_t n = strlen(name), base = w->len;
    if (w->cancel && *w->cancel) {
        w->st = SP_ERR_CANCELLED;
        return 1;
    }
    if (base + 1 + n + 1 > PATH_MAX_UTF8)
        return 0; /* longer than Windows allows: cannot be restored by name either */
    if (base && w->path[base - 1] != '\\')
        w->path[w->len++] = '\\';
    memcpy(w->path + w->len, name, n + 1);
    w->len += n;
    sp_drill_exclusion ex = sp_drill_excluded(w->path, is_dir);
    const sp_drill_options *o = w->opt;
    if (ex != SP_DRILL_KEEP) {
        w->out->excluded++;
        note(w->out->example_excluded, sizeof w->out->example_excluded, w->path);
    } else if (o && is_dir && skipped_dir(o, w->path)) {
        /* the restore folder: its copies are not originals */
    } else if (o && !is_dir && o->no_commas && strchr(name, ',')) {
        w->out->commas++;
        note(w->out->example_comma, sizeof w->out->example_comma, w->path);
    } else if (o && !is_dir && o->not_backed_up && o->not_backed_up(o->rules, w->path)) {
        w->out->not_backed_up++;
        note(w->out->example_not_backed_up, sizeof w->out->example_not_backed_up, w->path);
    } else if (is_dir) {
        walk_dir(w);
    } else {
        offer_file(w);
        if (++w->seen % 1024 == 0 && w->progress)
            w->progress(w->user, w->seen);
    }
    w->len = base;
    w->path[base] = '\0';
    return w->st != SP_OK;
}

static sp_status walk_dir(walk_ctx *w)
{
    sp_status st = w->sys->ops->dir_enum(w->sys, w->path, on_entry, w);
    if (st != SP_OK && w->st == SP_OK) {
        /* A folder we may not list is reported, not fatal: the rest of the tree still counts. */
        w->out->unlisted_dirs++;
        note(w->out->example_unlisted, sizeof w->out->example_unlisted, w->path);
    }
    return w->st;
}

sp_status sp_drill_sample_tree(sp_sys *sys, const char *const *roots, size_t nroots, size_t k,
                               int64_t backup_time, uint64_t seed, volatile long *cancel,
                               void (*progress)(void *user, uint64_t seen), void *user,
                               sp_drill_sample *out)
{
    return sp_drill_sample_tree_with(sys, roots, nroots, k, backup_time, seed, cancel, progress, user,
                                     NULL, out);
}

sp_status sp_drill_sample_tree_with(sp_sys *sys, const char *const *roots, size_t nroots, size_t k,
                                    int64_t backup_time, uint64_t seed, volatile long *cancel,
                                    void (*progress)(void *user, uint64_t seen), void *user,
                                    const sp_drill_options *opt, sp_drill_sample *out)
{
    walk_ctx w;
    memset(out, 0, sizeof *out);
    if (!sys || !roots || k == 0 || k > SP_DRILL_MAX_K)
        return SP_ERR_INVALID;
    out->k = k;
    out->rng = seed ? seed : 0x9E3779B97F4A7C15ULL;
    if (!(out->picks = calloc(k, sizeof *out->picks)))
        return SP_ERR_NOMEM;
    memset(&w, 0, sizeof w);
    w.sys = sys, w.out = out, w.backup_time = backup_time, w.cancel = cancel;
    w.progress = progress, w.user = user, w.opt = opt;
    if (!(w.path = malloc(PATH_MAX_UTF8))) {
        sp_drill_sample_free(out);
        return SP_ERR_NOMEM;
    }
    for (size_t i = 0; i < nroots && w.st == SP_OK; i++) {
        size_t n = strlen(roots[i]);
        if (n + 1 >= PATH_MAX_UTF8)
            continue;
        memcpy(w.path, roots[i], n + 1);
        while (n > 3 && w.path[n - 1] == '\\')
            w.path[--n] = '\0';
        w.len = n;
        walk_dir(&w);
    }
    free(w.path);
    if (w.st != SP_OK)
        sp_drill_sample_free(out);
    return w.st;
}

void sp_drill_sample_free(sp_drill_sample *s)
{
    if (!s || !s->picks)
        return;
    for (size_t i = 0; i < s->k; i++)
        free(s->picks[i].path);
    free(s->picks);
    s->picks = NULL;
    s->count = 0;
}

const char *sp_cmp_outcome_name(sp_cmp_outcome o)
{
    static const char *const names[] = {"match", "differs", "missing", "unreadable", "source_gone"};
    return (unsigned)o < 5 ? names[o] : "?";
}

static uint64_t first_difference(const unsigned char *a, const unsigned char *b, size_t n)
{
    /* memcmp finds that they differ fast; the byte is then looked for in the 4 KiB around. */
    size_t lo = 0;
    while (n - lo > 4096 && memcmp(a + lo, b + lo, 4096) == 0)
        lo += 4096;
    while (lo < n && a[lo] == b[lo])
        lo++;
    return lo;
}

sp_status sp_drill_compare(sp_sys *sys, const char *original, const char *restored,
                           unsigned char *buf, size_t bufsize, int want_hash,
                           volatile long *cancel, sp_cmp_result *out)
{
    size_t half = bufsize / 2, got_a = 0, got_b = 0;
    unsigned char *a = buf, *b = buf + half;
    uint64_t at = 0;
    sp_sha256 h;
    sp_filestat fs;
    int differs = 0;
    memset(out, 0, sizeof *out);
    if (!sys || !original || !restored || !buf || half == 0)
        return SP_ERR_INVALID;
    if (sys->ops->file_stat(sys, original, &fs) != SP_OK) {
        out->outcome = SP_CMP_UNREADABLE;
        return SP_OK;
    }
    if (!fs.exists) {
        out->outcome = SP_CMP_SOURCE_GONE;
        return SP_OK;
    }
    out->size = fs.size;
    if (sys->ops->file_stat(sys, restored, &fs) != SP_OK) {
        out->outcome = SP_CMP_UNREADABLE;
        return SP_OK;
    }
    if (!fs.exists || fs.is_dir) {
        out->outcome = SP_CMP_MISSING;
        return SP_OK;
    }
    sp_sha256_init(&h);
    for (;;) {
        if (cancel && *cancel)
            return SP_ERR_CANCELLED;
        if (sys->ops->file_read_at(sys, original, at, a, half, &got_a) != SP_OK) {
            out->outcome = SP_CMP_UNREADABLE;
            return SP_OK;
        }
        if (want_hash)
            sp_sha256_update(&h, a, got_a);
        if (!differs) {
            if (sys->ops->file_read_at(sys, restored, at, b, half, &got_b) != SP_OK) {
                out->outcome = SP_CMP_UNREADABLE;
                return SP_OK;
            }
            size_t common = got_a < got_b ? got_a : got_b;
            if (memcmp(a, b, common) != 0 || got_a != got_b) {
                differs = 1;
                out->outcome = SP_CMP_DIFFERS;
                out->offset = at + first_difference(a, b, common);
                if (!want_hash)
                    return SP_OK;
            }
        }
        at += got_a;
        if (got_a < half)
            break;
    }
    if (want_hash) {
        unsigned char d[32];
        sp_sha256_final(&h, d);
        sp_sha256_hex(d, out->sha256);
    }
    return SP_OK;
}

sp_status sp_drill_restored_path(sp_sys *sys, const char *folder, const char *original,
                                 unsigned index, char *out, size_t outlen)
{
    char cand[3][1024];
    const char *rest = original;
    char drive[2] = {0, 0};
    size_t flen = strlen(folder);
    const char *sep = flen && folder[flen - 1] == '\\' ? "" : "\\";
    if (original[0] && original[1] == ':') {
        drive[0] = original[0];
        rest = original + 2;
    }
    while (*rest == '\\')
        rest++;
    snprintf(cand[0], sizeof cand[0], "%s%s%02u\\%s", folder, sep, index, base_name(original));
    snprintf(cand[1], sizeof cand[1], "%s%s%s\\%s", folder, sep, drive[0] ? drive : "UNC", rest);
    snprintf(cand[2], sizeof cand[2], "%s%s%s", folder, sep, rest);
    for (int i = 0; i < 3; i++) {
        sp_filestat fs;
        if (sys->ops->file_stat(sys, cand[i], &fs) == SP_OK && fs.exists && !fs.is_dir) {
            if (strlen(cand[i]) >= outlen)
                return SP_ERR_INVALID;
            sp_strlcpy(out, cand[i], outlen);
            return SP_OK;
        }
    }
    if (strlen(cand[1]) >= outlen)
        return SP_ERR_INVALID;
    sp_strlcpy(out, cand[1], outlen);
    return SP_OK;
}
