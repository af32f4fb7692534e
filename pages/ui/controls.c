/* Control helpers every page shares: list views, boxes, the save dialog, UTF-8 edit text, fonts. */
#include <windows.h>
#include <commctrl.h>
#include <commdlg.h>
#include <prsht.h>

#include <stdlib.h>

#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

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

HFONT sp_title_font(sp_page_host *app, HWND like)
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

HIMAGELIST sp_severity_images(sp_page_host *app)
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

char *sp_ask_save_path(HWND owner, HINSTANCE hinst, UINT filter_id, const wchar_t *name,
                       const wchar_t *ext)
{
    wchar_t file[MAX_PATH] = L"";
    wchar_t *filter = sp_load(hinst, filter_id);
    OPENFILENAMEW ofn = {0};
    BOOL ok;
    if (name)
        lstrcpynW(file, name, MAX_PATH);
    for (wchar_t *c = filter; c && *c; c++)
        if (*c == L'|')
            *c = 0; /* string tables cannot hold the NULs a filter needs */
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = owner;
    ofn.lpstrFilter = filter;
    ofn.lpstrFile = file;
    ofn.nMaxFile = MAX_PATH;
    ofn.lpstrDefExt = ext;
    ofn.Flags = OFN_OVERWRITEPROMPT | OFN_PATHMUSTEXIST | OFN_NOCHANGEDIR;
    ok = GetSaveFileNameW(&ofn);
    free(filter);
    return ok ? sp_utf8(file) : NULL;
}

BOOL sp_confirm(HWND owner, HINSTANCE hinst, const wchar_t *text)
{
    wchar_t *caption = sp_load(hinst, IDS_APP_TITLE);
    int answer = MessageBoxW(owner, text, caption, MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON2);
    free(caption);
    return answer == IDYES;
}

void sp_tell(HWND owner, HINSTANCE hinst, UINT type, const wchar_t *text)
{
    wchar_t *caption = sp_load(hinst, IDS_APP_TITLE);
    MessageBoxW(owner, text, caption, MB_OK | type);
    free(caption);
}

char *sp_get_text_u8(HWND dlg, int id)
{
    int n = GetWindowTextLengthW(GetDlgItem(dlg, id));
    wchar_t *w = calloc((size_t)n + 1, sizeof *w);
    char *s;
    if (!w)
        return NULL;
    GetDlgItemTextW(dlg, id, w, n + 1);
    s = sp_utf8(w);
    free(w);
    return s;
}

void sp_set_text_u8(HWND dlg, int id, const char *text)
{
    wchar_t *w = sp_wide(text ? text : "");
    SetDlgItemTextW(dlg, id, w ? w : L"");
    free(w);
}
