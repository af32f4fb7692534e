/* The LOB plan editor: a modal box for one entry's plan, with the install media looked at on the worker. */
#include <windows.h>
#include <commctrl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/base/strutil.h"
#include "core/lob/lob.h"
#include "pages/lob_editor.h"
#include "pages/messages.h"
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

/* The plan editor: a modal box; its media probe runs on the worker and reports to the box. */
typedef struct {
    sp_page_host *host;
    cJSON *entry;
    HWND dlg;
    int probing;      /* a probe job started from the box is running */
    int save_pending; /* OK was clicked: save when the probe is back */
    sp_lob_plan *plan;
} plan_editor;

/* A probe job's argument and result. */
typedef struct {
    char *path;
    sp_lob_media m;
} media_probe;

/* "1.5 MB": sizes as people read them. */
static wchar_t *format_size(HINSTANCE h, uint64_t bytes)
{
    static const UINT units[] = {IDS_LOB_SIZE_KB, IDS_LOB_SIZE_MB, IDS_LOB_SIZE_GB};
    wchar_t num[32];
    double v = (double)bytes;
    int u = -1;
    while (v >= 1024.0 && u < 2) {
        v /= 1024.0;
        u++;
    }
    if (u < 0)
        _snwprintf(num, 32, L"%llu", (unsigned long long)bytes);
    else
        _snwprintf(num, 32, L"%.1f", v);
    num[31] = 0;
    return sp_format1(h, u < 0 ? IDS_LOB_SIZE_BYTES : units[u], num);
}

/* What the media check found, as one line. */
static wchar_t *media_text(HINSTANCE h, const sp_lob_media *m, sp_status st, const char *why)
{
    wchar_t *size, *text, count[16];
    if (st != SP_OK) {
        wchar_t *w = sp_wide(why && why[0] ? why : sp_status_name(st));
        text = sp_format1(h, IDS_LOB_MEDIA_ERROR, w);
        free(w);
        return text;
    }
    if (m->is_url)
        return sp_load(h, IDS_LOB_MEDIA_URL);
    if (!m->exists)
        return sp_load(h, IDS_LOB_MEDIA_MISSING);
    size = format_size(h, m->size);
    if (!m->is_dir) {
        text = sp_format1(h, IDS_LOB_MEDIA_FILE, size);
    } else {
        const wchar_t *args[2] = {size, count};
        _snwprintf(count, 16, L"%u", m->files);
        count[15] = 0;
        text = sp_format(h, m->partial ? IDS_LOB_MEDIA_DIR_PARTIAL : IDS_LOB_MEDIA_DIR, 2, args);
    }
    free(size);
    return text;
}

/* ---- The plan editor -------------------------------------------------------------------------- */

static void free_probe(void *arg)
{
    media_probe *mp = arg;
    if (mp)
        free(mp->path);
    free(mp);
}

/* Up to 20,000 file_stat calls, maybe on a share: never on the UI thread. */
static sp_status probe_task(sp_run_ctx *ctx, void *arg)
{
    media_probe *mp = arg;
    ctx->sys->last_error[0] = '\0';
    return sp_lob_media_probe_run(ctx, mp->path, &mp->m);
}

static void editor_buttons(plan_editor *ed)
{
    EnableWindow(GetDlgItem(ed->dlg, IDC_LOBP_MEDIA_CHECK), !ed->probing);
    EnableWindow(GetDlgItem(ed->dlg, IDOK), !ed->save_pending);
}

/* Starts looking at the media the box names; TRUE when a job started. */
static BOOL start_probe(plan_editor *ed)
{
    media_probe *mp;
    sp_job *job;
    wchar_t *text;
    if (ed->probing)
        return FALSE;
    mp = calloc(1, sizeof *mp);
    job = calloc(1, sizeof *job);
    if (!mp || !job || !(mp->path = sp_get_text_u8(ed->dlg, IDC_LOBP_MEDIA))) {
        free_probe(mp);
        free(job);
        return FALSE;
    }
    if (!*sp_skip_space(mp->path)) { /* nothing to look at: nothing to say */
        SetDlgItemTextW(ed->dlg, IDC_LOBP_MEDIA_INFO, L"");
        free_probe(mp);
        free(job);
        return FALSE;
    }
    job->task = probe_task;
    job->arg = mp;
    job->free_arg = free_probe;
    if (!ed->host->ops->start(ed->host, ed->dlg, job))
        return FALSE;
    ed->probing = 1;
    text = sp_format1(ed->host->hinst, IDS_LOB_MEDIA_PROBING, L"0");
    SetDlgItemTextW(ed->dlg, IDC_LOBP_MEDIA_INFO, text);
    free(text);
    editor_buttons(ed);
    return TRUE;
}

