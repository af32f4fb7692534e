/* The change journal: two-phase records with backups and digests, persisted atomically, undone
 * newest first after checking each target. */
#include "core/journal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/regbytes.h"
#include "core/base/sha256.h"
#include "core/base/strutil.h"
#include "core/undo_allow.h"
#include "core/policy/gptinf.h"

struct sp_journal {
    sp_sys *sys;
    char dir[400];
    char path[480];
    cJSON *entries; /* array, oldest first */
    unsigned next_seq;
    char *ldap_host, *ldap_user, *ldap_password; /* where LDAP changes go; NULL: here */
    unsigned ldap_port;
    /* The LDAP servers talked to, each opened on first use: the session's, and those that
     * entries being undone were written to (issue 18). A server that could not be reached is
     * remembered with why, and not tried again for the next entry. */
    struct ldap_link {
        char *host; /* "" this domain controller */
        unsigned port;
        sp_ldap_conn *conn;
        sp_status failed;
        char why[256];
    } links[8];
    size_t nlinks;
    int restricted; /* undo follows core/undo_allow.c (sp_journal_restrict_undo) */
};

static const char *const kind_names[] = {"file_write", "file_remove", "reg_set", "reg_delete",
                                         "ldap_set"};
#define KIND_COUNT (sizeof kind_names / sizeof kind_names[0])

const char *sp_change_kind_name(sp_change_kind kind)
{
    return (size_t)kind < KIND_COUNT ? kind_names[kind] : "unknown";
}

static int kind_from_name(const char *s, sp_change_kind *out)
{
    for (size_t i = 0; i < KIND_COUNT; i++)
        if (s && strcmp(s, kind_names[i]) == 0) {
            *out = (sp_change_kind)i;
            return 1;
        }
    return 0;
}

static sp_status save(sp_journal *j)
{
    char *text = cJSON_Print(j->entries);
    sp_status st;
    if (!text)
        return SP_ERR_NOMEM;
    st = j->sys->ops->file_write_atomic(j->sys, j->path, text, strlen(text));
    free(text);
    return st;
}

sp_status sp_journal_open(sp_sys *sys, const char *dir, sp_journal **out)
{
    sp_journal *j = calloc(1, sizeof *j);
    unsigned char *data = NULL;
    size_t size = 0;
    sp_status st;
    const cJSON *it;

    *out = NULL;
    if (!j)
        return SP_ERR_NOMEM;
    j->sys = sys;
    sp_strlcpy(j->dir, dir, sizeof j->dir);
    snprintf(j->path, sizeof j->path, "%s\\journal.json", dir);
    st = sys->ops->file_read(sys, j->path, &data, &size);
    if (st == SP_ERR_NOTFOUND) {
        j->entries = cJSON_CreateArray();
        st = j->entries ? SP_OK : SP_ERR_NOMEM;
    } else if (st == SP_OK) {
        j->entries = cJSON_ParseWithLength((const char *)data, size);
        /* A damaged journal is never replaced: undo information would be lost. */
        if (!cJSON_IsArray(j->entries)) {
            sp_sys_fail(sys, SP_ERR_BADDATA,
                        "The change journal %s is damaged; it was left untouched.", j->path);
            st = SP_ERR_BADDATA;
        }
    }
    free(data);
    if (st != SP_OK) {
        sp_journal_close(j);
        return st;
    }
    j->next_seq = 1;
    cJSON_ArrayForEach(it, j->entries) {
        const cJSON *seq = cJSON_GetObjectItemCaseSensitive(it, "seq");
        if (cJSON_IsNumber(seq) && seq->valuedouble >= j->next_seq && seq->valuedouble < 1e9)
            j->next_seq = (unsigned)seq->valuedouble + 1;
    }
    *out = j;
    return SP_OK;
}

static void forget_ldap(sp_journal *j)
{
    for (size_t i = 0; i < j->nlinks; i++) {
        if (j->links[i].conn && j->sys->ops->ldap_close)
            j->sys->ops->ldap_close(j->sys, j->links[i].conn);
        free(j->links[i].host);
    }
    memset(j->links, 0, sizeof j->links);
    j->nlinks = 0;
    if (j->ldap_password)
        memset(j->ldap_password, 0, strlen(j->ldap_password));
    free(j->ldap_host);
    free(j->ldap_user);
    free(j->ldap_password);
    j->ldap_host = j->ldap_user = j->ldap_password = NULL;
}

void sp_journal_close(sp_journal *j)
{
    if (!j)
        return;
    forget_ldap(j);
    cJSON_Delete(j->entries);
    free(j);
}

/* ---- Digests: what a target holds, as SHA-256, or "absent" ---------------------------------- */

typedef struct {
    int present; /* 0: the target (file, value, attribute) does not exist */
    char hex[65];
} digest;

static void digest_bytes(const void *data, size_t size, digest *out)
{
    sp_sha256 c;
    unsigned char d[32];
    sp_sha256_init(&c);
    sp_sha256_update(&c, data, size);
    sp_sha256_final(&c, d);
    sp_sha256_hex(d, out->hex);
    out->present = 1;
}

/* A registry value: its type (4 bytes, little-endian) then its data. */
static void digest_reg(const sp_regval *v, digest *out)
{
    sp_sha256 c;
    unsigned char d[32], t[4];
    uint32_t type = (uint32_t)v->type;
    for (int i = 0; i < 4; i++)
        t[i] = (unsigned char)(type >> (8 * i));
    sp_sha256_init(&c);
    sp_sha256_update(&c, t, 4);
    sp_sha256_update(&c, v->data, v->size);
    sp_sha256_final(&c, d);
    sp_sha256_hex(d, out->hex);
    out->present = 1;
}

/* An LDAP value; NULL or empty is an absent attribute. */
static void digest_str(const char *s, digest *out)
{
    if (s && *s)
        digest_bytes(s, strlen(s), out);
    else
        memset(out, 0, sizeof *out);
}

static int digest_equal(const digest *a, const digest *b)
{
    return a->present == b->present && (!a->present || strcmp(a->hex, b->hex) == 0);
}

static cJSON *digest_json(const digest *d)
{
    return d->present ? cJSON_CreateString(d->hex) : cJSON_CreateNull();
}

/* Sets e's member name to v (taken), replacing one that is there. */
static void set_item(cJSON *e, const char *name, cJSON *v)
{
    if (!v)
        return;
    if (!cJSON_HasObjectItem(e, name) || !cJSON_ReplaceItemInObjectCaseSensitive(e, name, v))
        cJSON_DeleteItemFromObjectCaseSensitive(e, name), cJSON_AddItemToObject(e, name, v);
}

