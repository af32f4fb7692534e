/* The crash matrix of issue 18 item 5 on real files: the posix backend's fault hook fails, or
 * "kills" the process after, each write of a file change and of its undo; a restart then undoes
 * with every byte of the host's files back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"
#include "core/sys/posix/posix.h"
#include "tests/unit/testutil.h"

static const char inf_text[] = "[Unicode]\r\nUnicode=yes\r\n[Privilege Rights]\r\nSeServiceLogonRight = *S-1-5-20\r\n";
static const char ini_text[] = "[General]\r\nVersion=65538\r\ndisplayName=New Group Policy Object\r\n";

typedef struct {
    char *root, *dir, *inf, *ini, *newf;
    sp_sys *sys;
    sp_journal *j;
} world;

static void open_world(world *w)
{
    memset(w, 0, sizeof *w);
    assert_non_null(w->root = testutil_make_temp_dir());
    w->dir = testutil_join(w->root, "data");
    w->inf = testutil_join(w->root, "GptTmpl.inf");
    w->ini = testutil_join(w->root, "GPT.INI");
    w->newf = testutil_join(w->root, "new.csv");
    assert_int_equal(testutil_write_file(w->inf, inf_text, sizeof inf_text - 1), 0);
    assert_int_equal(testutil_write_file(w->ini, ini_text, sizeof ini_text - 1), 0);
    assert_non_null(w->sys = sp_posix_open());
    assert_int_equal(w->sys->ops->dir_create(w->sys, w->dir), SP_OK);
    assert_int_equal(sp_journal_open(w->sys, w->dir, &w->j), SP_OK);
}

static void close_world(world *w)
{
    sp_journal_close(w->j);
    sp_sys_close(w->sys);
    testutil_remove_tree(w->root);
    free(w->root);
    free(w->dir);
    free(w->inf);
    free(w->ini);
    free(w->newf);
}

/* The three targets' bytes, or "absent", as one text. */
static void snapshot(const world *w, char *out, size_t cap)
{
    const char *paths[] = {w->inf, w->ini, w->newf};
    out[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        size_t n = 0;
        unsigned char *d = testutil_read_file(paths[i], &n);
        snprintf(out + strlen(out), cap - strlen(out), "%zu:%s|", d ? n : 0, d ? (char *)d : "absent");
        free(d);
    }
}

enum { K_REPLACE, K_CREATE, K_REMOVE, K_GPT_INI, K_COUNT };
static const char *const kind_label[K_COUNT] = {"file_write (replace)", "file_write (create)", "file_remove",
                                                "GPT.INI (version raised on undo)"};

static sp_status make_change(world *w, int kind)
{
    static const char ini_new[] = "[General]\r\nVersion=65539\r\ndisplayName=New Group Policy Object\r\n";
    switch (kind) {
    case K_REPLACE: return sp_journal_file_write(w->j, "policy", w->inf, "[Unicode]\r\nUnicode=yes\r\n", 24);
    case K_CREATE: return sp_journal_file_write(w->j, "lob", w->newf, "a,b\n", 4);
    case K_REMOVE: return sp_journal_file_remove(w->j, "policy", w->inf);
    default: return sp_journal_gptini_write(w->j, "policy", w->ini, ini_new, sizeof ini_new - 1);
    }
}

static unsigned count_writes(int kind, int of_undo)
{
    world w;
    size_t n;
    unsigned got;
    open_world(&w);
    sp_posix_fault_set(w.sys, 0, SP_FAULT_NONE);
    assert_int_equal(make_change(&w, kind), SP_OK);
    got = sp_posix_fault_writes(w.sys);
    if (of_undo) {
        sp_posix_fault_set(w.sys, 0, SP_FAULT_NONE);
        assert_int_equal(sp_journal_undo(w.j, NULL, &n), SP_OK);
        got = sp_posix_fault_writes(w.sys);
    }
    close_world(&w);
    return got;
}

