/* The page every step uses: Check on a worker, progress, findings, the manual path, the Next gate. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"
#include "core/log.h"
#include "core/state.h"
#include "pages/messages.h"
#include "pages/pages.h"
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

static const int item_ids[SP_STEP_MAX_ITEMS] = {IDC_STEP_ITEM1, IDC_STEP_ITEM2, IDC_STEP_ITEM3,
                                                IDC_STEP_ITEM4};
/* The manual path: folded away under its button unless the step falls back to it. */
static const int manual_ids[] = {IDC_STEP_MANUAL_GROUP, IDC_STEP_ITEM1, IDC_STEP_ITEM2,
                                 IDC_STEP_ITEM3, IDC_STEP_ITEM4, IDC_STEP_REASON_LABEL,
                                 IDC_STEP_REASON, IDC_STEP_MARK};
#define MANUAL_IDS ((int)(sizeof manual_ids / sizeof manual_ids[0]))

static int64_t now_of(sp_page *p)
{
    return sp_host_now(p->host);
}

static sp_step_state *step_state(sp_page *p)
{
    return sp_state_step(p->host->session->state, p->step->id);
}

sp_step_state *sp_page_state(sp_page *p)
{
    return step_state(p);
}

static BOOL running_here(sp_page *p)
{
    return sp_host_busy(p->host, p->hwnd);
}

/* Changes of this step still in force (recorded in the journal and not undone). */
static size_t changes_in_force(sp_page *p)
{
    sp_journal *j = p->host->session->journal;
    size_t n = 0;
    sp_change c;
    for (size_t i = 0; j && i < sp_journal_count(j); i++)
        if (sp_journal_get(j, i, &c) == SP_OK && !c.undone && strcmp(c.step, p->step->id) == 0)
            n++;
    return n;
}

/* The checklist is the items that have a text, shown or folded away. */
static BOOL checklist_complete(sp_page *p)
{
    for (int k = 0; k < SP_STEP_MAX_ITEMS; k++) {
        HWND box = GetDlgItem(p->hwnd, item_ids[k]);
        if ((p->items & (1u << k)) && SendMessageW(box, BM_GETCHECK, 0, 0) != BST_CHECKED)
            return FALSE;
    }
    return p->items != 0;
}

static BOOL reason_given(sp_page *p)
{
    wchar_t buf[8];
    GetDlgItemTextW(p->hwnd, IDC_STEP_REASON, buf, 8);
    for (wchar_t *c = buf; *c; c++)
        if (*c != L' ' && *c != L'\r' && *c != L'\n' && *c != L'\t')
            return TRUE;
    return FALSE;
}

/* The one place that decides Next: asks the core gate, and never while a run is going on. */
static void update_gate(sp_page *p)
{
    BOOL busy = running_here(p);
    BOOL open = !busy && sp_state_gate_open(p->host->session->state, p->step->id, now_of(p));
    sp_page_buttons(p, (busy ? 0 : PSWIZB_BACK) | (open ? PSWIZB_NEXT : 0));
}

static void update_mark_button(sp_page *p)
{
    const sp_step_state *s = step_state(p);
    BOOL busy = running_here(p);
    EnableWindow(GetDlgItem(p->hwnd, IDC_STEP_MARK),
                 !busy && (s->manual || (checklist_complete(p) && reason_given(p))));
}

/* A finding's title, what to do and evidence in the format fmt_id (heap; NULL for no such row). */
static wchar_t *finding_format(sp_page *p, int row, UINT fmt_id)
{
    const sp_findings *f = &step_state(p)->findings;
    HINSTANCE h = p->host->hinst;
    const sp_finding *x;
    wchar_t *arg, *args[3], *text;
    if (row < 0 || (size_t)row >= f->count)
        return NULL;
    x = &f->items[row];
    arg = sp_arg_wide(h, x->arg);
    args[0] = sp_format1(h, x->title_id, arg);
    args[1] = x->advice_id ? sp_format1(h, x->advice_id, arg) : sp_load(h, IDS_NONE);
    args[2] = x->evidence ? sp_wide(x->evidence) : sp_load(h, IDS_NONE);
    text = sp_format(h, fmt_id, 3, (const wchar_t *const *)args);
    for (int i = 0; i < 3; i++)
        free(args[i]);
    free(arg);
    return text;
}