static void put_digest(cJSON *e, const char *name, const digest *d)
{
    set_item(e, name, digest_json(d));
}

/* 1 with *out when the entry records that digest (a 64-digit hex string, or null). */
static int get_digest(const cJSON *e, const char *name, digest *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, name);
    memset(out, 0, sizeof *out);
    if (cJSON_IsNull(v))
        return 1;
    if (!cJSON_IsString(v) || strlen(v->valuestring) != 64)
        return 0;
    for (const char *p = v->valuestring; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    memcpy(out->hex, v->valuestring, 65);
    out->present = 1;
    return 1;
}

/* ---- Entries: written "intended" before the change, "done" after it ------------------------- */

static const char *str_of(const cJSON *e, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}


/* Saves, keeping last_error: a journal update that fails after the change leaves an entry
 * that undo still handles (it compares the live state), so the change's own outcome counts. */
static sp_status save_keep_error(sp_journal *j)
{
    char why[sizeof j->sys->last_error];
    sp_status st;
    memcpy(why, j->sys->last_error, sizeof why);
    st = save(j);
    memcpy(j->sys->last_error, why, sizeof why);
    return st;
}

/* Forgets entry e (a change that did not happen: nothing is left to undo). */
static void drop_entry(sp_journal *j, cJSON *e)
{
    cJSON_Delete(cJSON_DetachItemViaPointer(j->entries, e));
    save_keep_error(j);
}

static cJSON *new_entry(sp_journal *j, sp_change_kind kind, const char *step, const char *target)
{
    cJSON *e = cJSON_CreateObject();
    if (!e)
        return NULL;
    cJSON_AddNumberToObject(e, "seq", j->next_seq);
    cJSON_AddStringToObject(e, "kind", kind_names[kind]);
    cJSON_AddStringToObject(e, "step", step);
    cJSON_AddStringToObject(e, "target", target);
    cJSON_AddNumberToObject(e, "time", (double)j->sys->ops->time_now(j->sys));
    cJSON_AddBoolToObject(e, "undone", 0);
    cJSON_AddStringToObject(e, "state", "intended");
    return e;
}

/* Records e as intended, with its digests, before its change. Takes e. */
static sp_status begin_entry(sp_journal *j, cJSON *e, const digest *old, const digest *new_)
{
    sp_status st;
    put_digest(e, "old_sha256", old);
    put_digest(e, "new_sha256", new_);
    cJSON_AddItemToArray(j->entries, e);
    st = save(j);
    if (st != SP_OK) {
        /* Not recorded means not allowed to change anything. */
        cJSON_Delete(cJSON_DetachItemViaPointer(j->entries, e));
        return st;
    }
    j->next_seq++;
    return SP_OK;
}

/* The change happened: the entry says so (and what the target holds now, when given). */
static void finish_entry(sp_journal *j, cJSON *e, const digest *now)
{
    if (now)
        put_digest(e, "new_sha256", now);
    set_item(e, "state", cJSON_CreateString("done"));
    save_keep_error(j);
}

static sp_status live_digest(sp_journal *j, const cJSON *e, sp_change_kind kind, digest *out);

/* The change failed: when the target is as it was, the entry goes; otherwise (a change that
 * half happened, or a target that cannot be read) it stays intended for undo to settle. */
static void change_failed(sp_journal *j, cJSON *e, sp_change_kind kind)
{
    char why[sizeof j->sys->last_error];
    digest live, old;
    memcpy(why, j->sys->last_error, sizeof why);
    if (live_digest(j, e, kind, &live) == SP_OK && get_digest(e, "old_sha256", &old) &&
        digest_equal(&live, &old))
        drop_entry(j, e);
    memcpy(j->sys->last_error, why, sizeof why);
}

static sp_status backup_path(sp_journal *j, char *out, size_t outlen)
{
    char dir[440];
    sp_filestat fs;
    sp_status st;
    snprintf(dir, sizeof dir, "%s\\backups", j->dir);
    st = j->sys->ops->dir_create(j->sys, dir);
    if (st != SP_OK)
        return st;
    snprintf(out, outlen, "%s\\%04u.bak", dir, j->next_seq);
    /* A backup left by a run that stopped before its entry was written is never reused. */
    for (unsigned n = 1; n < 1000; n++) {
        memset(&fs, 0, sizeof fs);
        if ((st = j->sys->ops->file_stat(j->sys, out, &fs)) != SP_OK)
            return st;
        if (!fs.exists)
            return SP_OK;
        snprintf(out, outlen, "%s\\%04u-%u.bak", dir, j->next_seq, n);
    }
    return sp_sys_fail(j->sys, SP_ERR_EXISTS, "Too many backups named %s.", out);
}

/* Writes a backup under a name no file has (issue 18, CREATE_NEW): written beside it, then moved
 * to it without replacing, so that a file made under that name meanwhile (by another instance, or
 * planted) is never overwritten: the next free name is taken instead. */
static sp_status write_backup(sp_journal *j, const void *data, size_t size, char *bak, size_t baklen)
{
    char tmp[500];
    sp_status st;
    for (int tries = 0; tries < 8; tries++) {
        if ((st = backup_path(j, bak, baklen)) != SP_OK)
            return st;
        snprintf(tmp, sizeof tmp, "%s.new", bak);
        if ((st = j->sys->ops->file_write_atomic(j->sys, tmp, data, size)) != SP_OK)
            return st;
        if ((st = j->sys->ops->file_move(j->sys, tmp, bak)) != SP_ERR_EXISTS)
            return st;
        j->sys->ops->file_delete(j->sys, tmp);
    }
    return sp_sys_fail(j->sys, SP_ERR_EXISTS, "Another program keeps making files named %s.", bak);
}

/* ---- GPO versions (GPMC's restore: never lowered) ----------------------------------------- */

static int parse_version(const char *s, uint32_t *out)
{
    char *end;
    unsigned long long v;
    if (!s || *s < '0' || *s > '9')
        return 0;
    v = strtoull(s, &end, 10);
    if (*end || v > 0xFFFFFFFFull)
        return 0;
    *out = (uint32_t)v;
    return 1;
}

/* The version undo writes: each half (user high, computer low) that the change raised is raised
 * past the live one; when neither was, the computer half is. */