static void probe_done(plan_editor *ed, sp_job *job)
{
    const media_probe *mp = job->arg;
    wchar_t *text = NULL;
    ed->host->ops->join(ed->host);
    ed->probing = 0;
    if (job->status != SP_ERR_CANCELLED)
        text = media_text(ed->host->hinst, &mp->m, job->status, job->error);
    SetDlgItemTextW(ed->dlg, IDC_LOBP_MEDIA_INFO, text ? text : L"");
    free(text);
    if (ed->plan) {
        ed->plan->media_checked = job->status == SP_OK && !mp->m.is_url;
        ed->plan->media_found = mp->m.exists;
        ed->plan->media_size = mp->m.size;
    }
    sp_job_free(job);
    editor_buttons(ed);
}

static void stop_probe(plan_editor *ed)
{
    if (!ed->probing)
        return;
    ed->host->ops->cancel(ed->host);
    ed->host->ops->join(ed->host);
    ed->probing = 0;
    sp_job_drain(ed->dlg);
}

static void editor_init(plan_editor *ed, HWND dlg)
{
    HINSTANCE h = ed->host->hinst;
    const char *name = sp_lob_text(ed->entry, "name");
    sp_lob_plan plan;
    wchar_t *caption, *details;
    static const struct { int id; int limit; } limits[] = {
        {IDC_LOBP_CONTACT, 200}, {IDC_LOBP_PHONE, 60}, {IDC_LOBP_EMAIL, 200}, {IDC_LOBP_MEDIA, 400},
        {IDC_LOBP_LICENCE, 400}, {IDC_LOBP_DATA, 400}, {IDC_LOBP_NOTES, 4000}};

    ed->dlg = dlg;
    sp_lob_get_plan(ed->entry, &plan);
    caption = sp_format_u8(h, IDS_LOB_PLAN_CAPTION, name, NULL);
    SetWindowTextW(dlg, caption);
    free(caption);
    {
        const char *where = sp_lob_text(ed->entry, "location");
        wchar_t *a[4] = {sp_wide(name), sp_wide(sp_lob_text(ed->entry, "publisher")),
                         sp_wide(sp_lob_text(ed->entry, "version")), sp_wide(where[0] ? where : "-")};
        details = sp_format(h, IDS_LOB_DETAILS, 4, (const wchar_t *const *)a);
        for (int i = 0; i < 4; i++)
            free(a[i]);
    }
    SetDlgItemTextW(dlg, IDC_LOBP_DETAILS, details);
    free(details);
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        SendDlgItemMessageW(dlg, limits[i].id, EM_LIMITTEXT, (WPARAM)limits[i].limit, 0);
    sp_set_text_u8(dlg, IDC_LOBP_CONTACT, plan.contact);
    sp_set_text_u8(dlg, IDC_LOBP_PHONE, plan.phone);
    sp_set_text_u8(dlg, IDC_LOBP_EMAIL, plan.email);
    sp_set_text_u8(dlg, IDC_LOBP_MEDIA, plan.media);
    sp_set_text_u8(dlg, IDC_LOBP_LICENCE, plan.licence);
    sp_set_text_u8(dlg, IDC_LOBP_DATA, plan.data);
    sp_set_text_u8(dlg, IDC_LOBP_NOTES, plan.notes);
    for (int m = 0; m < SP_LOB_METHOD_COUNT; m++) {
        wchar_t *t = sp_load(h, IDS_LOB_METHOD_FIRST + m);
        SendDlgItemMessageW(dlg, IDC_LOBP_METHOD, CB_ADDSTRING, 0, (LPARAM)(t ? t : L""));
        free(t);
    }
    SendDlgItemMessageW(dlg, IDC_LOBP_METHOD, CB_SETCURSEL, (WPARAM)plan.method, 0);
    if (plan.media[0])
        start_probe(ed);
}