/* The same for the details pane (heap; NULL for none). */
static wchar_t *finding_text(sp_page *p, int row)
{
    wchar_t *text = finding_format(p, row, IDS_FINDING_PANE), *crlf;
    size_t n = 0, lf = 0;
    if (!text)
        return NULL;
    /* An edit control breaks lines at CR LF only: evidence may hold bare LFs. */
    for (const wchar_t *c = text; *c; c++)
        lf += *c == L'\n' && (c == text || c[-1] != L'\r');
    if (!lf || !(crlf = malloc((wcslen(text) + lf + 1) * sizeof *crlf)))
        return text;
    for (const wchar_t *c = text; *c; c++) {
        if (*c == L'\n' && (c == text || c[-1] != L'\r'))
            crlf[n++] = L'\r';
        crlf[n++] = *c;
    }
    crlf[n] = 0;
    free(text);
    return crlf;
}

/* The details pane follows the findings list's selection. */
static void show_details(sp_page *p)
{
    HWND lv = GetDlgItem(p->hwnd, IDC_STEP_FINDINGS);
    wchar_t *text = lv ? finding_text(p, ListView_GetNextItem(lv, -1, LVNI_SELECTED)) : NULL;
    SetDlgItemTextW(p->hwnd, IDC_STEP_DETAILS, text ? text : L"");
    free(text);
}

