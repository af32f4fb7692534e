/* Undo that checks first (issue 18 item 3) and survives a crash anywhere (item 5): outside edits
 * are reported and left, GPO versions are raised past the live one, and a fault after any write
 * of any change kind, or of its undo, leaves a journal that a restart undoes with every byte back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/sha256.h"
#include "core/cmdline.h"
#include "core/msgids.h"
#include "core/journal.h"
#include "core/policy/gptinf.h"
#include "core/sys/sim/sim.h"
#include "tests/unit/testutil.h"

#define DIR "C:\\ProgramData\\SourcePrep"
#define INF "C:\\data\\GptTmpl.inf"
#define INI "C:\\data\\GPT.INI"
#define NEWF "C:\\data\\new.txt"
#define RPC "HKLM\\SOFTWARE\\Microsoft\\Rpc\\RpcProxy"
#define USER_DN "CN=Ann,CN=Users,DC=contoso,DC=local"
#define GPO_DN "CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=contoso,DC=local"

static const char profile[] =
    "{\"os\": {\"major\": 5, \"minor\": 2, \"build\": 3790, \"product_type\": 2},"
    " \"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Rpc\\\\RpcProxy\": {"
    "   \"ValidPorts\": {\"sz\": \"SBS01:6001-6002;SBS01:6004\"}, \"Enabled\": {\"dword\": 1}}},"
    " \"files\": {\"C:\\\\data\\\\GptTmpl.inf\": \"[Privilege Rights]\\r\\nSeServiceLogonRight = *S-1-5-20\\r\\n\","
    "   \"C:\\\\data\\\\GPT.INI\": \"[General]\\r\\nVersion=65538\\r\\ndisplayName=New Group Policy Object\\r\\n\"},"
    " \"ldap\": {\"entries\": {\"\": {\"defaultNamingContext\": \"DC=contoso,DC=local\"},"
    "   \"" USER_DN "\": {\"scriptPath\": \"SBS_LOGIN_SCRIPT.bat\", \"description\": \"x\"},"
    "   \"" GPO_DN "\": {\"versionNumber\": \"65538\"}}}}";

typedef struct {
    testutil_world w;
    sp_journal *j;
} fixture;

static void open_world(fixture *f)
{
    memset(f, 0, sizeof *f);
    testutil_world_open_sim(&f->w, profile);
    assert_int_equal(f->w.sim->ops->dir_create(f->w.sim, DIR), SP_OK);
    assert_int_equal(sp_journal_open(f->w.sim, DIR, &f->j), SP_OK);
}

static void close_world(fixture *f)
{
    sp_journal_close(f->j);
    testutil_world_close(&f->w);
}

/* A restart: the process's memory is gone, the server's state stays. */
static void restart(fixture *f)
{
    sp_journal_close(f->j);
    f->j = NULL;
    sp_sim_fault_set(f->w.sim, 0, SP_SIM_FAULT_NONE);
    assert_int_equal(sp_journal_open(f->w.sim, DIR, &f->j), SP_OK);
}