static sp_status gpo_raise(sp_journal *j, const cJSON *e, uint32_t live, uint32_t *out)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(e, "gpo_old_version");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "gpo_new_version");
    uint32_t oldv, newv, lo = live & 0xFFFF, hi = live >> 16;
    int raise_lo, raise_hi;
    if (!cJSON_IsNumber(o) || !cJSON_IsNumber(n) || !(o->valuedouble >= 0) || !(n->valuedouble >= 0) ||
        o->valuedouble > 4294967295.0 || n->valuedouble > 4294967295.0)
        return sp_sys_fail(j->sys, SP_ERR_BADDATA, "Journal entry %s has no GPO version.",
                           str_of(e, "target") ? str_of(e, "target") : "");
    oldv = (uint32_t)o->valuedouble;
    newv = (uint32_t)n->valuedouble;
    raise_lo = (oldv & 0xFFFF) != (newv & 0xFFFF);
    raise_hi = (oldv >> 16) != (newv >> 16);
    if (!raise_lo && !raise_hi)
        raise_lo = 1;
    if ((raise_lo && lo >= 0xFFFF) || (raise_hi && hi >= 0xFFFF))
        return sp_sys_fail(j->sys, SP_ERR_INVALID,
                           "The GPO version %lu cannot be raised: a half is at its maximum.",
                           (unsigned long)live);
    *out = (hi + (uint32_t)raise_hi) << 16 | (lo + (uint32_t)raise_lo);
    return SP_OK;
}

/* ---- Changes -------------------------------------------------------------------------------- */

static sp_status file_write(sp_journal *j, const char *step, const char *path, const void *data,
                            size_t size, int gpo)
{
    sp_sys *sys = j->sys;
    unsigned char *old = NULL;
    size_t oldsize = 0;
    char bak[480];
    digest dold = {0}, dnew;
    uint32_t vold = 0, vnew = 0;
    cJSON *e = NULL;
    sp_status st = sys->ops->file_read(sys, path, &old, &oldsize);

    if (st != SP_OK && st != SP_ERR_NOTFOUND)
        return st;
    if (gpo && (st != SP_OK || sp_gptini_version(old, oldsize, &vold) != SP_OK ||
                sp_gptini_version(data, size, &vnew) != SP_OK)) {
        st = sp_sys_fail(sys, SP_ERR_BADDATA, "%s has no Version= to raise on undo.", path);
        goto done;
    }
    e = new_entry(j, SP_CHANGE_FILE_WRITE, step, path);
    if (!e) {
        st = SP_ERR_NOMEM;
        goto done;
    }
    if (st == SP_OK) {
        if ((st = write_backup(j, old, oldsize, bak, sizeof bak)) != SP_OK)
            goto done;
        cJSON_AddStringToObject(e, "backup", bak);
        digest_bytes(old, oldsize, &dold);
    } else {
        cJSON_AddNullToObject(e, "backup"); /* the file did not exist: undo deletes it */
    }
    if (gpo) {
        cJSON_AddBoolToObject(e, "gpo_version", 1);
        cJSON_AddNumberToObject(e, "gpo_old_version", vold);
        cJSON_AddNumberToObject(e, "gpo_new_version", vnew);
    }
    digest_bytes(data, size, &dnew);
    st = begin_entry(j, e, &dold, &dnew);
    if (st != SP_OK) {
        e = NULL;
        goto done;
    }
    if ((st = sys->ops->file_write_atomic(sys, path, data, size)) != SP_OK)
        change_failed(j, e, SP_CHANGE_FILE_WRITE);
    else
        finish_entry(j, e, NULL);
    e = NULL;
done:
    cJSON_Delete(e);
    free(old);
    return st;
}

sp_status sp_journal_file_write(sp_journal *j, const char *step, const char *path,
                                const void *data, size_t size)
{
    return file_write(j, step, path, data, size, 0);
}

sp_status sp_journal_gptini_write(sp_journal *j, const char *step, const char *path,
                                  const void *data, size_t size)
{
    return file_write(j, step, path, data, size, 1);
}

sp_status sp_journal_file_remove(sp_journal *j, const char *step, const char *path)
{
    char bak[480];
    unsigned char *old = NULL;
    size_t oldsize = 0;
    digest dold, absent = {0};
    cJSON *e;
    sp_status st = j->sys->ops->file_read(j->sys, path, &old, &oldsize);
    if (st != SP_OK)
        return st;
    digest_bytes(old, oldsize, &dold);
    free(old);
    if ((st = backup_path(j, bak, sizeof bak)) != SP_OK)
        return st;
    if (!(e = new_entry(j, SP_CHANGE_FILE_REMOVE, step, path)))
        return SP_ERR_NOMEM;
    cJSON_AddStringToObject(e, "backup", bak);
    if ((st = begin_entry(j, e, &dold, &absent)) != SP_OK)
        return st;
    /* Moved, never deleted: the backup is the file itself. */
    if ((st = j->sys->ops->file_move(j->sys, path, bak)) != SP_OK)
        change_failed(j, e, SP_CHANGE_FILE_REMOVE);
    else
        finish_entry(j, e, NULL);
    return st;
}

static char *hex_encode(const unsigned char *d, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(n * 2 + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[d[i] >> 4];
        s[2 * i + 1] = digits[d[i] & 15];
    }
    s[2 * n] = '\0';
    return s;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static sp_status hex_decode(const char *s, sp_regval *out)
{
    size_t n = strlen(s);
    if (n % 2)
        return SP_ERR_BADDATA;
    out->data = malloc(n / 2 + 1);
    if (!out->data)
        return SP_ERR_NOMEM;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return SP_ERR_BADDATA;
        out->data[i] = (unsigned char)(hi << 4 | lo);
    }
    out->size = n / 2;
    return SP_OK;
}

/* Registry values are journaled as the registry stores them when the backend can read them so
 * (issue 18: a NUL inside a string, a lone surrogate, come back byte for byte); entries that say
 * "reg_raw" hold those bytes and their digests, the others (earlier versions) the UTF-8 form. */
static int reg_raw_ok(const sp_sys *sys)
{
    return sys->ops->reg_get_raw && sys->ops->reg_set_raw;
}

static sp_status reg_read(sp_sys *sys, int raw, sp_reg_view view, const char *key, const char *value,
                          sp_regval *out)
{
    if (raw && !reg_raw_ok(sys))
        return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "This backend cannot read registry values as stored.");
    return raw ? sys->ops->reg_get_raw(sys, view, key, value, out) : sys->ops->reg_get(sys, view, key, value, out);
}