static void fill_findings(sp_page *p, const sp_findings *f)
{
    HWND lv = GetDlgItem(p->hwnd, IDC_STEP_FINDINGS);
    HINSTANCE h = p->host->hinst;
    int selected;
    if (!lv)
        return;
    selected = ListView_GetNextItem(lv, -1, LVNI_SELECTED);
    /* Drawn once when filled, not once a row. */
    SendMessageW(lv, WM_SETREDRAW, FALSE, 0);
    ListView_DeleteAllItems(lv);
    for (size_t i = 0; i < f->count; i++) {
        const sp_finding *x = &f->items[i];
        wchar_t *arg = sp_arg_wide(h, x->arg);
        wchar_t *cells[3] = {sp_format1(h, x->title_id, arg),
                             x->advice_id ? sp_format1(h, x->advice_id, arg) : NULL,
                             sp_wide(x->evidence)};
        sp_listview_add(lv, (int)i, (int)x->severity, (const wchar_t *const *)cells, 3);
        for (int c = 0; c < 3; c++)
            free(cells[c]);
        free(arg);
    }
    /* The row chosen before stays chosen; else the first, so the pane is never empty. */
    if (f->count) {
        if (selected < 0 || (size_t)selected >= f->count)
            selected = 0;
        ListView_SetItemState(lv, selected, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
        ListView_EnsureVisible(lv, selected, FALSE);
    }
    SendMessageW(lv, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(lv, NULL, TRUE);
    show_details(p);
}

/* Lays the page out: the manual path shown or folded, the findings list taking the rest. */
static void layout(sp_page *p)
{
    sp_layout_apply(&p->layout, p->hwnd, p->manual_open > 0);
    if (p->desc->layout)
        p->desc->layout(p);
    InvalidateRect(p->hwnd, NULL, TRUE);
}

void sp_step_page_layout(sp_page *p)
{
    layout(p);
}

static void show_manual(sp_page *p, BOOL open)
{
    HWND toggle = GetDlgItem(p->hwnd, IDC_STEP_MANUAL_TOGGLE);
    wchar_t *text;
    if (!GetDlgItem(p->hwnd, IDC_STEP_MANUAL_GROUP) || p->manual_open == (open ? 1 : 0))
        return;
    p->manual_open = open ? 1 : 0;
    for (int i = 0; i < MANUAL_IDS; i++) {
        int k = manual_ids[i] - IDC_STEP_ITEM1;
        BOOL item = k >= 0 && k < SP_STEP_MAX_ITEMS;
        ShowWindow(GetDlgItem(p->hwnd, manual_ids[i]),
                   open && (!item || (p->items & (1u << k))) ? SW_SHOW : SW_HIDE);
    }
    text = sp_load(p->host->hinst, open ? IDS_MANUAL_HIDE : IDS_MANUAL_SHOW);
    SetWindowTextW(toggle, text ? text : L"");
    free(text);
    layout(p);
}

/* Shown at once where the step falls back to it (it cannot check itself) or was done by hand. */
static void decide_manual(sp_page *p, const sp_step_state *s)
{
    if (!p->manual_chosen)
        show_manual(p, s->manual || s->result == SP_RESULT_MANUAL_NEEDED);
}

/* Double-click or Enter on a finding: the whole text in a box. */
static void show_finding(sp_page *p, int row)
{
    static const UINT sev_ids[] = {IDS_SEV_INFO, IDS_SEV_WARNING, IDS_SEV_ERROR};
    static const UINT icons[] = {MB_ICONINFORMATION, MB_ICONWARNING, MB_ICONERROR};
    const sp_findings *f = &step_state(p)->findings;
    wchar_t *text, *caption;
    if (row < 0 || (size_t)row >= f->count)
        return;
    text = finding_format(p, row, IDS_FINDING_DETAILS);
    caption = sp_load(p->host->hinst, sev_ids[f->items[row].severity]);
    MessageBoxW(sp_page_owner(p), text, caption, MB_OK | icons[f->items[row].severity]);
    free(text);
    free(caption);
}

static void render_status(sp_page *p, const sp_step_state *s)
{
    HINSTANCE h = p->host->hinst;
    wchar_t when[80] = L"", *text = NULL;
    int64_t now = now_of(p);

    if (running_here(p))
        return; /* WM_SP_PROGRESS owns the status line while running */
    if (s->manual) {
        char *reason = s->manual_reason ? s->manual_reason : "";
        wchar_t *wr = sp_wide(reason);
        const wchar_t *args[2] = {when, wr};
        sp_format_time(s->manual_at, when, 80);
        text = sp_format(h, IDS_STATUS_MANUAL_DONE, 2, args);
        free(wr);
    } else if (sp_state_is_stale(s, now)) {
        text = sp_load(h, IDS_STATUS_STALE);
    } else {
        if (s->checked_at)
            sp_format_time(s->checked_at, when, 80);
        switch (s->result) {
        case SP_RESULT_PASSED: text = sp_format1(h, IDS_STATUS_PASSED, when); break;
        case SP_RESULT_FAILED: text = sp_format1(h, IDS_STATUS_FAILED, when); break;
        case SP_RESULT_NOT_APPLICABLE: text = sp_format1(h, IDS_STATUS_NA, when); break;
        case SP_RESULT_MANUAL_NEEDED: text = sp_load(h, IDS_STATUS_MANUAL_NEEDED); break;
        case SP_RESULT_ERROR: {
            const char *why = s->findings.count ? s->findings.items[s->findings.count - 1].evidence : NULL;
            wchar_t *w = sp_wide(why ? why : "");
            text = sp_format1(h, IDS_STATUS_ERROR, w);
            free(w);
            break;
        }
        case SP_RESULT_NOT_RUN: text = sp_load(h, IDS_STATUS_NOT_RUN); break;
        }
    }
    SetDlgItemTextW(p->hwnd, IDC_STEP_STATUS, text ? text : L"");
    free(text);
}

/* The buttons, check boxes and reason as the state and a running job allow. */
static void render_controls(sp_page *p)
{
    const sp_step_state *s = step_state(p);
    BOOL busy = running_here(p);
    wchar_t *mark = sp_load(p->host->hinst, s->manual ? IDS_CLEAR_MARK : IDS_MARK_DONE);

    for (int k = 0; k < SP_STEP_MAX_ITEMS; k++) {
        HWND box = GetDlgItem(p->hwnd, item_ids[k]);
        if (s->manual)
            SendMessageW(box, BM_SETCHECK, BST_CHECKED, 0);
        EnableWindow(box, !s->manual && !busy);
    }
    if (s->manual) {
        wchar_t *reason = sp_wide(s->manual_reason ? s->manual_reason : "");
        SetDlgItemTextW(p->hwnd, IDC_STEP_REASON, reason);
        free(reason);
    }
    SendDlgItemMessageW(p->hwnd, IDC_STEP_REASON, EM_SETREADONLY, s->manual || busy, 0);
    SetDlgItemTextW(p->hwnd, IDC_STEP_MARK, mark);
    free(mark);
    EnableWindow(GetDlgItem(p->hwnd, IDC_STEP_CHECK), !busy);
    EnableWindow(GetDlgItem(p->hwnd, IDC_STEP_CANCEL), busy);
    /* Apply is offered once a check found something to change; Undo while changes are in force. */
    ShowWindow(GetDlgItem(p->hwnd, IDC_STEP_APPLY), p->step->apply ? SW_SHOW : SW_HIDE);
    EnableWindow(GetDlgItem(p->hwnd, IDC_STEP_APPLY),
                 !busy && p->step->apply && s->checked_at && s->result == SP_RESULT_FAILED);
    ShowWindow(GetDlgItem(p->hwnd, IDC_STEP_UNDO), changes_in_force(p) ? SW_SHOW : SW_HIDE);
    EnableWindow(GetDlgItem(p->hwnd, IDC_STEP_UNDO), !busy);
    if (!busy)
        SendDlgItemMessageW(p->hwnd, IDC_STEP_PROGRESS, PBM_SETPOS, s->checked_at ? 1000 : 0, 0);
    update_mark_button(p);
    update_gate(p);
}

static void render(sp_page *p)
{
    const sp_step_state *s = step_state(p);
    render_status(p, s);
    decide_manual(p, s);
    fill_findings(p, &s->findings);
    render_controls(p);
}

void sp_step_page_render(sp_page *p)
{
    render(p);
}

/* Hands the job to the worker; the page shows it running until WM_SP_DONE. */
static BOOL start_job(sp_page *p, sp_run_kind kind, sp_job *job)
{
    if (!job || !p->host->ops->start(p->host, p->hwnd, job))
        return FALSE;
    p->running = kind;
    SendDlgItemMessageW(p->hwnd, IDC_STEP_PROGRESS, PBM_SETPOS, 0, 0);
    SetDlgItemTextW(p->hwnd, IDC_STEP_STATUS, L"");
    /* Only what a running job changes: the findings stay as they are until it is done (filling
     * the list again here kept the UI thread from answering for up to 100 ms, make bench). */
    render_controls(p);
    SetFocus(GetDlgItem(p->hwnd, IDC_STEP_CANCEL));
    return TRUE;
}

static void start_run(sp_page *p, int apply)
{
    sp_job *job;
    if (running_here(p) || !(job = calloc(1, sizeof *job)))
        return;
    job->step = p->step;
    job->apply = apply;
    start_job(p, apply ? SP_RUN_APPLY : SP_RUN_CHECK, job);
}

static void start_check(sp_page *p)
{
    start_run(p, 0);
}

void sp_step_page_start(sp_page *p, int apply)
{
    start_run(p, apply);
}

BOOL sp_step_page_busy(sp_page *p)
{
    return running_here(p);
}

static void start_apply(sp_page *p)
{
    wchar_t *title = sp_load(p->host->hinst, IDS_STEP_TITLE(p->index));
    wchar_t *ask = sp_format1(p->host->hinst, IDS_APPLY_CONFIRM, title);
    BOOL yes = sp_confirm(sp_page_owner(p), p->host->hinst, ask);
    free(title);
    free(ask);
    if (yes)
        start_run(p, 1);
}

/* ---- Undo: on the worker (a journal may restore large files, maybe on a share) ------------- */

#define UNDO_FORCE_MAX 16

typedef struct {
    sp_journal *journal;
    const char *step;
    size_t undone;
    unsigned force[UNDO_FORCE_MAX]; /* entries the user chose to undo although changed since */
    size_t nforce;
    sp_undo_report report;
} undo_arg;

static void free_undo_arg(void *arg)
{
    undo_arg *u = arg;
    sp_undo_report_free(&u->report);
    free(u);
}

static sp_status undo_task(sp_run_ctx *ctx, void *arg)
{
    undo_arg *u = arg;
    sp_status st = sp_journal_undo_ex(u->journal, u->step, 0, u->force, u->nforce, &u->report);
    u->undone = u->report.restored;
    /* What was verified before the undo no longer holds, also after a partial undo. */
    sp_state_record(ctx->state, u->step, SP_RESULT_NOT_RUN, NULL, 0);
    return st;
}

/* Starts the undo of this step's changes, forcing those in force[] (nforce may be 0). */
static void start_undo(sp_page *p, const wchar_t *num, const unsigned *force, size_t nforce)
{
    undo_arg *u = calloc(1, sizeof *u);
    sp_job *job = calloc(1, sizeof *job);
    wchar_t *text;
    if (!u || !job) {
        free(u);
        free(job);
        return;
    }
    u->journal = p->host->session->journal;
    u->step = p->step->id;
    u->nforce = nforce < UNDO_FORCE_MAX ? nforce : UNDO_FORCE_MAX;
    memcpy(u->force, force, u->nforce * sizeof *force);
    job->task = undo_task;
    job->arg = u;
    job->free_arg = free_undo_arg;
    job->save_state = 1;
    if (start_job(p, SP_RUN_UNDO, job)) {
        text = sp_format1(p->host->hinst, IDS_STATUS_UNDOING, num);
        SetDlgItemTextW(p->hwnd, IDC_STEP_STATUS, text);
        free(text);
    }
}

static void undo_changes(sp_page *p)
{
    wchar_t num[16], *text;
    size_t n = changes_in_force(p);
    BOOL yes;
    _snwprintf(num, 16, L"%u", (unsigned)n);
    num[15] = 0;
    text = sp_format1(p->host->hinst, IDS_UNDO_CONFIRM, num);
    yes = sp_confirm(sp_page_owner(p), p->host->hinst, text);
    free(text);
    if (!yes || running_here(p))
        return;
    start_undo(p, num, NULL, 0);
}

/* Each change left because it was edited since: the user may undo that one anyway (default No). */
static size_t ask_force(sp_page *p, const sp_undo_report *r, unsigned *force)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count && n < UNDO_FORCE_MAX; i++) {
        wchar_t seq[16], *args[2], *text;
        if (r->items[i].outcome != SP_UNDO_CHANGED)
            continue;
        _snwprintf(seq, 16, L"%u", r->items[i].seq);
        seq[15] = 0;
        args[0] = seq;
        args[1] = sp_wide(r->items[i].target);
        text = sp_format(p->host->hinst, IDS_UNDO_FORCE_ASK, 2, (const wchar_t *const *)args);
        if (text && sp_confirm(sp_page_owner(p), p->host->hinst, text))
            force[n++] = r->items[i].seq;
        free(text);
        free(args[1]);
    }
    return n;
}

