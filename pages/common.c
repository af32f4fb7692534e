/* What every page shares: its context, the wizard buttons, list views, title font. */
#include <windows.h>
#include <commctrl.h>
#include <commdlg.h>
#include <prsht.h>

#include <stdlib.h>

#include "pages/pages.h"
#include "resources/resource.h"
#include "wizard/text.h"

sp_page *sp_page_init(HWND hwnd, LPARAM lparam)
{
    const PROPSHEETPAGEW *psp = (const PROPSHEETPAGEW *)lparam;
    sp_page *p = (sp_page *)psp->lParam;
    p->hwnd = hwnd;
    SetWindowLongPtrW(hwnd, DWLP_USER, (LONG_PTR)p);
    if (!p->app->sheet) {
        /* The first page made knows the frame: the sheet's callback has no context pointer. */
        p->app->sheet = GetParent(hwnd);
        SendMessageW(p->app->sheet, WM_SETICON, ICON_BIG, (LPARAM)p->app->icon);
        SendMessageW(p->app->sheet, WM_SETICON, ICON_SMALL, (LPARAM)p->app->icon);
    }
    return p;
}

sp_page *sp_page_get(HWND hwnd)
{
    return (sp_page *)GetWindowLongPtrW(hwnd, DWLP_USER);
}

void sp_page_buttons(sp_page *p, DWORD buttons)
{
    if (p->active)
        PropSheet_SetWizButtons(GetParent(p->hwnd), buttons);
}

void sp_listview_fit(HWND lv, const int *percent, int n)
{
    RECT r;
    int width;
    GetClientRect(lv, &r);
    width = r.right - GetSystemMetrics(SM_CXVSCROLL);
    for (int c = 0; c < n; c++)
        ListView_SetColumnWidth(lv, c, width * percent[c] / 100);
}

void sp_listview_columns(HWND lv, HINSTANCE hinst, const UINT *ids, const int *percent, int n)
{
    RECT rc;
    int width;
    GetClientRect(lv, &rc);
    width = rc.right - rc.left - GetSystemMetrics(SM_CXVSCROLL);
    ListView_SetExtendedListViewStyle(lv, LVS_EX_FULLROWSELECT | LVS_EX_INFOTIP | LVS_EX_LABELTIP);
    for (int i = 0; i < n; i++) {
        LVCOLUMNW col = {0};
        wchar_t *text = ids[i] ? sp_load(hinst, ids[i]) : NULL;
        col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM;
        col.pszText = text ? text : (LPWSTR)L"";
        col.cx = width * percent[i] / 100;
        col.iSubItem = i;
        ListView_InsertColumn(lv, i, &col);
        free(text);
    }
}

int sp_listview_add(HWND lv, int row, int image, const wchar_t *const *cells, int n)
{
    LVITEMW item = {0};
    item.mask = LVIF_TEXT | (image >= 0 ? LVIF_IMAGE : 0);
    item.iItem = row;
    item.iImage = image;
    item.pszText = (LPWSTR)(cells[0] ? cells[0] : L"");
    row = (int)SendMessageW(lv, LVM_INSERTITEMW, 0, (LPARAM)&item);
    for (int i = 1; row >= 0 && i < n; i++) {
        LVITEMW sub = {0};
        sub.iSubItem = i;
        sub.pszText = (LPWSTR)(cells[i] ? cells[i] : L"");
        SendMessageW(lv, LVM_SETITEMTEXTW, (WPARAM)row, (LPARAM)&sub);
    }
    return row;
}

HFONT sp_title_font(sp_app *app, HWND like)
{
    if (!app->title_font) {
        LOGFONTW lf;
        HFONT base = (HFONT)SendMessageW(like, WM_GETFONT, 0, 0);
        HDC dc = GetDC(like);
        GetObjectW(base ? (HGDIOBJ)base : GetStockObject(DEFAULT_GUI_FONT), sizeof lf, &lf);
        /* Wizard97 guidance: exterior page titles in a 12 point bold face. */
        lf.lfHeight = -MulDiv(12, GetDeviceCaps(dc, LOGPIXELSY), 72);
        lf.lfWeight = FW_BOLD;
        ReleaseDC(like, dc);
        app->title_font = CreateFontIndirectW(&lf);
    }
    return app->title_font;
}

HIMAGELIST sp_severity_images(sp_app *app)
{
    /* In the order of sp_severity: the system's own information, warning and error icons. */
    static const LPCWSTR icons[] = {IDI_INFORMATION, IDI_WARNING, IDI_ERROR};
    if (!app->severity_images) {
        int cx = GetSystemMetrics(SM_CXSMICON), cy = GetSystemMetrics(SM_CYSMICON);
        app->severity_images = ImageList_Create(cx, cy, ILC_COLOR32 | ILC_MASK, 3, 0);
        for (int i = 0; i < 3 && app->severity_images; i++) {
            HICON icon = LoadImageW(NULL, icons[i], IMAGE_ICON, cx, cy, LR_SHARED);
            ImageList_AddIcon(app->severity_images, icon);
        }
    }
    return app->severity_images;
}

char *sp_ask_save_path(sp_page *p, UINT filter_id, const wchar_t *name, const wchar_t *ext)
{
    wchar_t file[MAX_PATH] = L"";
    wchar_t *filter = sp_load(p->app->hinst, filter_id);
    OPENFILENAMEW ofn = {0};
    BOOL ok;
    if (name)
        lstrcpynW(file, name, MAX_PATH);
    for (wchar_t *c = filter; c && *c; c++)
        if (*c == L'|')
            *c = 0; /* string tables cannot hold the NULs a filter needs */
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = GetParent(p->hwnd);
    ofn.lpstrFilter = filter;
    ofn.lpstrFile = file;
    ofn.nMaxFile = MAX_PATH;
    ofn.lpstrDefExt = ext;
    ofn.Flags = OFN_OVERWRITEPROMPT | OFN_PATHMUSTEXIST | OFN_NOCHANGEDIR;
    ok = GetSaveFileNameW(&ofn);
    free(filter);
    return ok ? sp_utf8(file) : NULL;
}