/* The registry value's digest now (absent when it does not exist). */
static sp_status reg_digest(sp_sys *sys, int raw, sp_reg_view view, const char *key, const char *value,
                            digest *out)
{
    sp_regval v = {0};
    sp_status st = reg_read(sys, raw, view, key, value, &v);
    memset(out, 0, sizeof *out);
    if (st == SP_OK)
        digest_reg(&v, out);
    sp_regval_free(&v);
    return st == SP_ERR_NOTFOUND ? SP_OK : st;
}

static sp_status journal_reg(sp_journal *j, sp_change_kind kind, const char *step,
                             sp_reg_view view, const char *key, const char *value,
                             const sp_regval *val)
{
    sp_sys *sys = j->sys;
    sp_regval old = {0}, stored = {0};
    const sp_regval *write = val;
    char target[512];
    digest dold = {0}, dnew = {0}, now;
    cJSON *e, *o;
    int raw = reg_raw_ok(sys);
    sp_status st;

    /* What the registry will hold, as its bytes: what is written, digested before it is. */
    if (raw && val && sp_regbytes_is_string(val->type)) {
        stored.type = val->type;
        if (sp_regbytes_from_utf8(val->type, val->data, val->size, &stored.data, &stored.size) != SP_OK)
            return sp_sys_fail(sys, SP_ERR_INVALID, "The value for %s\\%s is not valid UTF-8.", key, value);
        write = &stored;
    }
    st = reg_read(sys, raw, view, key, value, &old);
    if (st != SP_OK && st != SP_ERR_NOTFOUND) {
        sp_regval_free(&stored);
        return st;
    }
    snprintf(target, sizeof target, "%s\\%s", key, value);
    if (!(e = new_entry(j, kind, step, target))) {
        sp_regval_free(&old);
        sp_regval_free(&stored);
        return SP_ERR_NOMEM;
    }
    if (raw)
        cJSON_AddBoolToObject(e, "reg_raw", 1);
    cJSON_AddNumberToObject(e, "view", view);
    cJSON_AddStringToObject(e, "key", key);
    cJSON_AddStringToObject(e, "value", value);
    if (st == SP_OK) {
        char *hex = hex_encode(old.data, old.size);
        o = cJSON_AddObjectToObject(e, "old");
        cJSON_AddNumberToObject(o, "type", old.type);
        cJSON_AddStringToObject(o, "hex", hex ? hex : "");
        free(hex);
        digest_reg(&old, &dold);
    } else {
        cJSON_AddNullToObject(e, "old");
    }
    sp_regval_free(&old);
    if (kind == SP_CHANGE_REG_SET)
        digest_reg(write, &dnew);
    if ((st = begin_entry(j, e, &dold, &dnew)) != SP_OK) {
        sp_regval_free(&stored);
        return st;
    }
    if (kind == SP_CHANGE_REG_SET)
        st = raw ? sys->ops->reg_set_raw(sys, view, key, value, write) : sys->ops->reg_set(sys, view, key, value, val);
    else if ((st = sys->ops->reg_delete_value(sys, view, key, value)) == SP_ERR_NOTFOUND)
        st = SP_OK;
    sp_regval_free(&stored);
    if (st != SP_OK)
        change_failed(j, e, kind);
    else /* what the registry holds now, as it gives it back */
        finish_entry(j, e, reg_digest(sys, raw, view, key, value, &now) == SP_OK ? &now : NULL);
    return st;
}

sp_status sp_journal_reg_set(sp_journal *j, const char *step, sp_reg_view view, const char *key,
                             const char *value, const sp_regval *val)
{
    return journal_reg(j, SP_CHANGE_REG_SET, step, view, key, value, val);
}

sp_status sp_journal_reg_delete(sp_journal *j, const char *step, sp_reg_view view,
                                const char *key, const char *value)
{
    return journal_reg(j, SP_CHANGE_REG_DELETE, step, view, key, value, NULL);
}

static char *dup_or_null(const char *s)
{
    char *d;
    if (!s || !*s)
        return NULL;
    if ((d = malloc(strlen(s) + 1)))
        memcpy(d, s, strlen(s) + 1);
    return d;
}

sp_status sp_journal_set_ldap(sp_journal *j, const sp_ldap_target *t)
{
    forget_ldap(j);
    if (!t)
        return SP_OK;
    j->ldap_host = dup_or_null(t->host);
    j->ldap_user = dup_or_null(t->user);
    j->ldap_password = dup_or_null(t->password);
    j->ldap_port = t->port;
    if ((t->host && *t->host && !j->ldap_host) || (t->user && *t->user && !j->ldap_user) ||
        (t->password && *t->password && !j->ldap_password)) {
        forget_ldap(j);
        return SP_ERR_NOMEM;
    }
    return SP_OK;
}

#define LDAP_DEFAULT_PORT 389u

/* The session's LDAP server: host "" is this domain controller. */
static const char *session_host(const sp_journal *j)
{
    return j->ldap_host ? j->ldap_host : "";
}

static unsigned session_port(const sp_journal *j)
{
    return j->ldap_port ? j->ldap_port : LDAP_DEFAULT_PORT;
}

static int same_host(const char *a, const char *b)
{
    while (*a && *b && ((*a | 32) == (*b | 32)))
        a++, b++;
    return !*a && !*b;
}

/* The server an entry was written to (issue 18: undo goes there, not to the session's). Entries
 * record "ldap_server" {"host", "port"}; those of earlier versions recorded only "server" (a
 * host, when it was not this DC) or nothing, and keep going to the session's server. */
static int entry_server(const sp_journal *j, const cJSON *e, const char **host, unsigned *port)
{
    const cJSON *srv = e ? cJSON_GetObjectItemCaseSensitive(e, "ldap_server") : NULL;
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(srv, "host");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(srv, "port");
    *host = session_host(j);
    *port = session_port(j);
    if (srv) {
        if (!cJSON_IsString(h) || !cJSON_IsNumber(p) || !(p->valuedouble >= 1 && p->valuedouble <= 65535))
            return 0;
        *host = h->valuestring;
        *port = (unsigned)p->valuedouble;
    } else if (e && str_of(e, "server")) {
        *host = str_of(e, "server");
        if (!same_host(*host, session_host(j)))
            *port = LDAP_DEFAULT_PORT;
    }
    return 1;
}

/* The connection to the server of entry e (NULL: the session's), opened once; the session's
 * credentials bind there under the backend's rules (signed and sealed, or LDAPS). */