static void undo_done(sp_page *p, const sp_job *job)
{
    sp_session *s = p->host->session;
    const undo_arg *u = job->arg;
    wchar_t num[16], *text;
    unsigned force[UNDO_FORCE_MAX];
    size_t nforce = 0;
    sp_log_write(&s->log, "undo step=%s changes=%u dropped=%u changed=%u failed=%u forced=%u status=%s",
                 p->step->id, (unsigned)u->undone, (unsigned)u->report.dropped,
                 (unsigned)u->report.changed, (unsigned)u->report.failed, (unsigned)u->nforce,
                 sp_status_name(job->status));
    if (job->status == SP_OK) {
        _snwprintf(num, 16, L"%u", (unsigned)u->undone);
        num[15] = 0;
        text = sp_format1(p->host->hinst, IDS_UNDO_DONE, num);
    } else {
        wchar_t *why = sp_wide(job->error[0] ? job->error : sp_status_name(job->status));
        text = sp_format1(p->host->hinst, IDS_ERR_UNDO, why);
        free(why);
    }
    if (job->saved != SP_OK)
        sp_host_save(p->host, sp_page_owner(p)); /* again, and says why when it fails */
    render(p);
    sp_tell(sp_page_owner(p), p->host->hinst, job->status == SP_OK ? MB_ICONINFORMATION : MB_ICONERROR,
            text);
    free(text);
    /* Asked once, after an undo that forced nothing: a forced run does not ask again. */
    if (!u->nforce && u->report.changed && (nforce = ask_force(p, &u->report, force)) > 0) {
        _snwprintf(num, 16, L"%u", (unsigned)nforce);
        num[15] = 0;
        start_undo(p, num, force, nforce);
    }
}

