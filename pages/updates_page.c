/* The Updates page: the generic step page whose Apply says what it does next, install or restart. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/state.h"
#include "pages/pages.h"
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

static int has_finding(const sp_step_state *s, const char *code)
{
    for (size_t i = 0; s && i < s->findings.count; i++)
        if (strcmp(s->findings.items[i].code, code) == 0)
            return 1;
    return 0;
}

/* Apply installs what is missing first; once only a restart is left, it restarts. */
static void label_apply(sp_page *p)
{
    const sp_step_state *s = sp_state_step_const(p->host->session->state, "updates");
    UINT id = IDS_UPDATES_APPLY;
    wchar_t *text;
    if (has_finding(s, "updates.missing"))
        id = IDS_UPDATES_INSTALL;
    else if (has_finding(s, "updates.reboot_pending"))
        id = IDS_UPDATES_RESTART;
    else /* a service pack alone: Windows Update offers it as an update once it can be searched */
        EnableWindow(GetDlgItem(p->hwnd, IDC_STEP_APPLY), FALSE);
    text = sp_load(p->host->hinst, id);
    /* Only a change: setting a button's text repaints it, and painting sends WM_NOTIFY. */
    if (text) {
        wchar_t now[64] = L"";
        GetDlgItemTextW(p->hwnd, IDC_STEP_APPLY, now, 64);
        if (wcscmp(now, text) != 0)
            SetDlgItemTextW(p->hwnd, IDC_STEP_APPLY, text);
    }
    free(text);
}

/* After the generic page has drawn itself: start, end of a run, activation, undo. */
static void on_render(sp_page *p, sp_render_why why)
{
    (void)why;
    label_apply(p);
}

const sp_page_desc sp_page_updates = {
    .id = "updates", .template_id = IDD_UPDATES, .render = on_render,
};