static sp_status ldap_open(sp_journal *j, const cJSON *e, sp_ldap_conn **conn)
{
    const char *host;
    unsigned port;
    struct ldap_link *l = NULL;
    sp_status st;
    *conn = NULL;
    if (!entry_server(j, e, &host, &port))
        return sp_sys_fail(j->sys, SP_ERR_BADDATA, "The journal entry's LDAP server is damaged.");
    for (size_t i = 0; i < j->nlinks && !l; i++)
        if (j->links[i].port == port && same_host(j->links[i].host, host))
            l = &j->links[i];
    if (l && l->conn) {
        *conn = l->conn;
        return SP_OK;
    }
    if (l) /* tried before and could not: the same answer, without waiting for it again */
        return sp_sys_fail(j->sys, l->failed, "%s", l->why);
    if (!j->sys->ops->ldap_connect)
        return sp_sys_fail(j->sys, SP_ERR_UNSUPPORTED, "This backend has no LDAP client.");
    if (j->nlinks == sizeof j->links / sizeof j->links[0])
        return sp_sys_fail(j->sys, SP_ERR_UNSUPPORTED, "The journal names too many LDAP servers.");
    l = &j->links[j->nlinks];
    if (!(l->host = dup_or_null(host)) && *host)
        return SP_ERR_NOMEM;
    if (!l->host && !(l->host = calloc(1, 1)))
        return SP_ERR_NOMEM;
    l->port = port;
    j->nlinks++;
    sp_ldap_target t = {*host ? host : NULL, port, j->ldap_user, j->ldap_password};
    if ((st = j->sys->ops->ldap_connect(j->sys, &t, &l->conn)) != SP_OK) {
        l->conn = NULL;
        l->failed = st;
        snprintf(l->why, sizeof l->why, "%s", j->sys->last_error[0] ? j->sys->last_error : sp_status_name(st));
        return st;
    }
    *conn = l->conn;
    return SP_OK;
}

typedef struct {
    const char *attr;
    char *value;
    int found, several;
    sp_status st;
} ldap_old;

static int take_old_value(void *user, const char *dn, const sp_ldap_attr *attrs, size_t n)
{
    ldap_old *o = user;
    (void)dn;
    o->found = 1;
    for (size_t i = 0; i < n; i++) {
        const char *a = attrs[i].name, *b = o->attr;
        while (*a && *b && (*a | 32) == (*b | 32))
            a++, b++;
        if (*a || *b || attrs[i].count == 0)
            continue;
        if (attrs[i].count > 1)
            o->several = 1;
        free(o->value);
        if (!(o->value = dup_or_null(attrs[i].values[0])) && attrs[i].values[0][0])
            o->st = SP_ERR_NOMEM;
    }
    return 1;
}

/* The attribute's one value now: *value NULL when it is absent or empty. */
static sp_status ldap_read_value(sp_journal *j, sp_ldap_conn *conn, const char *dn, const char *attr,
                                 char **value)
{
    const char *attrs[2] = {attr, NULL};
    ldap_old o = {attr, NULL, 0, 0, SP_OK};
    sp_status st = j->sys->ops->ldap_search(j->sys, conn, dn, 0, "(objectClass=*)", attrs,
                                            take_old_value, &o);
    *value = NULL;
    if (st == SP_OK && o.st != SP_OK)
        st = o.st;
    if (st == SP_OK && !o.found)
        st = sp_sys_fail(j->sys, SP_ERR_NOTFOUND, "LDAP: %s was not found.", dn);
    if (st == SP_OK && o.several)
        st = sp_sys_fail(j->sys, SP_ERR_UNSUPPORTED,
                         "%s of %s has several values: SourcePrep changes only single values.", attr, dn);
    if (st != SP_OK) {
        free(o.value);
        return st;
    }
    *value = o.value;
    return SP_OK;
}

/* A modify without an answer in time may or may not have been made (issue 18): does the live
 * value read back as what the entry says it writes? Unknown counts as not made; the entry then
 * stays unless the live value is still the old one (change_failed). */
static int ldap_made(sp_journal *j, cJSON *e)
{
    char why[sizeof j->sys->last_error];
    digest live, want;
    int made;
    memcpy(why, j->sys->last_error, sizeof why);
    made = live_digest(j, e, SP_CHANGE_LDAP_SET, &live) == SP_OK && get_digest(e, "new_sha256", &want) &&
           digest_equal(&live, &want);
    memcpy(j->sys->last_error, why, sizeof why);
    return made;
}

static sp_status ldap_replace(sp_journal *j, const char *step, const char *dn, const char *attr,
                              const char *value, int gpo)
{
    char target[512], *old = NULL;
    digest dold, dnew;
    uint32_t vold = 0, vnew = 0;
    cJSON *e, *srv;
    sp_ldap_conn *conn;
    sp_status st;
    if ((st = ldap_open(j, NULL, &conn)) != SP_OK || (st = ldap_read_value(j, conn, dn, attr, &old)) != SP_OK)
        return st;
    if (gpo && (!parse_version(old, &vold) || !parse_version(value, &vnew))) {
        free(old);
        return sp_sys_fail(j->sys, SP_ERR_BADDATA, "%s of %s is not a version number.", attr, dn);
    }
    snprintf(target, sizeof target, "%s\\%s", dn, attr);
    if (!(e = new_entry(j, SP_CHANGE_LDAP_SET, step, target))) {
        free(old);
        return SP_ERR_NOMEM;
    }
    cJSON_AddStringToObject(e, "dn", dn);
    cJSON_AddStringToObject(e, "attr", attr);
    /* Where it was made: its undo goes there, whatever server a later session names. */
    if ((srv = cJSON_AddObjectToObject(e, "ldap_server"))) {
        cJSON_AddStringToObject(srv, "host", session_host(j));
        cJSON_AddNumberToObject(srv, "port", session_port(j));
    }
    if (old)
        cJSON_AddStringToObject(e, "old", old);
    else
        cJSON_AddNullToObject(e, "old"); /* absent: undo removes it */
    if (gpo) {
        cJSON_AddBoolToObject(e, "gpo_version", 1);
        cJSON_AddNumberToObject(e, "gpo_old_version", vold);
        cJSON_AddNumberToObject(e, "gpo_new_version", vnew);
    }
    digest_str(old, &dold);
    digest_str(value, &dnew);
    free(old);
    if ((st = begin_entry(j, e, &dold, &dnew)) != SP_OK)
        return st;
    st = j->sys->ops->ldap_replace(j->sys, conn, dn, attr, value);
    if (st == SP_ERR_TIMEOUT && ldap_made(j, e)) {
        /* No answer in time, but the value reads back as written: the change is made. */
        finish_entry(j, e, NULL);
        st = SP_OK;
    } else if (st != SP_OK) {
        change_failed(j, e, SP_CHANGE_LDAP_SET); /* a modify that failed may still have happened */
    } else {
        finish_entry(j, e, NULL);
    }
    return st;
}