static void on_done(sp_page *p, sp_job *job)
{
    p->host->ops->join(p->host);
    if (job->task == undo_task) {
        undo_done(p, job);
    } else if (job->status == SP_ERR_CANCELLED) {
        render(p);
        sp_set_text(p->hwnd, IDC_STEP_STATUS, p->host->hinst, IDS_STATUS_CANCELLED);
    } else {
        /* The worker recorded the run and saved the state. */
        if (job->saved != SP_OK)
            sp_host_save(p->host, sp_page_owner(p)); /* again, and says why when it fails */
        render(p);
    }
    sp_job_free(job);
    if (!running_here(p)) /* an undo the user forced after this one keeps Cancel focused */
        SetFocus(GetDlgItem(p->hwnd, IDC_STEP_CHECK));
    p->runs++;
}

static void on_progress(sp_page *p, unsigned permille, wchar_t *what)
{
    if (p->running != SP_RUN_UNDO) {
        wchar_t *text = sp_format1(p->host->hinst,
                                   p->running == SP_RUN_APPLY ? IDS_STATUS_APPLYING : IDS_STATUS_RUNNING,
                                   what ? what : L"");
        SetDlgItemTextW(p->hwnd, IDC_STEP_STATUS, text);
        free(text);
    }
    SendDlgItemMessageW(p->hwnd, IDC_STEP_PROGRESS, PBM_SETPOS, permille, 0);
    free(what);
}

