/* Journal: every change recorded with a backup first; undo restores files and values byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"
#include "tests/unit/testutil.h"

static const char profile[] =
    "{\"os\": {\"major\": 5, \"minor\": 2, \"build\": 3790, \"product_type\": 2},"
    " \"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Rpc\\\\RpcProxy\": {"
    "   \"ValidPorts\": {\"sz\": \"SBS01:6001-6002;SBS01:6004\"}, \"Enabled\": {\"dword\": 1}}},"
    " \"files\": {\"C:\\\\data\\\\GptTmpl.inf\": \"[Privilege Rights]\\r\\nSeServiceLogonRight = *S-1-5-20\\r\\n\"}}";

#define DIR "C:\\ProgramData\\SourcePrep"
#define INF "C:\\data\\GptTmpl.inf"
#define RPC "HKLM\\SOFTWARE\\Microsoft\\Rpc\\RpcProxy"

typedef struct {
    testutil_world w; /* the sim alone: the journal needs no session */
    sp_journal *j;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    testutil_world_open_sim(&f->w, profile);
    f->w.sim->ops->dir_create(f->w.sim, DIR);
    if (sp_journal_open(f->w.sim, DIR, &f->j) != SP_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sp_journal_close(f->j);
    testutil_world_close(&f->w);
    free(f);
    return 0;
}

static char *read_sim(fixture *f, const char *path, size_t *n)
{
    unsigned char *d = NULL;
    if (f->w.sim->ops->file_read(f->w.sim, path, &d, n) != SP_OK)
        return NULL;
    return (char *)d;
}

static void file_write_should_be_undone_byte_for_byte(void **state)
{
    fixture *f = *state;
    size_t n0, n1;
    char *before = read_sim(f, INF, &n0), *after;
    size_t undone = 0;
    assert_non_null(before);
    assert_int_equal(sp_journal_file_write(f->j, "policy", INF, "[Privilege Rights]\r\n", 20), SP_OK);
    after = read_sim(f, INF, &n1);
    assert_int_equal(n1, 20);
    free(after);
    assert_int_equal(sp_journal_count(f->j), 1);
    assert_int_equal(sp_journal_undo(f->j, NULL, &undone), SP_OK);
    assert_int_equal(undone, 1);
    after = read_sim(f, INF, &n1);
    assert_int_equal(n1, n0);
    assert_memory_equal(after, before, n0);
    free(after);
    free(before);
}

static void file_created_by_a_change_should_be_removed_by_undo(void **state)
{
    fixture *f = *state;
    size_t undone;
    sp_filestat fs;
    assert_int_equal(sp_journal_file_write(f->j, "lob", "C:\\data\\new.csv", "a,b\n", 4), SP_OK);
    assert_int_equal(sp_journal_undo(f->j, NULL, &undone), SP_OK);
    assert_int_equal(f->w.sim->ops->file_stat(f->w.sim, "C:\\data\\new.csv", &fs), SP_OK);
    assert_false(fs.exists);
}

static void file_remove_should_move_the_file_into_backups_and_undo_should_bring_it_back(void **state)
{
    fixture *f = *state;
    size_t n0, n1, undone;
    char *before = read_sim(f, INF, &n0), *after;
    sp_filestat fs;
    assert_int_equal(sp_journal_file_remove(f->j, "policy", INF), SP_OK);
    assert_int_equal(f->w.sim->ops->file_stat(f->w.sim, INF, &fs), SP_OK);
    assert_false(fs.exists);
    assert_int_equal(f->w.sim->ops->file_stat(f->w.sim, DIR "\\backups\\0001.bak", &fs), SP_OK);
    assert_true(fs.exists);
    assert_int_equal(sp_journal_undo(f->j, "policy", &undone), SP_OK);
    after = read_sim(f, INF, &n1);
    assert_non_null(after);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
}

/* Issue 18 item 4: a file already under a backup's name (left by a run that stopped, made by
 * another instance, or planted) is never written over: the backup takes the next free name. */