sp_status sp_journal_ldap_replace(sp_journal *j, const char *step, const char *dn,
                                  const char *attr, const char *value)
{
    return ldap_replace(j, step, dn, attr, value, 0);
}

sp_status sp_journal_gpo_version_replace(sp_journal *j, const char *step, const char *dn,
                                         const char *value)
{
    return ldap_replace(j, step, dn, "versionNumber", value, 1);
}

/* ---- Undo ----------------------------------------------------------------------------------- */

/* What the entry's target holds now. */
static sp_status live_digest(sp_journal *j, const cJSON *e, sp_change_kind kind, digest *out)
{
    sp_sys *sys = j->sys;
    memset(out, 0, sizeof *out);
    if (kind == SP_CHANGE_FILE_WRITE || kind == SP_CHANGE_FILE_REMOVE) {
        unsigned char *data = NULL;
        size_t size = 0;
        const char *target = str_of(e, "target");
        sp_status st = target ? sys->ops->file_read(sys, target, &data, &size) : SP_ERR_BADDATA;
        if (st == SP_OK)
            digest_bytes(data, size, out);
        free(data);
        return st == SP_ERR_NOTFOUND ? SP_OK : st;
    }
    if (kind == SP_CHANGE_LDAP_SET) {
        const char *dn = str_of(e, "dn"), *attr = str_of(e, "attr");
        char *value = NULL;
        sp_ldap_conn *conn;
        sp_status st;
        if (!dn || !attr)
            return SP_ERR_BADDATA;
        if ((st = ldap_open(j, e, &conn)) != SP_OK || (st = ldap_read_value(j, conn, dn, attr, &value)) != SP_OK)
            return st;
        digest_str(value, out);
        free(value);
        return SP_OK;
    }
    const cJSON *view = cJSON_GetObjectItemCaseSensitive(e, "view");
    const char *key = str_of(e, "key"), *value = str_of(e, "value");
    if (!key || !value || !cJSON_IsNumber(view) || view->valueint < 0 || view->valueint > 2)
        return SP_ERR_BADDATA;
    return reg_digest(sys, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "reg_raw")),
                      (sp_reg_view)view->valueint, key, value, out);
}

/* The backup's bytes, checked against the digest of what the target held (when recorded). */
static sp_status read_backup(sp_journal *j, const cJSON *e, int checked, unsigned char **data,
                             size_t *size)
{
    const char *bak = str_of(e, "backup");
    digest want, got;
    sp_status st;
    if (!bak)
        return SP_ERR_BADDATA;
    if ((st = j->sys->ops->file_read(j->sys, bak, data, size)) != SP_OK)
        return st;
    if (checked && get_digest(e, "old_sha256", &want)) {
        digest_bytes(*data, *size, &got);
        if (!digest_equal(&want, &got)) {
            free(*data);
            *data = NULL;
            return sp_sys_fail(j->sys, SP_ERR_BADDATA,
                               "The backup %s is not what SourcePrep saved (its SHA-256 differs).", bak);
        }
    }
    return SP_OK;
}

/* What GPT.INI gets back: the old content with Version raised past the live one. */
static sp_status gptini_restored(sp_journal *j, const cJSON *e, unsigned char **data, size_t *size)
{
    unsigned char *live = NULL, *out = NULL;
    size_t live_size = 0, out_size = 0;
    uint32_t cur = 0, v = 0;
    sp_status st = j->sys->ops->file_read(j->sys, str_of(e, "target"), &live, &live_size);
    if (st == SP_OK && sp_gptini_version(live, live_size, &cur) != SP_OK)
        st = sp_sys_fail(j->sys, SP_ERR_BADDATA, "%s has no Version= to raise.", str_of(e, "target"));
    free(live);
    if (st == SP_OK && (st = gpo_raise(j, e, cur, &v)) == SP_OK &&
        (st = sp_gptini_set_version(*data, *size, v, &out, &out_size)) == SP_OK) {
        free(*data);
        *data = out;
        *size = out_size;
    }
    return st;
}

static sp_status undo_file(sp_journal *j, const cJSON *e, sp_change_kind kind, int checked)
{
    sp_sys *sys = j->sys;
    const char *target = str_of(e, "target");
    unsigned char *data = NULL;
    size_t size = 0;
    sp_filestat fs = {0};
    sp_status st;
    if (kind == SP_CHANGE_FILE_WRITE && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(e, "backup"))) {
        st = sys->ops->file_delete(sys, target);
        return st == SP_ERR_NOTFOUND ? SP_OK : st;
    }
    if ((st = read_backup(j, e, checked, &data, &size)) != SP_OK)
        return st;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "gpo_version")) &&
        (st = gptini_restored(j, e, &data, &size)) != SP_OK) {
        free(data);
        return st;
    }
    if (kind == SP_CHANGE_FILE_REMOVE && sys->ops->file_stat(sys, target, &fs) == SP_OK && !fs.exists)
        st = sys->ops->file_move(sys, str_of(e, "backup"), target);
    else /* replaced, or a removed file that was made again and is forced back */
        st = sys->ops->file_write_atomic(sys, target, data, size);
    free(data);
    return st;
}

static sp_status undo_reg(sp_sys *sys, const cJSON *e)
{
    const char *key = str_of(e, "key"), *value = str_of(e, "value");
    const cJSON *view = cJSON_GetObjectItemCaseSensitive(e, "view");
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(e, "old");
    sp_regval v = {0};
    sp_status st;

    if (!key || !value || !cJSON_IsNumber(view) || view->valueint < 0 || view->valueint > 2)
        return SP_ERR_BADDATA;
    if (cJSON_IsNull(old) || !old) {
        st = sys->ops->reg_delete_value(sys, (sp_reg_view)view->valueint, key, value);
        return st == SP_ERR_NOTFOUND ? SP_OK : st;
    }
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(old, "type");
    const char *hex = str_of(old, "hex");
    if (!cJSON_IsNumber(type) || !hex)
        return SP_ERR_BADDATA;
    v.type = (sp_reg_type)type->valueint;
    if ((st = hex_decode(hex, &v)) != SP_OK) {
        sp_regval_free(&v);
        return st;
    }
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "reg_raw")))
        st = sys->ops->reg_set(sys, (sp_reg_view)view->valueint, key, value, &v);
    else if (reg_raw_ok(sys)) /* the bytes it held, as they were */
        st = sys->ops->reg_set_raw(sys, (sp_reg_view)view->valueint, key, value, &v);
    else
        st = sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "This backend cannot write registry values as stored.");
    sp_regval_free(&v);
    return st;
}