static void toggle_mark(sp_page *p)
{
    sp_session *s = p->host->session;
    const sp_step_state *st = step_state(p);
    if (st->manual) {
        sp_state_clear_manual(s->state, p->step->id);
        sp_log_write(&s->log, "unmark step=%s", p->step->id);
        for (int k = 0; k < SP_STEP_MAX_ITEMS; k++)
            SendDlgItemMessageW(p->hwnd, item_ids[k], BM_SETCHECK, BST_UNCHECKED, 0);
    } else {
        char *reason = sp_get_text_u8(p->hwnd, IDC_STEP_REASON);
        if (reason && sp_state_mark_manual(s->state, p->step->id, reason, now_of(p)) == SP_OK) {
            char quoted[1600];
            sp_log_escape(reason, quoted, sizeof quoted);
            sp_log_write(&s->log, "mark step=%s reason=\"%s\"", p->step->id, quoted);
        }
        free(reason);
    }
    sp_host_save(p->host, sp_page_owner(p));
    render(p);
}

static void on_init(sp_page *p)
{
    static const UINT cols[] = {IDS_COL_FINDING, IDS_COL_ADVICE, IDS_COL_EVIDENCE};
    /* Within the list's width: a horizontal scroll bar would take a row; the pane below has the
     * whole text. */
    static const int widths[] = {46, 32, 22};
    HWND lv = GetDlgItem(p->hwnd, IDC_STEP_FINDINGS);
    if (lv) { /* a step's own page may leave the findings list out */
        sp_listview_columns(lv, p->host->hinst, cols, widths, 3);
        ListView_SetImageList(lv, sp_severity_images(p->host), LVSIL_SMALL);
    }
    SendDlgItemMessageW(p->hwnd, IDC_STEP_PROGRESS, PBM_SETRANGE32, 0, 1000);
    SendDlgItemMessageW(p->hwnd, IDC_STEP_REASON, EM_LIMITTEXT, 500, 0);
    for (int k = 0; k < SP_STEP_MAX_ITEMS; k++) {
        wchar_t *item = sp_load(p->host->hinst, IDS_STEP_ITEM(p->index, k));
        SetDlgItemTextW(p->hwnd, item_ids[k], item);
        if (item && item[0])
            p->items |= 1u << k;
        free(item);
    }
    ShowWindow(GetDlgItem(p->hwnd, IDC_STEP_MANUAL_TOGGLE),
               GetDlgItem(p->hwnd, IDC_STEP_MANUAL_GROUP) ? SW_SHOW : SW_HIDE);
    sp_layout_init(&p->layout, p->hwnd, lv ? IDC_STEP_FINDINGS : IDC_LOB_LIST, IDC_HEALTH_TREE,
                   manual_ids, MANUAL_IDS);
    /* With a manual path, the first render decides whether it is shown, and lays out. */
    p->manual_open = GetDlgItem(p->hwnd, IDC_STEP_MANUAL_GROUP) ? -1 : 0;
}

