/* Time sync page: the destination's name and time zone (from this server's registry), the Internet
 * NTP server and the one-time correction, kept in the step's state; everything else (Check, Apply, findings, the manual path) is the step page's. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdlib.h>

#include "core/state.h"
#include "core/timesync/timesync.h"
#include "core/timesync/tzrule.h"
#include "pages/pages.h"
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

static const struct {
    int ctrl;
    const char *key;
} ts_inputs[] = {
    {IDC_TS_DEST, SP_TS_DESTINATION},
    {IDC_TS_TZ, SP_TS_DEST_TZ},
    {IDC_TS_NTP, SP_TS_NTP_SERVER},
};
#define TS_INPUT_COUNT (sizeof ts_inputs / sizeof ts_inputs[0])
#define TS_INPUT_MAX 255
/* Posted to itself after a pick in the zone list: by then the pick is in the edit field. */
#define TS_ZONE_PICKED (CBN_SELCHANGE + 0x100)

static int add_zone(void *user, const char *key, const char *display)
{
    wchar_t *w = sp_wide(display[0] ? display : key);
    if (w)
        SendMessageW((HWND)user, CB_ADDSTRING, 0, (LPARAM)w);
    free(w);
    return 0;
}

static void fill_inputs(sp_page *p)
{
    /* The measured offsets are in the findings' titles: give that column the room (within the
     * list's width: the details pane below has the whole text). */
    static const int percent[] = {60, 25, 15};
    sp_listview_fit(GetDlgItem(p->hwnd, IDC_STEP_FINDINGS), percent, 3);
    /* The zones this server's registry lists, by their display names (in its own language);
     * the step resolves a display name to its key and compares the zones by rule. */
    sp_tz_enum(p->host->session->sys, add_zone, GetDlgItem(p->hwnd, IDC_TS_TZ));
    for (size_t i = 0; i < TS_INPUT_COUNT; i++) {
        wchar_t *w = sp_wide(sp_timesync_input(p->host->session->state, ts_inputs[i].key));
        SendDlgItemMessageW(p->hwnd, ts_inputs[i].ctrl,
                            ts_inputs[i].ctrl == IDC_TS_TZ ? CB_LIMITTEXT : EM_LIMITTEXT,
                            TS_INPUT_MAX, 0);
        SetDlgItemTextW(p->hwnd, ts_inputs[i].ctrl, w ? w : L"");
        free(w);
    }
    CheckDlgButton(p->hwnd, IDC_TS_CORRECT,
                   sp_timesync_correct_wanted(p->host->session->state) ? BST_CHECKED : BST_UNCHECKED);
}

/* Stores what the user typed; a changed input makes the last check void (it measured
 * something else), so the gate closes until the step is checked again. */
static void store_inputs(sp_page *p)
{
    int changed = 0;
    for (size_t i = 0; i < TS_INPUT_COUNT; i++) {
        wchar_t w[TS_INPUT_MAX + 1] = L"";
        char *u;
        GetDlgItemTextW(p->hwnd, ts_inputs[i].ctrl, w, TS_INPUT_MAX + 1);
        u = sp_utf8(w);
        if (u && sp_timesync_set_input(p->host->session->state, ts_inputs[i].key, u))
            changed = 1;
        free(u);
    }
    if (sp_timesync_set_input(p->host->session->state, SP_TS_CORRECT,
                              IsDlgButtonChecked(p->hwnd, IDC_TS_CORRECT) == BST_CHECKED ? "yes"
                                                                                         : ""))
        changed = 1;
    if (!changed)
        return;
    sp_state_record(p->host->session->state, p->step->id, SP_RESULT_NOT_RUN, NULL, 0);
    sp_host_save(p->host, sp_page_owner(p));
    sp_step_page_render(p);
}

/* The worker reads the inputs from the state: they stay as they are while it runs. */
static void enable_inputs(sp_page *p)
{
    BOOL busy = sp_host_busy(p->host, NULL);
    for (size_t i = 0; i < TS_INPUT_COUNT; i++)
        EnableWindow(GetDlgItem(p->hwnd, ts_inputs[i].ctrl), !busy);
    EnableWindow(GetDlgItem(p->hwnd, IDC_TS_CORRECT), !busy);
}

static BOOL on_command(sp_page *p, int id, int code)
{
    if ((id == IDC_TS_DEST || id == IDC_TS_NTP) && code == EN_KILLFOCUS)
        store_inputs(p);
    else if (id == IDC_TS_TZ && (code == CBN_KILLFOCUS || code == CBN_SELCHANGE))
        PostMessageW(p->hwnd, WM_COMMAND, MAKEWPARAM(IDC_TS_TZ, TS_ZONE_PICKED), 0);
    else if (id == IDC_TS_TZ && code == TS_ZONE_PICKED)
        store_inputs(p);
    else if (id == IDC_TS_CORRECT && code == BN_CLICKED)
        store_inputs(p);
    else if ((id == IDC_STEP_CHECK || id == IDC_STEP_APPLY) && code == BN_CLICKED)
        store_inputs(p); /* a click need not move the focus out of a field first */
    return id == IDC_TS_DEST || id == IDC_TS_TZ || id == IDC_TS_NTP || id == IDC_TS_CORRECT;
}

static void on_render(sp_page *p, sp_render_why why)
{
    (void)why;
    enable_inputs(p);
}

const sp_page_desc sp_page_timesync = {
    .id = "timesync", .template_id = IDD_TIMESYNC, .init = fill_inputs, .command = on_command,
    .render = on_render,
};