void sp_journal_restrict_undo(sp_journal *j)
{
    if (j)
        j->restricted = 1;
}

/* Refuses an entry no step can have made: SP_ERR_ACCESS, naming it and why. */
static sp_status check_allowed(sp_journal *j, const cJSON *e, sp_change_kind kind, int index)
{
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(e, "old");
    const cJSON *type = cJSON_IsObject(old) ? cJSON_GetObjectItemCaseSensitive(old, "type") : NULL;
    sp_undo_target it;
    char why[400];
    if (!j->restricted)
        return SP_OK;
    memset(&it, 0, sizeof it);
    it.kind = kind;
    it.step = str_of(e, "step");
    it.target = str_of(e, "target");
    it.backup = str_of(e, "backup");
    it.key = str_of(e, "key");
    it.value = str_of(e, "value");
    it.dn = str_of(e, "dn");
    it.attr = str_of(e, "attr");
    it.old_is_null = !old || cJSON_IsNull(old);
    it.old_type = cJSON_IsNumber(type) ? type->valueint : 0;
    it.old_text = cJSON_IsString(old) ? old->valuestring : NULL;
    if (sp_undo_allowed(j->dir, &it, why, sizeof why))
        return SP_OK;
    return sp_sys_fail(j->sys, SP_ERR_ACCESS,
                       "Journal entry %d was not undone: no step of SourcePrep makes that change (%s). "
                       "The journal may have been altered; check it before undoing anything by hand.",
                       index + 1, why);
}

static sp_status undo_ldap(sp_journal *j, const cJSON *e)
{
    const char *dn = str_of(e, "dn"), *attr = str_of(e, "attr");
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(e, "old");
    char *live = NULL, text[16];
    uint32_t cur = 0, v = 0;
    sp_ldap_conn *conn;
    sp_status st;
    if (!dn || !attr || !(cJSON_IsString(old) || cJSON_IsNull(old)))
        return SP_ERR_BADDATA;
    if ((st = ldap_open(j, e, &conn)) != SP_OK)
        return st;
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "gpo_version")))
        return j->sys->ops->ldap_replace(j->sys, conn, dn, attr,
                                         cJSON_IsString(old) ? old->valuestring : NULL);
    if ((st = ldap_read_value(j, conn, dn, attr, &live)) != SP_OK)
        return st;
    if (!parse_version(live, &cur))
        st = sp_sys_fail(j->sys, SP_ERR_BADDATA, "%s of %s is not a version number.", attr, dn);
    free(live);
    if (st == SP_OK && (st = gpo_raise(j, e, cur, &v)) == SP_OK) {
        snprintf(text, sizeof text, "%lu", (unsigned long)v);
        st = j->sys->ops->ldap_replace(j->sys, conn, dn, attr, text);
    }
    return st;
}

/* The digest of what the undo of a GPO entry writes, recorded before it writes it. */
static sp_status gpo_undo_digest(sp_journal *j, const cJSON *e, sp_change_kind kind, digest *out)
{
    sp_status st;
    if (kind == SP_CHANGE_FILE_WRITE) {
        unsigned char *data = NULL;
        size_t size = 0;
        if ((st = read_backup(j, e, 1, &data, &size)) == SP_OK &&
            (st = gptini_restored(j, e, &data, &size)) == SP_OK)
            digest_bytes(data, size, out);
        free(data);
        return st;
    }
    char *live = NULL, text[16];
    uint32_t cur = 0, v = 0;
    sp_ldap_conn *conn;
    if ((st = ldap_open(j, e, &conn)) != SP_OK ||
        (st = ldap_read_value(j, conn, str_of(e, "dn"), str_of(e, "attr"), &live)) != SP_OK)
        return st;
    st = parse_version(live, &cur) ? gpo_raise(j, e, cur, &v) : SP_ERR_BADDATA;
    free(live);
    if (st == SP_OK) {
        snprintf(text, sizeof text, "%lu", (unsigned long)v);
        digest_str(text, out);
    }
    return st;
}

static void say(sp_undo_item *it, sp_undo_outcome outcome, sp_status st, const char *why)
{
    it->outcome = outcome;
    it->status = st;
    sp_strlcpy(it->why, why ? why : "", sizeof it->why);
}

static int forced(const unsigned *force, size_t nforce, unsigned seq)
{
    for (size_t i = 0; i < nforce; i++)
        if (force[i] == seq)
            return 1;
    return 0;
}

/* Undoes one entry, checking first that its target still holds what the change wrote. */
static void undo_entry(sp_journal *j, cJSON *e, sp_change_kind kind, int force, sp_undo_item *it)
{
    sp_sys *sys = j->sys;
    digest dold, dnew, live, dundo;
    int checked = get_digest(e, "old_sha256", &dold) && get_digest(e, "new_sha256", &dnew);
    int intended = str_of(e, "state") && strcmp(str_of(e, "state"), "intended") == 0;
    int gpo = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "gpo_version"));
    sp_status st;

    sys->last_error[0] = '\0';
    if (checked) {
        if ((st = live_digest(j, e, kind, &live)) != SP_OK) {
            say(it, SP_UNDO_FAILED, st, sys->last_error[0] ? sys->last_error : sp_status_name(st));
            return;
        }
        if (intended && digest_equal(&live, &dold)) {
            drop_entry(j, e); /* the change never happened */
            say(it, SP_UNDO_DROPPED, SP_OK, NULL);
            return;
        }
        if (!digest_equal(&live, &dnew)) {
            if (digest_equal(&live, &dold) ||
                (get_digest(e, "undo_sha256", &dundo) && digest_equal(&live, &dundo))) {
                /* Already undone by a run that stopped before saying so. */
                set_item(e, "undone", cJSON_CreateBool(1));
                say(it, SP_UNDO_RESTORED, save(j), NULL);
                return;
            }
            if (!force) {
                say(it, SP_UNDO_CHANGED, SP_ERR_EXISTS, "changed since SourcePrep wrote it");
                return;
            }
        }
    }
    if (gpo) {
        /* What undo writes is not the old content: recorded first, so a rerun recognises it. */
        if ((st = gpo_undo_digest(j, e, kind, &dundo)) != SP_OK ||
            (put_digest(e, "undo_sha256", &dundo), st = save(j)) != SP_OK) {
            say(it, SP_UNDO_FAILED, st, sys->last_error[0] ? sys->last_error : sp_status_name(st));
            return;
        }
    }
    if (kind == SP_CHANGE_FILE_WRITE || kind == SP_CHANGE_FILE_REMOVE)
        st = undo_file(j, e, kind, checked);
    else if (kind == SP_CHANGE_LDAP_SET)
        st = undo_ldap(j, e);
    else
        st = undo_reg(sys, e);
    if (st == SP_OK) {
        set_item(e, "undone", cJSON_CreateBool(1));
        st = save(j);
    }
    if (st != SP_OK)
        say(it, SP_UNDO_FAILED, st, sys->last_error[0] ? sys->last_error : sp_status_name(st));
    else
        say(it, SP_UNDO_RESTORED, SP_OK, NULL);
}

