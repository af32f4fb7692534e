/* The reference for the start-up budget: the barest Wizard97 property sheet, one empty page. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

static INT_PTR CALLBACK page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)hwnd;
    (void)wp;
    (void)lp;
    return msg == WM_INITDIALOG;
}

/* A page template built in memory: no resources, nothing loaded but comctl32. */
static DLGTEMPLATE *empty_template(void)
{
    static WORD buf[64];
    DLGTEMPLATE *t = (DLGTEMPLATE *)buf;
    t->style = WS_CHILD | WS_DISABLED | WS_CAPTION | DS_SETFONT;
    t->cx = 317;
    t->cy = 143;
    WORD *w = (WORD *)(t + 1);
    *w++ = 0; /* menu */
    *w++ = 0; /* class */
    *w++ = 0; /* title */
    *w++ = 8; /* font size, then name */
    for (const wchar_t *c = L"MS Shell Dlg"; *c; c++)
        *w++ = *c;
    *w++ = 0;
    return t;
}

int WINAPI wWinMain(HINSTANCE hinst, HINSTANCE prev, LPWSTR cmd, int show)
{
    INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_WIN95_CLASSES};
    PROPSHEETPAGEW psp = {0};
    PROPSHEETHEADERW psh = {0};
    HPROPSHEETPAGE page;
    (void)prev;
    (void)cmd;
    (void)show;
    InitCommonControlsEx(&icc);
    psp.dwSize = sizeof psp;
    psp.dwFlags = PSP_DLGINDIRECT | PSP_USEHEADERTITLE;
    psp.hInstance = hinst;
    psp.pResource = empty_template();
    psp.pfnDlgProc = page_proc;
    psp.pszHeaderTitle = L"Bare";
    page = CreatePropertySheetPageW(&psp);
    psh.dwSize = sizeof psh;
    psh.dwFlags = PSH_WIZARD97;
    psh.hInstance = hinst;
    psh.pszCaption = L"Bare";
    psh.nPages = 1;
    psh.phpage = &page;
    return (int)PropertySheetW(&psh);
}