/* Saves the plan with what the probe found (ed->plan, filled by probe_done). */
static BOOL editor_save(plan_editor *ed, sp_lob_plan *probed)
{
    static const int ids[] = {IDC_LOBP_CONTACT, IDC_LOBP_PHONE, IDC_LOBP_EMAIL, IDC_LOBP_MEDIA,
                              IDC_LOBP_LICENCE, IDC_LOBP_DATA, IDC_LOBP_NOTES};
    char *t[7] = {0};
    sp_lob_plan plan = {0};
    LRESULT sel = SendDlgItemMessageW(ed->dlg, IDC_LOBP_METHOD, CB_GETCURSEL, 0, 0);
    sp_status st = SP_OK;
    for (int i = 0; i < 7; i++)
        if (!(t[i] = sp_get_text_u8(ed->dlg, ids[i])))
            st = SP_ERR_NOMEM;
    if (st == SP_OK) {
        plan.contact = t[0];
        plan.phone = t[1];
        plan.email = t[2];
        plan.media = t[3];
        plan.licence = t[4];
        plan.data = t[5];
        plan.notes = t[6];
        plan.method = sel > 0 && sel < SP_LOB_METHOD_COUNT ? (sp_lob_method)sel : SP_LOB_METHOD_NONE;
        plan.media_checked = probed->media_checked;
        plan.media_found = probed->media_found;
        plan.media_size = probed->media_size;
        st = sp_lob_set_plan(ed->entry, &plan);
    }
    for (int i = 0; i < 7; i++)
        free(t[i]);
    return st == SP_OK;
}

/* OK: the media is looked at again as typed now, then the plan is saved with what was found. */
static void editor_ok(plan_editor *ed)
{
    static sp_lob_plan none;
    if (ed->save_pending)
        return;
    stop_probe(ed); /* it may have looked at what the box said before */
    ed->plan = calloc(1, sizeof *ed->plan);
    if (!ed->plan)
        return;
    ed->save_pending = 1;
    if (!start_probe(ed)) {
        *ed->plan = none;
        ed->save_pending = 0;
        if (editor_save(ed, ed->plan))
            EndDialog(ed->dlg, IDOK);
        free(ed->plan);
        ed->plan = NULL;
    }
    editor_buttons(ed);
}

static INT_PTR CALLBACK editor_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    plan_editor *ed = (plan_editor *)GetWindowLongPtrW(dlg, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG:
        SetWindowLongPtrW(dlg, DWLP_USER, lp);
        editor_init((plan_editor *)lp, dlg);
        return TRUE;
    case WM_SP_PROGRESS: {
        wchar_t *what = (wchar_t *)lp;
        wchar_t *text = sp_format1(ed->host->hinst, IDS_LOB_MEDIA_PROBING, what ? what : L"0");
        SetDlgItemTextW(dlg, IDC_LOBP_MEDIA_INFO, text);
        free(text);
        free(what);
        return TRUE;
    }
    case WM_SP_QUERY_BUSY: /* tests: the probe and a pending save are over at 0 */
        SetWindowLongPtrW(dlg, DWLP_MSGRESULT, ed && (ed->probing || ed->save_pending));
        return TRUE;
    case WM_SP_DONE:
        probe_done(ed, (sp_job *)lp);
        if (ed->save_pending) {
            BOOL saved = editor_save(ed, ed->plan);
            ed->save_pending = 0;
            free(ed->plan);
            ed->plan = NULL;
            if (saved)
                EndDialog(dlg, IDOK);
            editor_buttons(ed);
        }
        return TRUE;
    case WM_COMMAND:
        switch (LOWORD(wp)) {
        case IDC_LOBP_MEDIA_CHECK:
            start_probe(ed);
            return TRUE;
        case IDOK:
            editor_ok(ed);
            return TRUE;
        case IDCANCEL:
            stop_probe(ed);
            free(ed->plan);
            ed->plan = NULL;
            ed->save_pending = 0;
            EndDialog(dlg, IDCANCEL);
            return TRUE;
        }
        break;
    case WM_DESTROY:
        if (ed)
            stop_probe(ed);
        break;
    }
    return FALSE;
}

BOOL sp_lob_edit_plan(sp_page_host *host, HWND owner, cJSON *entry)
{
    plan_editor ed = {host, entry};
    /* The dialog in the wizard's language (pages/ui/text.h), not the thread locale's. */
    LPCDLGTEMPLATEW t = sp_dialog_template(host->hinst, IDD_LOB_PLAN);
    return t && DialogBoxIndirectParamW(host->hinst, t, owner, editor_proc, (LPARAM)&ed) == IDOK;
}