void sp_undo_report_free(sp_undo_report *r)
{
    if (!r)
        return;
    free(r->items);
    memset(r, 0, sizeof *r);
}

/* last_error: which entries were not undone and why. */
static void summarise(sp_journal *j, const sp_undo_item *items, size_t count, size_t left)
{
    char *m = j->sys->last_error;
    size_t cap = sizeof j->sys->last_error, n;
    snprintf(m, cap, "%u change%s not undone:", (unsigned)left, left == 1 ? " was" : "s were");
    for (size_t i = 0; i < count; i++) {
        const sp_undo_item *it = &items[i];
        if (it->outcome != SP_UNDO_CHANGED && it->outcome != SP_UNDO_FAILED)
            continue;
        n = strlen(m);
        if (it->outcome == SP_UNDO_CHANGED)
            snprintf(m + n, cap - n, " #%u %s changed since SourcePrep wrote it (/undo:force=%u undoes it anyway);",
                     it->seq, it->target, it->seq);
        else
            snprintf(m + n, cap - n, " #%u %s: %s;", it->seq, it->target, it->why);
    }
}

sp_status sp_journal_undo_ex(sp_journal *j, const char *step, size_t keep, const unsigned *force,
                             size_t nforce, sp_undo_report *report)
{
    int n = cJSON_GetArraySize(j->entries);
    sp_undo_item *items = calloc((size_t)(n > 0 ? n : 1), sizeof *items);
    sp_undo_report r = {0};
    sp_status first = SP_OK;

    if (report)
        memset(report, 0, sizeof *report);
    if (!items)
        return SP_ERR_NOMEM;
    for (int i = n - 1; i >= (int)keep; i--) {
        cJSON *e = cJSON_GetArrayItem(j->entries, i);
        const cJSON *seq = cJSON_GetObjectItemCaseSensitive(e, "seq");
        sp_undo_item *it = &items[r.count];
        sp_change_kind kind;
        const char *target = str_of(e, "target");
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "undone")))
            continue;
        if (step && (!str_of(e, "step") || strcmp(str_of(e, "step"), step) != 0))
            continue;
        r.count++;
        it->seq = cJSON_IsNumber(seq) && seq->valuedouble >= 0 && seq->valuedouble < 1e9
                      ? (unsigned)seq->valuedouble : 0;
        sp_strlcpy(it->target, target ? target : "", sizeof it->target);
        if (!kind_from_name(str_of(e, "kind"), &kind) || !target)
            say(it, SP_UNDO_FAILED, SP_ERR_BADDATA, "the journal entry is damaged");
        else if (check_allowed(j, e, kind, i) != SP_OK)
            say(it, SP_UNDO_FAILED, SP_ERR_ACCESS, j->sys->last_error); /* not even when forced */
        else
            undo_entry(j, e, kind, forced(force, nforce, it->seq), it);
        if (it->outcome == SP_UNDO_RESTORED)
            r.restored++;
        else if (it->outcome == SP_UNDO_DROPPED)
            r.dropped++;
        else if (it->outcome == SP_UNDO_CHANGED)
            r.changed++;
        else {
            r.failed++;
            if (first == SP_OK)
                first = it->status;
        }
    }
    if (r.failed || r.changed)
        summarise(j, items, r.count, r.failed + r.changed);
    if (report) {
        r.items = items;
        *report = r;
    } else {
        free(items);
    }
    return r.failed ? first : r.changed ? SP_ERR_EXISTS : SP_OK;
}

sp_status sp_journal_undo(sp_journal *j, const char *step, size_t *undone)
{
    return sp_journal_undo_since(j, step, 0, undone);
}

sp_status sp_journal_undo_since(sp_journal *j, const char *step, size_t keep, size_t *undone)
{
    sp_undo_report r;
    sp_status st = sp_journal_undo_ex(j, step, keep, NULL, 0, &r);
    *undone = r.restored;
    sp_undo_report_free(&r);
    return st;
}

size_t sp_journal_count(const sp_journal *j)
{
    return (size_t)cJSON_GetArraySize(j->entries);
}

sp_status sp_journal_get(const sp_journal *j, size_t i, sp_change *out)
{
    const cJSON *e = cJSON_GetArrayItem(j->entries, (int)i);
    const cJSON *seq, *time;
    memset(out, 0, sizeof *out);
    if (!e)
        return SP_ERR_NOTFOUND;
    if (!kind_from_name(str_of(e, "kind"), &out->kind))
        return SP_ERR_BADDATA;
    seq = cJSON_GetObjectItemCaseSensitive(e, "seq");
    time = cJSON_GetObjectItemCaseSensitive(e, "time");
    out->seq = cJSON_IsNumber(seq) ? (unsigned)seq->valuedouble : 0;
    out->time = cJSON_IsNumber(time) ? (int64_t)time->valuedouble : 0;
    sp_strlcpy(out->step, str_of(e, "step") ? str_of(e, "step") : "", sizeof out->step);
    sp_strlcpy(out->target, str_of(e, "target") ? str_of(e, "target") : "", sizeof out->target);
    out->undone = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "undone"));
    out->intended = str_of(e, "state") && strcmp(str_of(e, "state"), "intended") == 0;
    return SP_OK;
}

int64_t sp_journal_last_change(const sp_journal *j)
{
    int64_t last = 0;
    sp_change c;
    for (size_t i = 0; i < sp_journal_count(j); i++)
        if (sp_journal_get(j, i, &c) == SP_OK && !c.undone && c.time > last)
            last = c.time;
    return last;
}