static void stop_and_wait(sp_page *p)
{
    if (running_here(p)) {
        p->host->ops->cancel(p->host);
        p->host->ops->join(p->host);
    }
}

static INT_PTR on_notify(sp_page *p, const NMHDR *nm, sp_render_why *why)
{
    const sp_step_state *s;
    sp_state *state = p->host->session->state;
    if (nm->idFrom == IDC_STEP_FINDINGS && nm->code == LVN_ITEMACTIVATE) {
        show_finding(p, ((const NMITEMACTIVATE *)nm)->iItem);
        return TRUE;
    }
    if (nm->idFrom == IDC_STEP_FINDINGS && nm->code == LVN_ITEMCHANGED) {
        const NMLISTVIEW *lv = (const NMLISTVIEW *)nm;
        if ((lv->uNewState ^ lv->uOldState) & LVIS_SELECTED)
            show_details(p);
        return TRUE;
    }
    switch (nm->code) {
    case PSN_SETACTIVE:
        p->active = 1;
        *why = SP_RENDER_SHOW;
        snprintf(state->page, sizeof state->page, "%s", p->step->id);
        render(p);
        s = step_state(p);
        /* A page opens with a fresh assessment unless one is recorded and still valid. */
        if (!s->manual && (s->checked_at == 0 || sp_state_is_stale(s, now_of(p))))
            start_check(p);
        SetWindowLongPtrW(p->hwnd, DWLP_MSGRESULT, 0);
        return TRUE;
    case PSN_KILLACTIVE:
        if (p->desc->leave)
            p->desc->leave(p);
        p->active = 0;
        SetWindowLongPtrW(p->hwnd, DWLP_MSGRESULT, FALSE);
        return TRUE;
    case PSN_WIZNEXT:
        /* Checked again here: a stale button state must never let the user past. */
        if (running_here(p) || !sp_state_gate_open(state, p->step->id, now_of(p))) {
            SetWindowLongPtrW(p->hwnd, DWLP_MSGRESULT, -1);
            return TRUE;
        }
        sp_host_save(p->host, sp_page_owner(p));
        return FALSE;
    case PSN_QUERYCANCEL:
        stop_and_wait(p);
        sp_host_save(p->host, sp_page_owner(p));
        return FALSE;
    }
    return FALSE;
}

