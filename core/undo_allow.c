/* The allow-list of undo: per step, the files, registry values and LDAP attributes it writes. */
#include "core/undo_allow.h"

#include <stdio.h>
#include <string.h>

#include "core/policy/policy_ad.h" /* SP_DDCP_GUID, SP_SBS_SCRIPT, sp_policy_names_sbs_script */
#include "core/updates/updates.h"  /* SP_UPDATES_RUNONCE_KEY, SP_UPDATES_RUNONCE_VALUE */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int same_text(const char *a, const char *b)
{
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return lower((unsigned char)*a) == lower((unsigned char)*b);
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && same_text(s + n - m, tail);
}

static int starts_with(const char *s, const char *head)
{
    size_t m = strlen(head);
    for (size_t i = 0; i < m; i++)
        if (!s[i] || lower((unsigned char)s[i]) != lower((unsigned char)head[i]))
            return 0;
    return 1;
}

/* A Windows path with no "." or ".." component and nothing odd in it. */
static int plain_path(const char *p)
{
    const char *c = p;
    if (!p || !*p || strchr(p, '/') || strstr(p, "\\\\?\\") == p || strstr(p, "\\\\.\\") == p)
        return 0;
    while (*c) {
        const char *end = strchr(c, '\\');
        size_t n = end ? (size_t)(end - c) : strlen(c);
        if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
            return 0;
        c += n;
        if (*c)
            c++;
    }
    return 1;
}

/* "<journal_dir>\backups\NNNN.bak" or "NNNN-M.bak" (a leftover NNNN.bak is never reused):
 * what backup_path makes. */
static int our_backup(const char *dir, const char *bak)
{
    char head[600];
    size_t n;
    snprintf(head, sizeof head, "%s\\backups\\", dir);
    n = strlen(head);
    if (!bak || !plain_path(bak) || !starts_with(bak, head) || !ends_with(bak, ".bak"))
        return 0;
    int dash = 0;
    for (const char *c = bak + n; c < bak + strlen(bak) - 4; c++) {
        if (*c == '-' && !dash && c > bak + n && c[1] != '.') {
            dash = 1;
            continue;
        }
        if (*c < '0' || *c > '9')
            return 0;
    }
    return strlen(bak) > n + 4;
}

static int is_number(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

static int fail(char *why, size_t whylen, const char *what, const char *detail)
{
    snprintf(why, whylen, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
    return 0;
}

static int policy_file(const sp_undo_target *it, char *why, size_t whylen)
{
    static const char gpt_tmpl[] = "\\Policies\\" SP_DDCP_GUID "\\MACHINE\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf";
    static const char gpt_ini[] = "\\Policies\\" SP_DDCP_GUID "\\GPT.INI";
    static const char script[] = "\\scripts\\" SP_SBS_SCRIPT;
    if (it->kind == SP_CHANGE_FILE_WRITE && (ends_with(it->target, gpt_tmpl) || ends_with(it->target, gpt_ini)))
        return 1;
    if (it->kind == SP_CHANGE_FILE_REMOVE && ends_with(it->target, script))
        return 1;
    return fail(why, whylen, "the policy step writes only GptTmpl.inf and GPT.INI of the Default Domain "
                "Controllers Policy and moves only " SP_SBS_SCRIPT, it->target);
}

static int policy_ldap(const sp_undo_target *it, char *why, size_t whylen)
{
    static const char gpo[] = "CN=" SP_DDCP_GUID ",CN=Policies,CN=System,";
    if (!it->attr || !it->dn)
        return fail(why, whylen, "an LDAP change without its entry or attribute", NULL);
    if (same_text(it->attr, "versionNumber") && starts_with(it->dn, gpo) && (it->old_is_null || is_number(it->old_text)))
        return 1;
    /* Only the logon script it cleared comes back: never another program for a user to run. */
    if (same_text(it->attr, "scriptPath") && !it->old_is_null && sp_policy_names_sbs_script(it->old_text))
        return 1;
    return fail(why, whylen, "the policy step changes only the policy's versionNumber and clears scriptPath "
                "values naming " SP_SBS_SCRIPT, it->dn);
}

typedef struct {
    const char *step, *key, *value;
} reg_target;

static const reg_target reg_targets[] = {
    {"updates", SP_UPDATES_RUNONCE_KEY, SP_UPDATES_RUNONCE_VALUE},
    {"timesync", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters", "Type"},
    /* the one-time correction's manual peer (issue 16) */
    {"timesync", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters", "NtpServer"},
    {"timesync", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config", "AnnounceFlags"},
    {"email", "HKLM\\SOFTWARE\\Microsoft\\Rpc\\RpcProxy", "ValidPorts"},
};

static int registry(const sp_undo_target *it, char *why, size_t whylen)
{
    for (size_t i = 0; i < sizeof reg_targets / sizeof reg_targets[0]; i++) {
        const reg_target *r = &reg_targets[i];
        if (strcmp(it->step, r->step) != 0 || !it->key || !it->value || !same_text(it->key, r->key) ||
            !same_text(it->value, r->value))
            continue;
        /* RunOnce starts what it names at the next logon: only ever removed by undo. */
        if (strcmp(r->step, "updates") == 0 && !it->old_is_null)
            return fail(why, whylen, "undo never puts a program back into RunOnce", it->target);
        return 1;
    }
    return fail(why, whylen, "no step of SourcePrep writes this registry value", it->target);
}

int sp_undo_allowed(const char *journal_dir, const sp_undo_target *it, char *why, size_t whylen)
{
    if (why && whylen)
        why[0] = '\0';
    if (!it->step || !it->target)
        return fail(why, whylen, "an entry without its step or target", NULL);
    switch (it->kind) {
    case SP_CHANGE_FILE_WRITE:
    case SP_CHANGE_FILE_REMOVE:
        if (!plain_path(it->target))
            return fail(why, whylen, "not a plain path", it->target);
        if ((it->backup || it->kind == SP_CHANGE_FILE_REMOVE) && !our_backup(journal_dir, it->backup))
            return fail(why, whylen, "its backup is not one of SourcePrep's backups",
                        it->backup ? it->backup : "(none)");
        if (strcmp(it->step, "policy") == 0)
            return policy_file(it, why, whylen);
        return fail(why, whylen, "no step of SourcePrep writes this file", it->target);
    case SP_CHANGE_REG_SET:
    case SP_CHANGE_REG_DELETE:
        return registry(it, why, whylen);
    case SP_CHANGE_LDAP_SET:
        if (strcmp(it->step, "policy") == 0)
            return policy_ldap(it, why, whylen);
        return fail(why, whylen, "no step of SourcePrep changes this LDAP attribute", it->target);
    }
    return fail(why, whylen, "an unknown kind of change", it->target);
}
