/* Welcome page: what the wizard detected about this server, and which steps apply to it. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdio.h>
#include <stdlib.h>

#include "pages/pages.h"
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

static void add_row(HWND lv, HINSTANCE h, int row, UINT label, wchar_t *value)
{
    wchar_t *name = sp_load(h, label);
    const wchar_t *cells[2] = {name, value};
    sp_listview_add(lv, row, -1, cells, 2);
    free(name);
    free(value);
}

static void fill_server(sp_page *p)
{
    static const UINT cols[] = {IDS_WELCOME_COL_PROP, IDS_WELCOME_COL_VALUE};
    static const int widths[] = {30, 70};
    const sp_sysinfo *info = &p->host->session->info;
    HINSTANCE h = p->host->hinst;
    HWND lv = GetDlgItem(p->hwnd, IDC_WELCOME_SERVER);
    wchar_t num[96], *args[2];
    int row = 0;

    sp_listview_columns(lv, h, cols, widths, 2);
    add_row(lv, h, row++, IDS_WELCOME_PROP_COMPUTER, sp_wide(info->os.computer));
    add_row(lv, h, row++, IDS_WELCOME_PROP_PRODUCT, sp_wide(info->product_name));
    _snwprintf(num, 96, L"%u.%u.%u", info->os.major, info->os.minor, info->os.build);
    num[95] = 0;
    args[0] = num;
    args[1] = info->os.csd[0] ? sp_wide(info->os.csd) : sp_load(h, IDS_WELCOME_SP_NONE);
    add_row(lv, h, row++, IDS_WELCOME_PROP_VERSION,
            sp_format(h, IDS_WELCOME_VERSION_FMT, 2, (const wchar_t *const *)args));
    free(args[1]);
    _snwprintf(num, 96, L"%d", info->bits);
    add_row(lv, h, row++, IDS_WELCOME_PROP_ARCH, sp_format1(h, IDS_WELCOME_BITS, num));
    add_row(lv, h, row++, IDS_WELCOME_PROP_EXE, sp_exe_description(h));
    if (info->is_dc)
        add_row(lv, h, row++, IDS_WELCOME_PROP_ROLE, sp_format_u8(h, IDS_WELCOME_ROLE_DC, info->os.domain, NULL));
    else if (info->os.domain[0])
        add_row(lv, h, row++, IDS_WELCOME_PROP_ROLE, sp_format_u8(h, IDS_WELCOME_ROLE_MEMBER, info->os.domain, NULL));
    else
        add_row(lv, h, row++, IDS_WELCOME_PROP_ROLE, sp_load(h, IDS_WELCOME_ROLE_NONE));
    if (info->exchange != SP_EXCHANGE_NONE) {
        char ex[80];
        if (info->exchange_sp)
            snprintf(ex, sizeof ex, "%s SP%u", info->exchange_name, info->exchange_sp);
        else
            snprintf(ex, sizeof ex, "%s", info->exchange_name);
        add_row(lv, h, row++, IDS_WELCOME_PROP_EXCHANGE, sp_wide(ex));
    } else {
        add_row(lv, h, row++, IDS_WELCOME_PROP_EXCHANGE, sp_load(h, IDS_NONE));
    }
}

/* "Steps for this server: Backup, Updates, ... Does not apply here: Policy cleanup." */
static void fill_steps(sp_page *p)
{
    HINSTANCE h = p->host->hinst;
    unsigned applies = sp_sysinfo_applicable(&p->host->session->info);
    wchar_t yes[400] = L"", no[400] = L"", *a, *b, text[900];
    for (size_t i = 0; i < sp_step_count; i++) {
        wchar_t *name = sp_load(h, IDS_STEP_NAME((int)i));
        wchar_t *list = (applies >> i) & 1 ? yes : no;
        if (list[0])
            wcsncat(list, L", ", 400 - wcslen(list) - 1);
        wcsncat(list, name ? name : L"", 400 - wcslen(list) - 1);
        free(name);
    }
    a = sp_format1(h, IDS_WELCOME_STEPS, yes);
    b = no[0] ? sp_format1(h, IDS_WELCOME_NOT_APPLY, no) : NULL;
    _snwprintf(text, 900, L"%ls%ls%ls", a ? a : L"", b ? L" " : L"", b ? b : L"");
    text[899] = 0;
    SetDlgItemTextW(p->hwnd, IDC_WELCOME_STEPS, text);
    free(a);
    free(b);
}

static void on_init(sp_page *p)
{
    HINSTANCE h = p->host->hinst;
    SendDlgItemMessageW(p->hwnd, IDC_WELCOME_TITLE, WM_SETFONT,
                        (WPARAM)sp_title_font(p->host, p->hwnd), FALSE);
    sp_set_text(p->hwnd, IDC_WELCOME_TITLE, h, IDS_WELCOME_TITLE);
    if (p->host->session->info.product == SP_PRODUCT_CLIENT)
        sp_set_text(p->hwnd, IDC_WELCOME_INTRO, h, IDS_WELCOME_NOT_SERVER);
    else
        sp_set_text(p->hwnd, IDC_WELCOME_INTRO, h, IDS_WELCOME_INTRO);
    if (p->host->simulated)
        sp_set_text(p->hwnd, IDC_WELCOME_DEMO, h, IDS_WELCOME_DEMO);
    fill_server(p);
    fill_steps(p);
}

static INT_PTR CALLBACK welcome_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    sp_page *p = msg == WM_INITDIALOG ? sp_page_init(hwnd, lp) : sp_page_get(hwnd);
    (void)wp;
    if (!p)
        return FALSE;
    switch (msg) {
    case WM_INITDIALOG:
        on_init(p);
        return TRUE;
    case WM_NOTIFY:
        if (((NMHDR *)lp)->code == PSN_SETACTIVE) {
            p->active = 1;
            snprintf(p->host->session->state->page, sizeof p->host->session->state->page, "welcome");
            /* On a workstation the steps make no sense: stop here with the reason shown. */
            sp_page_buttons(p, p->host->session->info.product == SP_PRODUCT_CLIENT ? 0 : PSWIZB_NEXT);
            SetWindowLongPtrW(hwnd, DWLP_MSGRESULT, 0);
            return TRUE;
        }
        if (((NMHDR *)lp)->code == PSN_KILLACTIVE)
            p->active = 0;
        return FALSE;
    }
    return FALSE;
}

const sp_page_desc sp_page_welcome = {.id = "welcome", .template_id = IDD_WELCOME, .exterior = 1, .proc = welcome_proc};
