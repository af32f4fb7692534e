/* The change journal: write-ahead records with backups, persisted atomically, undone newest first. */
#include "core/journal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/undo_allow.h"

struct sp_journal {
    sp_sys *sys;
    char dir[400];
    char path[480];
    cJSON *entries; /* array, oldest first */
    unsigned next_seq;
    char *ldap_host, *ldap_user, *ldap_password; /* where LDAP changes go; NULL: here */
    unsigned ldap_port;
    sp_ldap_conn *ldap; /* opened on the first LDAP change or undo */
    int restricted;     /* undo follows core/undo_allow.c (sp_journal_restrict_undo) */
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
    if (j->ldap && j->sys->ops->ldap_close)
        j->sys->ops->ldap_close(j->sys, j->ldap);
    j->ldap = NULL;
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

/* Forgets the newest entry when the change it announced did not happen: nothing is left to
 * undo, and an undo would fail for the same reason and stop a rollback. Keeps last_error. */
static void drop_last_entry(sp_journal *j)
{
    char why[sizeof j->sys->last_error];
    memcpy(why, j->sys->last_error, sizeof why);
    cJSON_Delete(cJSON_DetachItemFromArray(j->entries, cJSON_GetArraySize(j->entries) - 1));
    save(j);
    memcpy(j->sys->last_error, why, sizeof why);
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
    return e;
}

static sp_status commit_entry(sp_journal *j, cJSON *e)
{
    sp_status st;
    cJSON_AddItemToArray(j->entries, e);
    st = save(j);
    if (st != SP_OK) {
        /* Not recorded means not allowed to change anything. */
        cJSON_Delete(cJSON_DetachItemFromArray(j->entries, cJSON_GetArraySize(j->entries) - 1));
        return st;
    }
    j->next_seq++;
    return SP_OK;
}

static sp_status backup_path(sp_journal *j, char *out, size_t outlen)
{
    char dir[440];
    sp_status st;
    snprintf(dir, sizeof dir, "%s\\backups", j->dir);
    st = j->sys->ops->dir_create(j->sys, dir);
    if (st != SP_OK)
        return st;
    snprintf(out, outlen, "%s\\%04u.bak", dir, j->next_seq);
    return SP_OK;
}

sp_status sp_journal_file_write(sp_journal *j, const char *step, const char *path,
                                const void *data, size_t size)
{
    sp_sys *sys = j->sys;
    unsigned char *old = NULL;
    size_t oldsize = 0;
    char bak[480];
    cJSON *e = NULL;
    sp_status st = sys->ops->file_read(sys, path, &old, &oldsize);

    if (st != SP_OK && st != SP_ERR_NOTFOUND)
        return st;
    e = new_entry(j, SP_CHANGE_FILE_WRITE, step, path);
    if (!e) {
        st = SP_ERR_NOMEM;
        goto done;
    }
    if (st == SP_OK) {
        if ((st = backup_path(j, bak, sizeof bak)) != SP_OK ||
            (st = sys->ops->file_write_atomic(sys, bak, old, oldsize)) != SP_OK)
            goto done;
        cJSON_AddStringToObject(e, "backup", bak);
    } else {
        cJSON_AddNullToObject(e, "backup"); /* the file did not exist: undo deletes it */
    }
    st = commit_entry(j, e);
    e = NULL;
    if (st == SP_OK && (st = sys->ops->file_write_atomic(sys, path, data, size)) != SP_OK)
        drop_last_entry(j); /* an atomic write that failed left the file as it was */
done:
    cJSON_Delete(e);
    free(old);
    return st;
}

sp_status sp_journal_file_remove(sp_journal *j, const char *step, const char *path)
{
    char bak[480];
    sp_filestat fs = {0};
    cJSON *e;
    sp_status st = j->sys->ops->file_stat(j->sys, path, &fs);
    if (st != SP_OK)
        return st;
    if (!fs.exists)
        return SP_ERR_NOTFOUND;
    if ((st = backup_path(j, bak, sizeof bak)) != SP_OK)
        return st;
    if (!(e = new_entry(j, SP_CHANGE_FILE_REMOVE, step, path)))
        return SP_ERR_NOMEM;
    cJSON_AddStringToObject(e, "backup", bak);
    if ((st = commit_entry(j, e)) != SP_OK)
        return st;
    /* Moved, never deleted: the backup is the file itself. */
    if ((st = j->sys->ops->file_move(j->sys, path, bak)) != SP_OK)
        drop_last_entry(j); /* nothing moved: nothing to undo */
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

static sp_status journal_reg(sp_journal *j, sp_change_kind kind, const char *step,
                             sp_reg_view view, const char *key, const char *value,
                             const sp_regval *val)
{
    sp_sys *sys = j->sys;
    sp_regval old = {0};
    char target[512];
    cJSON *e, *o;
    sp_status st = sys->ops->reg_get(sys, view, key, value, &old);

    if (st != SP_OK && st != SP_ERR_NOTFOUND)
        return st;
    snprintf(target, sizeof target, "%s\\%s", key, value);
    if (!(e = new_entry(j, kind, step, target))) {
        sp_regval_free(&old);
        return SP_ERR_NOMEM;
    }
    cJSON_AddNumberToObject(e, "view", view);
    cJSON_AddStringToObject(e, "key", key);
    cJSON_AddStringToObject(e, "value", value);
    if (st == SP_OK) {
        char *hex = hex_encode(old.data, old.size);
        o = cJSON_AddObjectToObject(e, "old");
        cJSON_AddNumberToObject(o, "type", old.type);
        cJSON_AddStringToObject(o, "hex", hex ? hex : "");
        free(hex);
    } else {
        cJSON_AddNullToObject(e, "old");
    }
    sp_regval_free(&old);
    if ((st = commit_entry(j, e)) != SP_OK)
        return st;
    if (kind == SP_CHANGE_REG_SET)
        st = sys->ops->reg_set(sys, view, key, value, val);
    else if ((st = sys->ops->reg_delete_value(sys, view, key, value)) == SP_ERR_NOTFOUND)
        st = SP_OK;
    if (st != SP_OK)
        drop_last_entry(j); /* the value is as it was */
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

static const char *str_of(const cJSON *e, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
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

static sp_status ldap_open(sp_journal *j)
{
    sp_ldap_target t = {j->ldap_host, j->ldap_port, j->ldap_user, j->ldap_password};
    if (j->ldap)
        return SP_OK;
    if (!j->sys->ops->ldap_connect)
        return sp_sys_fail(j->sys, SP_ERR_UNSUPPORTED, "This backend has no LDAP client.");
    return j->sys->ops->ldap_connect(j->sys, &t, &j->ldap);
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
        if (!(o->value = dup_or_null(attrs[i].values[0])) && attrs[i].values[0][0])
            o->st = SP_ERR_NOMEM;
    }
    return 1;
}

/* The attribute's one value now: *value NULL when it is absent or empty. */
static sp_status ldap_read_value(sp_journal *j, const char *dn, const char *attr, char **value)
{
    const char *attrs[2] = {attr, NULL};
    ldap_old o = {attr, NULL, 0, 0, SP_OK};
    sp_status st = j->sys->ops->ldap_search(j->sys, j->ldap, dn, 0, "(objectClass=*)", attrs,
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

/* A modify without an answer in time may or may not have been made (issue 18): the value is
 * read back. Made: the entry stays and it is SP_OK. Not made: the entry goes. Unknown (the read
 * fails too): the entry stays, so that undo puts the old value back either way. */
static sp_status ldap_after_timeout(sp_journal *j, const char *dn, const char *attr, const char *value)
{
    char why[sizeof j->sys->last_error], *now = NULL;
    sp_status st;
    memcpy(why, j->sys->last_error, sizeof why);
    st = ldap_read_value(j, dn, attr, &now);
    if (st == SP_OK && ((!now && (!value || !*value)) || (now && value && strcmp(now, value) == 0))) {
        free(now);
        return SP_OK;
    }
    free(now);
    if (st == SP_OK) {
        drop_last_entry(j); /* keeps last_error: the timeout */
        memcpy(j->sys->last_error, why, sizeof why);
    } else {
        sp_sys_fail(j->sys, SP_ERR_TIMEOUT, "%.150s; reading %.60s back failed too, so the journal keeps the change to undo.",
                    why, attr);
    }
    return SP_ERR_TIMEOUT;
}

sp_status sp_journal_ldap_replace(sp_journal *j, const char *step, const char *dn,
                                  const char *attr, const char *value)
{
    char target[512], *old = NULL;
    cJSON *e;
    sp_status st;
    if ((st = ldap_open(j)) != SP_OK || (st = ldap_read_value(j, dn, attr, &old)) != SP_OK)
        return st;
    snprintf(target, sizeof target, "%s\\%s", dn, attr);
    if (!(e = new_entry(j, SP_CHANGE_LDAP_SET, step, target))) {
        free(old);
        return SP_ERR_NOMEM;
    }
    cJSON_AddStringToObject(e, "dn", dn);
    cJSON_AddStringToObject(e, "attr", attr);
    if (j->ldap_host)
        cJSON_AddStringToObject(e, "server", j->ldap_host);
    if (old)
        cJSON_AddStringToObject(e, "old", old);
    else
        cJSON_AddNullToObject(e, "old"); /* absent: undo removes it */
    free(old);
    if ((st = commit_entry(j, e)) != SP_OK)
        return st;
    st = j->sys->ops->ldap_replace(j->sys, j->ldap, dn, attr, value);
    if (st == SP_ERR_TIMEOUT)
        return ldap_after_timeout(j, dn, attr, value);
    if (st != SP_OK)
        drop_last_entry(j); /* one LDAP modify is all or nothing */
    return st;
}

static sp_status undo_ldap(sp_journal *j, const cJSON *e)
{
    const char *dn = str_of(e, "dn"), *attr = str_of(e, "attr");
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(e, "old");
    sp_status st;
    if (!dn || !attr || !(cJSON_IsString(old) || cJSON_IsNull(old)))
        return SP_ERR_BADDATA;
    if ((st = ldap_open(j)) != SP_OK)
        return st;
    return j->sys->ops->ldap_replace(j->sys, j->ldap, dn, attr,
                                     cJSON_IsString(old) ? old->valuestring : NULL);
}

static sp_status undo_file(sp_sys *sys, sp_change_kind kind, const char *target, const char *bak)
{
    unsigned char *data = NULL;
    size_t size = 0;
    sp_status st;
    if (kind == SP_CHANGE_FILE_REMOVE) {
        if (!bak)
            return SP_ERR_BADDATA;
        return sys->ops->file_move(sys, bak, target);
    }
    if (!bak) {
        st = sys->ops->file_delete(sys, target);
        return st == SP_ERR_NOTFOUND ? SP_OK : st;
    }
    if ((st = sys->ops->file_read(sys, bak, &data, &size)) != SP_OK)
        return st;
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
    if ((st = hex_decode(hex, &v)) == SP_OK)
        st = sys->ops->reg_set(sys, (sp_reg_view)view->valueint, key, value, &v);
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
    sp_undo_item it;
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

sp_status sp_journal_undo(sp_journal *j, const char *step, size_t *undone)
{
    return sp_journal_undo_since(j, step, 0, undone);
}

sp_status sp_journal_undo_since(sp_journal *j, const char *step, size_t keep, size_t *undone)
{
    int n = cJSON_GetArraySize(j->entries);
    sp_status st = SP_OK;
    *undone = 0;
    for (int i = n - 1; i >= (int)keep; i--) {
        cJSON *e = cJSON_GetArrayItem(j->entries, i);
        sp_change_kind kind;
        const char *target = str_of(e, "target");
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "undone")))
            continue;
        if (step && (!str_of(e, "step") || strcmp(str_of(e, "step"), step) != 0))
            continue;
        if (!kind_from_name(str_of(e, "kind"), &kind) || !target)
            return sp_sys_fail(j->sys, SP_ERR_BADDATA, "Journal entry %d is damaged.", i + 1);
        if ((st = check_allowed(j, e, kind, i)) != SP_OK)
            return st;
        if (kind == SP_CHANGE_FILE_WRITE || kind == SP_CHANGE_FILE_REMOVE)
            st = undo_file(j->sys, kind, target, str_of(e, "backup"));
        else if (kind == SP_CHANGE_LDAP_SET)
            st = undo_ldap(j, e);
        else
            st = undo_reg(j->sys, e);
        if (st != SP_OK)
            return st;
        cJSON_ReplaceItemInObjectCaseSensitive(e, "undone", cJSON_CreateBool(1));
        if ((st = save(j)) != SP_OK)
            return st;
        (*undone)++;
    }
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