static void a_fault_after_any_write_on_real_files_should_leave_an_undo_that_restores_every_byte(void **state)
{
    static const sp_fault_mode modes[2] = {SP_FAULT_FAIL, SP_FAULT_KILL};
    char before[1024], after[1024], what[160];
    unsigned cases = 0;
    (void)state;
    for (int k = 0; k < K_COUNT; k++) {
        unsigned writes = count_writes(k, 0), undo_writes = count_writes(k, 1);
        assert_true(writes >= 3);
        assert_true(undo_writes >= 1);
        for (int m = 0; m < 2; m++) {
            for (unsigned at = 1; at <= writes + undo_writes; at++) {
                world w;
                int in_undo = at > writes;
                size_t n;
                sp_undo_report r;
                snprintf(what, sizeof what, "%s, %s at write %u of the %s", kind_label[k], m ? "killed" : "failed",
                         in_undo ? at - writes : at, in_undo ? "undo" : "change");
                open_world(&w);
                snapshot(&w, before, sizeof before);
                if (!in_undo) {
                    sp_posix_fault_set(w.sys, at, modes[m]);
                    (void)make_change(&w, k);
                } else {
                    assert_int_equal(make_change(&w, k), SP_OK);
                    sp_posix_fault_set(w.sys, at - writes, modes[m]);
                    (void)sp_journal_undo(w.j, NULL, &n);
                }
                if (m == 1 && !sp_posix_fault_killed(w.sys))
                    fail_msg("%s: the kill did not strike", what);
                /* The restart: a new process reads the journal from the disk. */
                sp_journal_close(w.j);
                sp_posix_fault_set(w.sys, 0, SP_FAULT_NONE);
                assert_int_equal(sp_journal_open(w.sys, w.dir, &w.j), SP_OK);
                sp_status st = sp_journal_undo_ex(w.j, NULL, 0, NULL, 0, &r);
                if (st != SP_OK || r.changed || r.failed)
                    fail_msg("%s: undo after the restart gave %s (%s)", what, sp_status_name(st), w.sys->last_error);
                sp_undo_report_free(&r);
                snapshot(&w, after, sizeof after);
                if (k == K_GPT_INI && strcmp(before, after) != 0) {
                    /* Once changed, GPT.INI comes back with its version raised past 65539. */
                    size_t got_n = 0;
                    unsigned char *got = testutil_read_file(w.ini, &got_n);
                    assert_non_null(got);
                    if (!strstr((char *)got, "Version=65540\r\n") && !strstr((char *)got, "Version=65538\r\n"))
                        fail_msg("%s: GPT.INI came back as %s", what, (char *)got);
                    free(got);
                } else if (strcmp(before, after) != 0) {
                    fail_msg("%s: not every byte is back:\nbefore: %s\nafter:  %s", what, before, after);
                }
                close_world(&w);
                cases++;
            }
        }
    }
    print_message("posix crash matrix: %u cases over %d change kinds\n", cases, K_COUNT);
}

static void the_posix_hook_should_fail_only_the_write_it_names(void **state)
{
    world w;
    (void)state;
    open_world(&w);
    sp_posix_fault_set(w.sys, 2, SP_FAULT_FAIL);
    assert_int_equal(w.sys->ops->file_write_atomic(w.sys, w.newf, "1", 1), SP_OK);
    assert_int_equal(w.sys->ops->file_write_atomic(w.sys, w.newf, "2", 1), SP_ERR_IO);
    assert_non_null(strstr(w.sys->last_error, "fault injection"));
    assert_int_equal(w.sys->ops->file_write_atomic(w.sys, w.newf, "3", 1), SP_OK);
    sp_posix_fault_set(w.sys, 1, SP_FAULT_KILL);
    assert_int_equal(w.sys->ops->file_delete(w.sys, w.newf), SP_OK); /* made, then the process dies */
    assert_true(sp_posix_fault_killed(w.sys));
    assert_int_equal(w.sys->ops->file_write_atomic(w.sys, w.newf, "4", 1), SP_ERR_IO);
    assert_false(testutil_exists(w.newf));
    close_world(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_posix_hook_should_fail_only_the_write_it_names),
        cmocka_unit_test(a_fault_after_any_write_on_real_files_should_leave_an_undo_that_restores_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