static INT_PTR on_command(sp_page *p, int id, int code, sp_render_why *why)
{
    switch (id) {
    case IDC_STEP_CHECK: start_check(p); return TRUE;
    case IDC_STEP_APPLY: start_apply(p); return TRUE;
    case IDC_STEP_UNDO: undo_changes(p); return TRUE;
    case IDC_STEP_CANCEL: p->host->ops->cancel(p->host); return TRUE;
    case IDC_STEP_MANUAL_TOGGLE:
        if (code == BN_CLICKED) {
            p->manual_chosen = 1;
            show_manual(p, p->manual_open <= 0);
        }
        return TRUE;
    case IDC_STEP_MARK:
        toggle_mark(p);
        *why = SP_RENDER_MARK;
        return TRUE;
    case IDC_STEP_REASON:
        if (code == EN_CHANGE)
            update_mark_button(p);
        return TRUE;
    default:
        if (id >= IDC_STEP_ITEM1 && id <= IDC_STEP_ITEM4 && code == BN_CLICKED)
            update_mark_button(p);
        return TRUE;
    }
}

/* The dialog procedure of every step page: the page's hooks first (commands, notifications),
 * then the generic page, then the page's render hook. */
INT_PTR CALLBACK sp_step_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    sp_page *p = msg == WM_INITDIALOG ? sp_page_init(hwnd, lp) : sp_page_get(hwnd);
    const sp_page_desc *d;
    sp_render_why why = SP_RENDER_INPUT;
    INT_PTR r = FALSE;
    if (!p)
        return FALSE;
    d = p->desc;
    switch (msg) {
    case WM_INITDIALOG:
        on_init(p);
        if (d->init)
            d->init(p);
        why = SP_RENDER_INIT;
        r = TRUE;
        break;
    case WM_NOTIFY:
        if (d->notify && d->notify(p, (const NMHDR *)lp))
            return TRUE;
        why = SP_RENDER_NOTIFY;
        r = on_notify(p, (const NMHDR *)lp, &why);
        break;
    case WM_COMMAND:
        if (d->command && d->command(p, LOWORD(wp), HIWORD(wp)))
            return TRUE;
        r = on_command(p, LOWORD(wp), HIWORD(wp), &why);
        break;
    case WM_SIZE:
        if (p->manual_open >= 0)
            layout(p);
        return FALSE;
    case WM_SP_PROGRESS:
        on_progress(p, (unsigned)wp, (wchar_t *)lp);
        return TRUE;
    case WM_SP_DONE:
        on_done(p, (sp_job *)lp);
        why = SP_RENDER_DONE;
        r = TRUE;
        break;
    case WM_SP_QUERY_BUSY: {
        /* PropSheet_SetWizButtons posts: until the sheet has taken that message, Back and
         * Next do not show the gate yet, and the page is not done. */
        MSG m;
        BOOL buttons_queued = PeekMessageW(&m, GetParent(hwnd), PSM_SETWIZBUTTONS, PSM_SETWIZBUTTONS, PM_NOREMOVE);
        SetWindowLongPtrW(hwnd, DWLP_MSGRESULT, running_here(p) || buttons_queued ? 1 : 0);
        return TRUE;
    }
    case WM_SP_QUERY_RUNS:
        SetWindowLongPtrW(hwnd, DWLP_MSGRESULT, (LONG_PTR)p->runs);
        return TRUE;
    case WM_DESTROY:
        stop_and_wait(p);
        sp_job_drain(hwnd);
        free(p->view);
        p->view = NULL;
        return FALSE;
    default:
        return FALSE;
    }
    if (d->render)
        d->render(p, why);
    return r;
}