static void a_backup_should_never_overwrite_a_file_under_its_name(void **state)
{
    fixture *f = *state;
    size_t n0, n, undone;
    char *before = read_sim(f, INF, &n0), *got;
    assert_int_equal(f->w.sim->ops->dir_create(f->w.sim, DIR "\\backups"), SP_OK);
    assert_int_equal(f->w.sim->ops->file_write_atomic(f->w.sim, DIR "\\backups\\0001.bak", "theirs", 6), SP_OK);
    assert_int_equal(sp_journal_file_write(f->j, "policy", INF, "ours", 4), SP_OK);
    got = read_sim(f, DIR "\\backups\\0001.bak", &n);
    assert_int_equal(n, 6);
    assert_memory_equal(got, "theirs", 6);
    free(got);
    got = read_sim(f, DIR "\\backups\\0001-1.bak", &n);
    assert_int_equal(n, n0);
    assert_memory_equal(got, before, n0);
    free(got);
    assert_int_equal(sp_journal_undo(f->j, NULL, &undone), SP_OK);
    got = read_sim(f, INF, &n);
    assert_int_equal(n, n0);
    assert_memory_equal(got, before, n0);
    free(got);
    free(before);
}

static void registry_changes_should_be_undone_to_the_exact_old_values(void **state)
{
    fixture *f = *state;
    sp_regval v = {0};
    char s[200];
    uint32_t dw = 0;
    size_t undone;
    sp_regval_set_sz(&v, "SBS01:6001-6002;SBS01:6004;remote.contoso.com:6001-6002;remote.contoso.com:6004");
    assert_int_equal(sp_journal_reg_set(f->j, "email", SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", &v), SP_OK);
    sp_regval_set_dword(&v, 7);
    assert_int_equal(sp_journal_reg_set(f->j, "email", SP_REG_VIEW_DEFAULT, RPC, "NewValue", &v), SP_OK);
    assert_int_equal(sp_journal_reg_delete(f->j, "email", SP_REG_VIEW_DEFAULT, RPC, "Enabled"), SP_OK);
    sp_regval_free(&v);
    assert_int_equal(sp_reg_get_dword(f->w.sim, SP_REG_VIEW_DEFAULT, RPC, "Enabled", &dw), SP_ERR_NOTFOUND);

    assert_int_equal(sp_journal_undo(f->j, NULL, &undone), SP_OK);
    assert_int_equal(undone, 3);
    assert_int_equal(sp_reg_get_string(f->w.sim, SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", s, sizeof s), SP_OK);
    assert_string_equal(s, "SBS01:6001-6002;SBS01:6004");
    assert_int_equal(sp_reg_get_dword(f->w.sim, SP_REG_VIEW_DEFAULT, RPC, "Enabled", &dw), SP_OK);
    assert_int_equal(dw, 1);
    assert_int_equal(sp_reg_get_dword(f->w.sim, SP_REG_VIEW_DEFAULT, RPC, "NewValue", &dw), SP_ERR_NOTFOUND);
}

static void undo_should_run_newest_first_and_only_once(void **state)
{
    fixture *f = *state;
    size_t n, undone;
    char *before = read_sim(f, INF, &n), *after;
    sp_journal_file_write(f->j, "policy", INF, "one", 3);
    sp_journal_file_write(f->j, "policy", INF, "two", 3);
    assert_int_equal(sp_journal_undo(f->j, NULL, &undone), SP_OK);
    assert_int_equal(undone, 2);
    after = read_sim(f, INF, &n);
    assert_memory_equal(after, before, n); /* the original, not "one" */
    free(after);
    assert_int_equal(sp_journal_undo(f->j, NULL, &undone), SP_OK);
    assert_int_equal(undone, 0);
    free(before);
}

static void undo_of_one_step_should_leave_other_steps_changes(void **state)
{
    fixture *f = *state;
    size_t undone, n;
    char *text;
    sp_journal_file_write(f->j, "lob", "C:\\data\\plan.csv", "plan", 4);
    sp_journal_file_write(f->j, "policy", INF, "x", 1);
    assert_int_equal(sp_journal_undo(f->j, "policy", &undone), SP_OK);
    assert_int_equal(undone, 1);
    text = read_sim(f, "C:\\data\\plan.csv", &n);
    assert_non_null(text);
    assert_memory_equal(text, "plan", 4);
    free(text);
}

static void journal_should_survive_a_reopen(void **state)
{
    fixture *f = *state;
    sp_journal *again = NULL;
    sp_change c;
    size_t undone;
    sp_journal_file_write(f->j, "policy", INF, "x", 1);
    assert_int_equal(sp_journal_open(f->w.sim, DIR, &again), SP_OK);
    assert_int_equal(sp_journal_count(again), 1);
    assert_int_equal(sp_journal_get(again, 0, &c), SP_OK);
    assert_int_equal(c.kind, SP_CHANGE_FILE_WRITE);
    assert_string_equal(c.step, "policy");
    assert_string_equal(c.target, INF);
    assert_false(c.undone);
    assert_true(sp_journal_last_change(again) > 0);
    assert_int_equal(sp_journal_undo(again, NULL, &undone), SP_OK);
    sp_journal_close(again);
    /* The undo was saved: a third look sees it done. */
    assert_int_equal(sp_journal_open(f->w.sim, DIR, &again), SP_OK);
    assert_int_equal(sp_journal_get(again, 0, &c), SP_OK);
    assert_true(c.undone);
    assert_int_equal(sp_journal_last_change(again), 0);
    sp_journal_close(again);
}

static void a_damaged_journal_should_be_refused_and_left_untouched(void **state)
{
    fixture *f = *state;
    sp_journal *j = NULL;
    size_t n;
    char *text;
    f->w.sim->ops->file_write_atomic(f->w.sim, DIR "\\journal.json", "[{\"seq\": 1,", 11);
    assert_int_equal(sp_journal_open(f->w.sim, DIR, &j), SP_ERR_BADDATA);
    assert_null(j);
    assert_non_null(strstr(f->w.sim->last_error, "damaged"));
    text = read_sim(f, DIR "\\journal.json", &n);
    assert_int_equal(n, 11);
    free(text);
}

static void a_change_that_failed_should_not_block_a_later_undo(void **state)
{
    fixture *f = *state;
    size_t undone = 0;
    sp_change c;
    /* Removing a file that vanished between the check and the apply fails after the record. */
    assert_int_equal(sp_journal_file_write(f->j, "policy", INF, "new", 3), SP_OK);
    assert_int_equal(sp_journal_file_write(f->j, "policy", "C:\\nosuchdir\\x\\y.inf", "z", 1),
                     SP_ERR_NOTFOUND);
    /* Nothing changed, so nothing is left to undo: the record is gone. */
    assert_int_equal(sp_journal_count(f->j), 1);
    assert_int_equal(sp_journal_get(f->j, 0, &c), SP_OK);
    assert_string_equal(c.target, INF);
    assert_int_equal(sp_journal_undo(f->j, NULL, &undone), SP_OK);
    assert_int_equal(undone, 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(a_backup_should_never_overwrite_a_file_under_its_name),
        T(file_write_should_be_undone_byte_for_byte),
        T(file_created_by_a_change_should_be_removed_by_undo),
        T(file_remove_should_move_the_file_into_backups_and_undo_should_bring_it_back),
        T(registry_changes_should_be_undone_to_the_exact_old_values),
        T(undo_should_run_newest_first_and_only_once),
        T(undo_of_one_step_should_leave_other_steps_changes),
        T(journal_should_survive_a_reopen),
        T(a_damaged_journal_should_be_refused_and_left_untouched),
        T(a_change_that_failed_should_not_block_a_later_undo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