static int setup(void **state)
{
    fixture *f = malloc(sizeof *f);
    open_world(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    close_world(*state);
    free(*state);
    return 0;
}

static char *read_sim(sp_sys *sim, const char *path, size_t *n)
{
    unsigned char *d = NULL;
    if (sim->ops->file_read(sim, path, &d, n) != SP_OK)
        return NULL;
    return (char *)d;
}

/* Asserts that the sim's file at path holds the n bytes of want. */
static void assert_sim_file(sp_sys *sim, const char *path, const void *want, size_t n)
{
    size_t got_n = 0;
    char *got = read_sim(sim, path, &got_n);
    assert_non_null(got);
    assert_int_equal(got_n, n);
    assert_memory_equal(got, want, n);
    free(got);
}

/* The attribute's value on the sim's directory (heap), NULL when absent. */
static char *ldap_value(sp_sys *sim, const char *dn, const char *attr)
{
    return testutil_ldap_value(sim, NULL, dn, attr);
}

static void ldap_set(sp_sys *sim, const char *dn, const char *attr, const char *value)
{
    sp_ldap_target t = {0};
    sp_ldap_conn *c = NULL;
    assert_int_equal(sim->ops->ldap_connect(sim, &t, &c), SP_OK);
    assert_int_equal(sim->ops->ldap_replace(sim, c, dn, attr, value), SP_OK);
    sim->ops->ldap_close(sim, c);
}

static void add_hash(char *out, size_t cap, const char *label, const void *d, size_t n, int present)
{
    char hex[65] = "absent";
    if (present) {
        sp_sha256 c;
        unsigned char dg[32];
        sp_sha256_init(&c);
        sp_sha256_update(&c, d, n);
        sp_sha256_final(&c, dg);
        sp_sha256_hex(dg, hex);
    }
    snprintf(out + strlen(out), cap - strlen(out), "%s=%s\n", label, hex);
}

/* Every target a change below can touch, as one text: equal texts, equal bytes. */
static void snapshot(sp_sys *sim, char *out, size_t cap)
{
    static const char *const files[] = {INF, INI, NEWF};
    static const char *const values[] = {"ValidPorts", "Enabled", "NewValue"};
    out[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        size_t n = 0;
        char *d = read_sim(sim, files[i], &n);
        add_hash(out, cap, files[i], d, n, d != NULL);
        free(d);
    }
    for (size_t i = 0; i < 3; i++) {
        sp_regval v = {0};
        sp_status st = sim->ops->reg_get(sim, SP_REG_VIEW_DEFAULT, RPC, values[i], &v);
        unsigned char *buf = malloc(v.size + 4);
        memcpy(buf, &v.type, 4);
        if (v.size)
            memcpy(buf + 4, v.data, v.size);
        add_hash(out, cap, values[i], buf, v.size + 4, st == SP_OK);
        free(buf);
        sp_regval_free(&v);
    }
    char *a = ldap_value(sim, USER_DN, "scriptPath"), *b = ldap_value(sim, USER_DN, "description");
    char *c = ldap_value(sim, GPO_DN, "versionNumber");
    snprintf(out + strlen(out), cap - strlen(out), "scriptPath=%s\ndescription=%s\nversionNumber=%s\n",
             a ? a : "(absent)", b ? b : "(absent)", c ? c : "(absent)");
    free(a);
    free(b);
    free(c);
}

/* ---- The change kinds ------------------------------------------------------------------------ */

enum { K_FILE_REPLACE, K_FILE_CREATE, K_FILE_REMOVE, K_REG_REPLACE, K_REG_CREATE, K_REG_DELETE,
       K_LDAP_REPLACE, K_LDAP_REMOVE, K_COUNT };
static const char *const kind_label[K_COUNT] = {"file_write (replace)", "file_write (create)",
    "file_remove", "reg_set (replace)", "reg_set (create)", "reg_delete", "ldap_set (replace)",
    "ldap_set (remove)"};

static sp_status make_change(sp_journal *j, int kind)
{
    sp_regval v = {0};
    sp_status st;
    switch (kind) {
    case K_FILE_REPLACE: return sp_journal_file_write(j, "policy", INF, "[Privilege Rights]\r\n", 20);
    case K_FILE_CREATE: return sp_journal_file_write(j, "lob", NEWF, "a,b\n", 4);
    case K_FILE_REMOVE: return sp_journal_file_remove(j, "policy", INF);
    case K_REG_REPLACE:
        sp_regval_set_sz(&v, "SBS01:6001-6002;SBS01:6004;remote.contoso.com:6001-6002");
        st = sp_journal_reg_set(j, "email", SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", &v);
        sp_regval_free(&v);
        return st;
    case K_REG_CREATE:
        sp_regval_set_dword(&v, 7);
        st = sp_journal_reg_set(j, "email", SP_REG_VIEW_DEFAULT, RPC, "NewValue", &v);
        sp_regval_free(&v);
        return st;
    case K_REG_DELETE: return sp_journal_reg_delete(j, "email", SP_REG_VIEW_DEFAULT, RPC, "Enabled");
    case K_LDAP_REPLACE: return sp_journal_ldap_replace(j, "policy", USER_DN, "description", "y");
    default: return sp_journal_ldap_replace(j, "policy", USER_DN, "scriptPath", NULL);
    }
}

/* Undo after the restart: clean, complete, and nothing left for a second one. */
static void undo_cleanly(fixture *f, const char *before, const char *what)
{
    char after[2048];
    sp_undo_report r;
    sp_status st = sp_journal_undo_ex(f->j, NULL, 0, NULL, 0, &r);
    if (st != SP_OK || r.changed || r.failed)
        fail_msg("%s: undo after the restart gave %s (%s)", what, sp_status_name(st), f->w.sim->last_error);
    sp_undo_report_free(&r);
    snapshot(f->w.sim, after, sizeof after);
    if (strcmp(before, after) != 0)
        fail_msg("%s: not every byte is back:\nbefore:\n%safter:\n%s", what, before, after);
    for (size_t i = 0; i < sp_journal_count(f->j); i++) {
        sp_change c;
        assert_int_equal(sp_journal_get(f->j, i, &c), SP_OK);
        if (!c.undone)
            fail_msg("%s: entry %u is still pending after the undo", what, c.seq);
    }
    assert_int_equal(sp_journal_undo_ex(f->j, NULL, 0, NULL, 0, &r), SP_OK);
    assert_int_equal(r.restored + r.dropped + r.changed + r.failed, 0);
    sp_undo_report_free(&r);
}

/* How many writes a clean run of the change (undo: 0) or of its undo (1) makes. */
static unsigned count_writes(int kind, int of_undo)
{
    fixture f;
    size_t n;
    unsigned w;
    open_world(&f);
    sp_sim_fault_set(f.w.sim, 0, SP_SIM_FAULT_NONE);
    assert_int_equal(make_change(f.j, kind), SP_OK);
    w = sp_sim_fault_writes(f.w.sim);
    if (of_undo) {
        sp_sim_fault_set(f.w.sim, 0, SP_SIM_FAULT_NONE);
        assert_int_equal(sp_journal_undo(f.j, NULL, &n), SP_OK);
        w = sp_sim_fault_writes(f.w.sim);
    }
    close_world(&f);
    return w;
}

static void a_fault_after_any_write_of_any_change_should_leave_an_undo_that_restores_every_byte(void **state)
{
    static const sp_sim_fault_mode modes[2] = {SP_SIM_FAULT_FAIL, SP_SIM_FAULT_KILL};
    char before[2048], what[160];
    unsigned cases = 0;
    (void)state;
    for (int k = 0; k < K_COUNT; k++) {
        unsigned writes = count_writes(k, 0), undo_writes = count_writes(k, 1);
        /* Backup (files that exist), journal "intended", the change, journal "done". */
        assert_true(writes >= 3);
        assert_true(undo_writes >= 2); /* the restore and the journal saying so */
        for (int m = 0; m < 2; m++) {
            for (unsigned at = 1; at <= writes + undo_writes; at++) {
                fixture f;
                int in_undo = at > writes;
                size_t n;
                snprintf(what, sizeof what, "%s, %s at write %u of the %s", kind_label[k],
                         m ? "killed" : "failed", in_undo ? at - writes : at, in_undo ? "undo" : "change");
                open_world(&f);
                snapshot(f.w.sim, before, sizeof before);
                if (!in_undo) {
                    sp_sim_fault_set(f.w.sim, at, modes[m]);
                    (void)make_change(f.j, k);
                } else {
                    assert_int_equal(make_change(f.j, k), SP_OK);
                    sp_sim_fault_set(f.w.sim, at - writes, modes[m]);
                    (void)sp_journal_undo(f.j, NULL, &n);
                }
                if (m == 1 && !sp_sim_fault_killed(f.w.sim))
                    fail_msg("%s: the kill did not strike", what);
                restart(&f);
                undo_cleanly(&f, before, what);
                close_world(&f);
                cases++;
            }
        }
    }
    print_message("crash matrix: %u cases over %d change kinds\n", cases, K_COUNT);
}

/* ---- Undo that checks first -------------------------------------------------------------------- */

static void an_outside_edit_should_be_reported_and_left_unless_forced(void **state)
{
    fixture *f = *state;
    size_t n0, n;
    char *orig = read_sim(f->w.sim, INF, &n0), *now;
    sp_undo_report r;
    unsigned force;
    assert_int_equal(sp_journal_file_write(f->j, "policy", INF, "ours", 4), SP_OK);
    /* GPMC edits the file afterwards. */
    assert_int_equal(f->w.sim->ops->file_write_atomic(f->w.sim, INF, "gpmc edit", 9), SP_OK);
    assert_int_equal(sp_journal_undo_ex(f->j, NULL, 0, NULL, 0, &r), SP_ERR_EXISTS);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.changed, 1);
    assert_int_equal(r.restored, 0);
    assert_int_equal(r.items[0].outcome, SP_UNDO_CHANGED);
    assert_string_equal(r.items[0].target, INF);
    force = r.items[0].seq;
    sp_undo_report_free(&r);
    assert_non_null(strstr(f->w.sim->last_error, "changed since SourcePrep wrote it"));
    assert_non_null(strstr(f->w.sim->last_error, INF));
    now = read_sim(f->w.sim, INF, &n);
    assert_int_equal(n, 9);
    assert_memory_equal(now, "gpmc edit", 9); /* left as GPMC made it */
    free(now);
    /* Forced, that one entry comes back. */
    assert_int_equal(sp_journal_undo_ex(f->j, NULL, 0, &force, 1, &r), SP_OK);
    assert_int_equal(r.restored, 1);
    sp_undo_report_free(&r);
    assert_sim_file(f->w.sim, INF, orig, n0);
    free(orig);
}

static void an_outside_registry_and_ldap_edit_should_be_left_and_older_changes_still_undone(void **state)
{
    fixture *f = *state;
    sp_regval v = {0};
    sp_undo_report r;
    char s[200], *desc;
    size_t n0;
    char *orig = read_sim(f->w.sim, INF, &n0);
    assert_int_equal(sp_journal_file_write(f->j, "email", INF, "ours", 4), SP_OK);
    sp_regval_set_sz(&v, "SBS01:6001-6002;SBS01:6004;remote:6001");
    assert_int_equal(sp_journal_reg_set(f->j, "email", SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", &v), SP_OK);
    assert_int_equal(sp_journal_ldap_replace(f->j, "email", USER_DN, "description", "ours"), SP_OK);
    /* Someone adds a port, and edits the description, after SourcePrep. */
    sp_regval_free(&v);
    sp_regval_set_sz(&v, "SBS01:6001-6002;SBS01:6004;remote:6001;other:6004");
    assert_int_equal(f->w.sim->ops->reg_set(f->w.sim, SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", &v), SP_OK);
    sp_regval_free(&v);
    ldap_set(f->w.sim, USER_DN, "description", "theirs");
    assert_int_equal(sp_journal_undo_ex(f->j, "email", 0, NULL, 0, &r), SP_ERR_EXISTS);
    assert_int_equal(r.changed, 2);
    assert_int_equal(r.restored, 1); /* the older file change, past the two that changed */
    sp_undo_report_free(&r);
    assert_int_equal(sp_reg_get_string(f->w.sim, SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", s, sizeof s), SP_OK);
    assert_string_equal(s, "SBS01:6001-6002;SBS01:6004;remote:6001;other:6004");
    desc = ldap_value(f->w.sim, USER_DN, "description");
    assert_string_equal(desc, "theirs");
    free(desc);
    assert_sim_file(f->w.sim, INF, orig, n0);
    free(orig);
}

static void undo_should_go_on_past_an_entry_that_fails_and_report_it(void **state)
{
    fixture *f = *state;
    sp_undo_report r;
    sp_filestat fs;
    size_t n0;
    char *orig = read_sim(f->w.sim, INF, &n0);
    assert_int_equal(sp_journal_file_write(f->j, "policy", INF, "ours", 4), SP_OK);
    assert_int_equal(sp_journal_file_remove(f->j, "policy", INI), SP_OK);
    /* The backup of the newer change is lost. */
    assert_int_equal(f->w.sim->ops->file_delete(f->w.sim, DIR "\\backups\\0002.bak"), SP_OK);
    assert_int_not_equal(sp_journal_undo_ex(f->j, NULL, 0, NULL, 0, &r), SP_OK);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.restored, 1);
    assert_int_equal(r.items[0].outcome, SP_UNDO_FAILED);
    assert_string_equal(r.items[0].target, INI);
    sp_undo_report_free(&r);
    assert_non_null(strstr(f->w.sim->last_error, INI));
    assert_sim_file(f->w.sim, INF, orig, n0);
    free(orig);
    assert_int_equal(f->w.sim->ops->file_stat(f->w.sim, INI, &fs), SP_OK);
    assert_false(fs.exists);
}

static void a_tampered_backup_should_not_be_written_back(void **state)
{
    fixture *f = *state;
    sp_undo_report r;
    assert_int_equal(sp_journal_file_write(f->j, "policy", INF, "ours", 4), SP_OK);
    assert_int_equal(f->w.sim->ops->file_write_atomic(f->w.sim, DIR "\\backups\\0001.bak", "evil", 4), SP_OK);
    assert_int_equal(sp_journal_undo_ex(f->j, NULL, 0, NULL, 0, &r), SP_ERR_BADDATA);
    assert_int_equal(r.failed, 1);
    sp_undo_report_free(&r);
    assert_non_null(strstr(f->w.sim->last_error, "SHA-256"));
    assert_sim_file(f->w.sim, INF, "ours", 4);
}

/* ---- GPO versions: GPMC's restore ------------------------------------------------------------- */

static uint32_t ini_version(fixture *f)
{
    size_t n;
    uint32_t v = 0;
    char *d = read_sim(f->w.sim, INI, &n);
    assert_non_null(d);
    assert_int_equal(sp_gptini_version((unsigned char *)d, n, &v), SP_OK);
    free(d);
    return v;
}

static uint32_t ad_version(fixture *f)
{
    char *s = ldap_value(f->w.sim, GPO_DN, "versionNumber");
    uint32_t v;
    assert_non_null(s);
    v = (uint32_t)strtoul(s, NULL, 10);
    free(s);
    return v;
}

/* The policy step's three writes: GptTmpl.inf, GPT.INI (computer half raised), versionNumber;
 * the step stops at the first that fails. */
static void gpo_change_unchecked(fixture *f)
{
    static const char ini[] = "[General]\r\nVersion=65539\r\ndisplayName=New Group Policy Object\r\n";
    if (sp_journal_file_write(f->j, "policy", INF, "[Privilege Rights]\r\n", 20) == SP_OK &&
        sp_journal_gptini_write(f->j, "policy", INI, ini, sizeof ini - 1) == SP_OK)
        (void)sp_journal_gpo_version_replace(f->j, "policy", GPO_DN, "65539");
}

/* The same, each of them made. */
static void gpo_change(fixture *f)
{
    size_t before = sp_journal_count(f->j);
    sp_change c;
    gpo_change_unchecked(f);
    assert_int_equal(sp_journal_count(f->j), before + 3);
    for (size_t i = before; i < before + 3; i++) {
        assert_int_equal(sp_journal_get(f->j, i, &c), SP_OK);
        assert_false(c.intended);
    }
}

static void undoing_a_gpo_should_raise_its_version_past_the_current_one(void **state)
{
    fixture *f = *state;
    size_t n, ni0, undone;
    char *inf0 = read_sim(f->w.sim, INF, &n), *ini0 = read_sim(f->w.sim, INI, &ni0), *now;
    unsigned char *want = NULL;
    size_t wn = 0;
    uint32_t before_undo;
    gpo_change(f);
    before_undo = ini_version(f);
    assert_int_equal(before_undo, 65539);
    assert_int_equal(ad_version(f), 65539);
    assert_int_equal(sp_journal_undo(f->j, "policy", &undone), SP_OK);
    assert_int_equal(undone, 3);
    /* Never lowered: past 65539, the user half (1) kept, the computer half raised. */
    assert_true(ini_version(f) > before_undo);
    assert_true(ad_version(f) > before_undo);
    assert_int_equal(ini_version(f), 65540);
    assert_int_equal(ad_version(f), 65540);
    assert_int_equal(ini_version(f) >> 16, 1);
    /* The old content otherwise: GPT.INI as it was with only Version= changed, GptTmpl.inf byte for byte. */
    assert_int_equal(sp_gptini_set_version((unsigned char *)ini0, ni0, 65540, &want, &wn), SP_OK);
    assert_sim_file(f->w.sim, INI, want, wn);
    now = read_sim(f->w.sim, INF, &n);
    assert_memory_equal(now, inf0, n);
    free(now);
    free(want);
    free(inf0);
    free(ini0);
}

static void a_gpo_edited_in_gpmc_since_should_be_left_and_forced_past_its_new_version(void **state)
{
    fixture *f = *state;
    static const char edited[] = "[General]\r\nVersion=131081\r\ndisplayName=New Group Policy Object\r\n";
    sp_undo_report r;
    unsigned force[3];
    gpo_change(f);
    /* GPMC edits both halves afterwards: user 2, computer 9. */
    assert_int_equal(f->w.sim->ops->file_write_atomic(f->w.sim, INI, edited, sizeof edited - 1), SP_OK);
    ldap_set(f->w.sim, GPO_DN, "versionNumber", "131081");
    assert_int_equal(sp_journal_undo_ex(f->j, "policy", 0, NULL, 0, &r), SP_ERR_EXISTS);
    assert_int_equal(r.changed, 2);
    assert_int_equal(r.restored, 1); /* GptTmpl.inf, untouched since */
    for (size_t i = 0; i < r.count; i++)
        force[i] = r.items[i].seq;
    sp_undo_report_free(&r);
    assert_int_equal(ini_version(f), 131081);
    assert_int_equal(ad_version(f), 131081);
    assert_int_equal(sp_journal_undo_ex(f->j, "policy", 0, force, 3, &r), SP_OK);
    assert_int_equal(r.restored, 2);
    sp_undo_report_free(&r);
    /* Past the live version, each half on its own: user 2 kept, computer 9 -> 10. */
    assert_int_equal(ini_version(f), 131082);
    assert_int_equal(ad_version(f), 131082);
}

static void a_crash_in_a_gpo_undo_should_not_raise_the_version_twice(void **state)
{
    fixture *f = *state;
    size_t undone;
    gpo_change(f);
    /* Killed right after versionNumber was raised (journal update, then the replace). */
    sp_sim_fault_set(f->w.sim, 2, SP_SIM_FAULT_KILL);
    (void)sp_journal_undo(f->j, "policy", &undone);
    assert_true(sp_sim_fault_killed(f->w.sim));
    assert_int_equal(ad_version(f), 65540);
    restart(f);
    assert_int_equal(sp_journal_undo(f->j, "policy", &undone), SP_OK);
    assert_int_equal(ad_version(f), 65540); /* recognised as already undone */
    assert_int_equal(ini_version(f), 65540);
}

static void a_journal_of_an_earlier_version_should_still_undo(void **state)
{
    fixture *f = *state;
    static const char old[] =
        "[{\"seq\": 1, \"kind\": \"reg_set\", \"step\": \"email\", \"target\": \"x\", \"time\": 1,"
        " \"undone\": false, \"view\": 0, \"key\": \"" "HKLM\\\\SOFTWARE\\\\Microsoft\\\\Rpc\\\\RpcProxy"
        "\", \"value\": \"Enabled\", \"old\": {\"type\": 4, \"hex\": \"05000000\"}}]";
    size_t undone;
    uint32_t dw = 0;
    sp_journal_close(f->j);
    assert_int_equal(f->w.sim->ops->file_write_atomic(f->w.sim, DIR "\\journal.json", old, sizeof old - 1), SP_OK);
    assert_int_equal(sp_journal_open(f->w.sim, DIR, &f->j), SP_OK);
    assert_int_equal(sp_journal_undo(f->j, NULL, &undone), SP_OK);
    assert_int_equal(undone, 1);
    assert_int_equal(sp_reg_get_dword(f->w.sim, SP_REG_VIEW_DEFAULT, RPC, "Enabled", &dw), SP_OK);
    assert_int_equal(dw, 5);
}

/* The GPO's three writes under the same faults: GptTmpl.inf comes back byte for byte; GPT.INI and
 * versionNumber come back as they were when the fault left them unchanged, and otherwise as the
 * old content with the version raised once past the applied 65539: 65540, never lowered and never
 * raised twice by an undo that is run again. */
static void a_fault_anywhere_in_a_gpo_change_or_its_undo_should_never_lower_its_version(void **state)
{
    static const sp_sim_fault_mode modes[2] = {SP_SIM_FAULT_FAIL, SP_SIM_FAULT_KILL};
    unsigned writes, undo_writes, cases = 0;
    size_t n;
    fixture f;
    (void)state;
    open_world(&f);
    sp_sim_fault_set(f.w.sim, 0, SP_SIM_FAULT_NONE);
    gpo_change(&f);
    writes = sp_sim_fault_writes(f.w.sim);
    sp_sim_fault_set(f.w.sim, 0, SP_SIM_FAULT_NONE);
    assert_int_equal(sp_journal_undo(f.j, NULL, &n), SP_OK);
    undo_writes = sp_sim_fault_writes(f.w.sim);
    close_world(&f);
    assert_true(writes >= 11); /* three changes of about four writes each */
    for (int m = 0; m < 2; m++) {
        for (unsigned at = 1; at <= writes + undo_writes; at++) {
            size_t inf_n, ini_n;
            uint32_t ini_mid, ad_mid;
            open_world(&f);
            char *inf0 = read_sim(f.w.sim, INF, &inf_n), *ini0 = read_sim(f.w.sim, INI, &ini_n);
            if (at <= writes) {
                sp_sim_fault_set(f.w.sim, at, modes[m]);
                gpo_change_unchecked(&f);
            } else {
                gpo_change(&f);
                sp_sim_fault_set(f.w.sim, at - writes, modes[m]);
                (void)sp_journal_undo(f.j, NULL, &n);
            }
            ini_mid = ini_version(&f);
            ad_mid = ad_version(&f);
            restart(&f);
            if (sp_journal_undo(f.j, NULL, &n) != SP_OK)
                fail_msg("%s at write %u: undo after the restart: %s", m ? "killed" : "failed", at,
                         f.w.sim->last_error);
            assert_sim_file(f.w.sim, INF, inf0, inf_n);
            if (ini_mid == 65538) {
                assert_sim_file(f.w.sim, INI, ini0, ini_n);
            } else {
                unsigned char *want = NULL;
                size_t wn = 0;
                assert_int_equal(sp_gptini_set_version((unsigned char *)ini0, ini_n, 65540, &want, &wn), SP_OK);
                assert_sim_file(f.w.sim, INI, want, wn);
                free(want);
            }
            assert_int_equal(ad_version(&f), ad_mid == 65538 ? 65538 : 65540);
            free(inf0);
            free(ini0);
            close_world(&f);
            cases++;
        }
    }
    print_message("GPO crash matrix: %u cases\n", cases);
}

static void cmdline_should_take_the_entries_to_force(void **state)
{
    sp_cmdline cl;
    const char *ok[] = {"sourceprep", "/undo", "/yes", "/UNDO:force=3", "-undo:force=12"};
    const char *bad[][2] = {{"sourceprep", "/undo:force=x"}, {"sourceprep", "/undo:force=0"},
                            {"sourceprep", "/undo:force=3x"}, {"sourceprep", "/undo:force="}};
    (void)state;
    assert_int_equal(sp_cmdline_parse(5, ok, &cl), SP_OK);
    assert_true(cl.undo);
    assert_int_equal(cl.undo_force_count, 2);
    assert_int_equal(cl.undo_force[0], 3);
    assert_int_equal(cl.undo_force[1], 12);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(sp_cmdline_parse(2, bad[i], &cl), SP_ERR_INVALID);
        assert_int_equal(cl.error_id, IDS_CLI_UNDO_FORCE_BAD);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(an_outside_edit_should_be_reported_and_left_unless_forced),
        T(an_outside_registry_and_ldap_edit_should_be_left_and_older_changes_still_undone),
        T(undo_should_go_on_past_an_entry_that_fails_and_report_it),
        T(a_tampered_backup_should_not_be_written_back),
        T(undoing_a_gpo_should_raise_its_version_past_the_current_one),
        T(a_gpo_edited_in_gpmc_since_should_be_left_and_forced_past_its_new_version),
        T(a_crash_in_a_gpo_undo_should_not_raise_the_version_twice),
        T(a_journal_of_an_earlier_version_should_still_undo),
        cmocka_unit_test(cmdline_should_take_the_entries_to_force),
        cmocka_unit_test(a_fault_anywhere_in_a_gpo_change_or_its_undo_should_never_lower_its_version),
        cmocka_unit_test(a_fault_after_any_write_of_any_change_should_leave_an_undo_that_restores_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
