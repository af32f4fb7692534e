/* The win32 backend's Windows Update Agent (WUA COM, C interface): search, download, install. */
#define COBJMACROS
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <ole2.h>
#include <oleauto.h>
/* mingw has no import library with the WUA GUIDs: this file, and only this one, defines them. */
#include <initguid.h>
#include <wuapi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Microsoft.Update.UpdateColl, which mingw's wuapi.h does not declare. */
DEFINE_GUID(SP_CLSID_UpdateCollection, 0x13639463, 0x00db, 0x4646, 0x80, 0x3d, 0x52, 0x80, 0x26, 0x14,
            0x0d, 0x88);

/* The categories Windows Update files updates under (stable across every agent version). */
static const wchar_t cat_critical[] = L"e6cf1350-c01b-414d-a61f-263d14d133b4";
static const wchar_t cat_security[] = L"0fa1201d-4330-4fa8-8ae9-b877473b6441";
static const wchar_t cat_service_packs[] = L"68c5b0a3-d1a6-4553-ae49-01d3a7827828";
/* The Microsoft Update service (Windows and the other Microsoft products). */
static const wchar_t wua_mu_service[] = L"7971f918-a847-4430-9279-4a52d1efe18d";

#define RELEASE(x, kind)                                                                           \
    do {                                                                                           \
        if (x)                                                                                     \
            kind##_Release(x);                                                                     \
        (x) = NULL;                                                                                \
    } while (0)

typedef struct {
    int com_inited;
    IUpdateSession *session;
} wua_ctx;

static sp_status wua_hr_fail(sp_sys *sys, HRESULT hr, uint32_t *out, const char *call)
{
    if (out)
        *out = (uint32_t)hr;
    return sp_sys_fail(sys, SP_ERR_IO, "%s failed (0x%08lX)", call, (unsigned long)(ULONG)hr);
}

static sp_status wua_open(sp_sys *sys, wua_ctx *c, uint32_t *hresult)
{
    HRESULT hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    BSTR app;
    memset(c, 0, sizeof *c);
    /* A thread already in the multithreaded apartment may use the agent as it is. */
    if (SUCCEEDED(hr))
        c->com_inited = 1;
    else if (hr != RPC_E_CHANGED_MODE)
        return wua_hr_fail(sys, hr, hresult, "CoInitializeEx");
    hr = CoCreateInstance(&CLSID_UpdateSession, NULL, CLSCTX_INPROC_SERVER, &IID_IUpdateSession,
                          (void **)&c->session);
    if (FAILED(hr)) {
        if (c->com_inited)
            CoUninitialize();
        c->com_inited = 0;
        return wua_hr_fail(sys, hr, hresult, "CoCreateInstance(UpdateSession)");
    }
    if ((app = SysAllocString(L"SourcePrep")) != NULL) {
        IUpdateSession_put_ClientApplicationID(c->session, app);
        SysFreeString(app);
    }
    return SP_OK;
}

static void wua_close(wua_ctx *c)
{
    RELEASE(c->session, IUpdateSession);
    if (c->com_inited)
        CoUninitialize();
    c->com_inited = 0;
}

/* Points the searcher at source: the configured one (WSUS when the policy names one), Windows
 * Update, or Microsoft Update by its service id (registered when the administrator opted in). */
static sp_status wua_select(sp_sys *sys, IUpdateSearcher *searcher, sp_wua_source source,
                            uint32_t *hresult)
{
    HRESULT hr = S_OK;
    BSTR id;
    if (source == SP_WUA_CONFIGURED)
        return SP_OK;
    if (source == SP_WUA_WINDOWS_UPDATE) {
        if (FAILED(hr = IUpdateSearcher_put_ServerSelection(searcher, ssWindowsUpdate)))
            return wua_hr_fail(sys, hr, hresult, "IUpdateSearcher::put_ServerSelection(ssWindowsUpdate)");
        return SP_OK;
    }
    if (FAILED(hr = IUpdateSearcher_put_ServerSelection(searcher, ssOthers)))
        return wua_hr_fail(sys, hr, hresult, "IUpdateSearcher::put_ServerSelection(ssOthers)");
    if (!(id = SysAllocString(wua_mu_service)))
        return w32_nomem(sys, "search Microsoft Update");
    hr = IUpdateSearcher_put_ServiceID(searcher, id);
    SysFreeString(id);
    if (FAILED(hr))
        return wua_hr_fail(sys, hr, hresult, "IUpdateSearcher::put_ServiceID(Microsoft Update)");
    return SP_OK;
}

static sp_status wua_search_job(sp_sys *sys, IUpdateSearcher *searcher, BSTR criteria,
                                volatile long *cancel, ISearchResult **result, uint32_t *hresult);

/* Runs the search (asynchronously: cancel reaches the agent) and gives back what it found. */
static sp_status wua_find(sp_sys *sys, wua_ctx *c, sp_wua_source source, const char *criteria,
                          volatile long *cancel, IUpdateCollection **out, uint32_t *hresult)
{
    IUpdateSearcher *searcher = NULL;
    ISearchResult *result = NULL;
    OperationResultCode code = orcNotStarted;
    wchar_t *wcrit = w32_wide(criteria);
    BSTR bcrit = wcrit ? SysAllocString(wcrit) : NULL;
    HRESULT hr;
    sp_status st = SP_OK;
    *out = NULL;
    free(wcrit);
    if (!bcrit)
        return w32_nomem(sys, "search for updates");
    hr = IUpdateSession_CreateUpdateSearcher(c->session, &searcher);
    if (FAILED(hr))
        st = wua_hr_fail(sys, hr, hresult, "IUpdateSession::CreateUpdateSearcher");
    else if ((st = wua_select(sys, searcher, source, hresult)) != SP_OK)
        ;
    else if ((st = wua_search_job(sys, searcher, bcrit, cancel, &result, hresult)) != SP_OK)
        ;
    else if (SUCCEEDED(ISearchResult_get_ResultCode(result, &code)) && code != orcSucceeded &&
             code != orcSucceededWithErrors)
        st = sp_sys_fail(sys, SP_ERR_IO, "IUpdateSearcher::Search ended with result code %d", (int)code);
    else if (FAILED(hr = ISearchResult_get_Updates(result, out)))
        st = wua_hr_fail(sys, hr, hresult, "ISearchResult::get_Updates");
    SysFreeString(bcrit);
    RELEASE(result, ISearchResult);
    RELEASE(searcher, IUpdateSearcher);
    return st;
}

static char *wua_bstr_utf8(BSTR b)
{
    char *s = w32_utf8(b ? b : L"");
    SysFreeString(b);
    return s;
}

static char *wua_update_id(IUpdate *u)
{
    IUpdateIdentity *ident = NULL;
    BSTR b = NULL;
    if (FAILED(IUpdate_get_Identity(u, &ident)) || !ident)
        return w32_utf8(L"");
    IUpdateIdentity_get_UpdateID(ident, &b);
    IUpdateIdentity_Release(ident);
    return wua_bstr_utf8(b);
}

static char *wua_update_title(IUpdate *u)
{
    BSTR b = NULL;
    IUpdate_get_Title(u, &b);
    return wua_bstr_utf8(b);
}

/* The first KB article it names, as "KB123456". */
static void wua_update_kb(IUpdate *u, char *out, size_t outlen)
{
    IStringCollection *kbs = NULL;
    LONG n = 0;
    BSTR b = NULL;
    out[0] = '\0';
    if (FAILED(IUpdate_get_KBArticleIDs(u, &kbs)) || !kbs)
        return;
    if (SUCCEEDED(IStringCollection_get_Count(kbs, &n)) && n > 0 &&
        SUCCEEDED(IStringCollection_get_Item(kbs, 0, &b)) && b) {
        char *s = w32_utf8(b);
        if (s)
            snprintf(out, outlen, "KB%s", s);
        free(s);
        SysFreeString(b);
    }
    IStringCollection_Release(kbs);
}

static sp_update_class wua_update_class(IUpdate *u)
{
    ICategoryCollection *cats = NULL;
    sp_update_class cls = SP_UPDATE_OTHER;
    LONG n = 0;
    if (FAILED(IUpdate_get_Categories(u, &cats)) || !cats)
        return cls;
    if (SUCCEEDED(ICategoryCollection_get_Count(cats, &n)))
        for (LONG i = 0; i < n; i++) {
            ICategory *cat = NULL;
            BSTR id = NULL;
            if (FAILED(ICategoryCollection_get_Item(cats, i, &cat)) || !cat)
                continue;
            if (SUCCEEDED(ICategory_get_CategoryID(cat, &id)) && id) {
                if (_wcsicmp(id, cat_critical) == 0 || _wcsicmp(id, cat_service_packs) == 0)
                    cls = SP_UPDATE_CRITICAL;
                else if (_wcsicmp(id, cat_security) == 0 && cls == SP_UPDATE_OTHER)
                    cls = SP_UPDATE_SECURITY;
                SysFreeString(id);
            }
            ICategory_Release(cat);
        }
    ICategoryCollection_Release(cats);
    return cls;
}

static int wua_update_may_reboot(IUpdate *u)
{
    IInstallationBehavior *b = NULL;
    InstallationRebootBehavior rb = irbNeverReboots;
    if (SUCCEEDED(IUpdate_get_InstallationBehavior(u, &b)) && b) {
        IInstallationBehavior_get_RebootBehavior(b, &rb);
        IInstallationBehavior_Release(b);
    }
    return rb != irbNeverReboots;
}

sp_status w32_wua_search(sp_sys *sys, sp_wua_source source, const char *criteria, sp_update_cb cb,
                         void *user, volatile long *cancel, uint32_t *hresult)
{
    wua_ctx c;
    IUpdateCollection *coll = NULL;
    LONG n = 0;
    sp_status st;
    if (hresult)
        *hresult = 0;
    if (!criteria || !cb)
        return sp_sys_fail(sys, SP_ERR_INVALID, "wua_search: missing criteria or callback");
    if ((st = wua_open(sys, &c, hresult)) != SP_OK)
        return st;
    st = wua_find(sys, &c, source, criteria, cancel, &coll, hresult);
    if (st == SP_OK)
        IUpdateCollection_get_Count(coll, &n);
    for (LONG i = 0; st == SP_OK && i < n; i++) {
        IUpdate *u = NULL;
        char *id, *title, kb[32];
        DECIMAL size;
        sp_update up;
        int stop;
        if (FAILED(IUpdateCollection_get_Item(coll, i, &u)) || !u)
            continue;
        id = wua_update_id(u);
        title = wua_update_title(u);
        wua_update_kb(u, kb, sizeof kb);
        memset(&size, 0, sizeof size);
        IUpdate_get_MaxDownloadSize(u, &size);
        up.id = id ? id : "";
        up.title = title ? title : "";
        up.kb = kb;
        up.cls = wua_update_class(u);
        up.size = size.Hi32 ? 0 : (uint64_t)size.Lo64;
        up.may_reboot = wua_update_may_reboot(u);
        stop = cb(user, &up);
        free(id);
        free(title);
        IUpdate_Release(u);
        if (stop)
            break;
    }
    RELEASE(coll, IUpdateCollection);
    wua_close(&c);
    return st;
}

/* ---- Asynchronous search, download and installation, so Cancel reaches the agent -------- */

/* The callbacks BeginSearch, BeginDownload and BeginInstall take. The agent calls Invoke(job,
 * args) on progress and on completion; one small object serves the five interfaces (the same
 * shape). */
DEFINE_GUID(SP_IID_ISearchCompletedCallback, 0x88aee058, 0xd4b0, 0x4725, 0xa2, 0xf1, 0x81, 0x4a, 0x67,
            0xae, 0x96, 0x4c);
DEFINE_GUID(SP_IID_IDownloadProgressChangedCallback, 0x8c3f1cdd, 0x6173, 0x4591, 0xae, 0xbd, 0xa5,
            0x6a, 0x53, 0xca, 0x77, 0xc1);
DEFINE_GUID(SP_IID_IDownloadCompletedCallback, 0x77254866, 0x9f5b, 0x4c8e, 0xb9, 0xe2, 0xc7, 0x7a,
            0x85, 0x30, 0xd6, 0x4b);
DEFINE_GUID(SP_IID_IInstallationProgressChangedCallback, 0xe01402d5, 0xf8da, 0x43ba, 0xa0, 0x12, 0x38,
            0x89, 0x4b, 0xd0, 0x48, 0xf1);
DEFINE_GUID(SP_IID_IInstallationCompletedCallback, 0x45f4f6f3, 0xd602, 0x4f98, 0x9a, 0x8a, 0x3e, 0xfa,
            0x15, 0x2a, 0xd2, 0xd3);

typedef struct wua_cb wua_cb;
typedef struct {
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(wua_cb *self, REFIID riid, void **out);
    ULONG(STDMETHODCALLTYPE *AddRef)(wua_cb *self);
    ULONG(STDMETHODCALLTYPE *Release)(wua_cb *self);
    HRESULT(STDMETHODCALLTYPE *Invoke)(wua_cb *self, IUnknown *job, IUnknown *args);
} wua_cb_vtbl;
struct wua_cb {
    const wua_cb_vtbl *vtbl;
    LONG refs;
    const IID *iid;
    HANDLE done; /* set when the job completes (NULL for a progress callback) */
};

static ULONG STDMETHODCALLTYPE wua_cb_addref(wua_cb *self)
{
    return (ULONG)InterlockedIncrement(&self->refs);
}

static ULONG STDMETHODCALLTYPE wua_cb_release(wua_cb *self)
{
    LONG n = InterlockedDecrement(&self->refs);
    if (n == 0) {
        if (self->done)
            CloseHandle(self->done);
        free(self);
    }
    return (ULONG)n;
}

static HRESULT STDMETHODCALLTYPE wua_cb_qi(wua_cb *self, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, self->iid)) {
        wua_cb_addref(self);
        *out = self;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static HRESULT STDMETHODCALLTYPE wua_cb_invoke(wua_cb *self, IUnknown *job, IUnknown *args)
{
    (void)job, (void)args;
    if (self->done)
        SetEvent(self->done);
    return S_OK;
}

static const wua_cb_vtbl wua_cb_methods = {wua_cb_qi, wua_cb_addref, wua_cb_release, wua_cb_invoke};

static wua_cb *wua_cb_new(const IID *iid, int completion)
{
    wua_cb *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->vtbl = &wua_cb_methods;
    c->refs = 1;
    c->iid = iid;
    if (completion && !(c->done = CreateEventW(NULL, TRUE, FALSE, NULL))) {
        free(c);
        return NULL;
    }
    return c;
}

/* How long the agent may take to stop after RequestAbort before the wizard stops waiting. */
#define WUA_ABORT_WAIT_MS 30000u
#define WUA_POLL_MS 250u

/* A job in hand: a search, a download or an installation, and the progress it reports. */
typedef struct {
    ISearchJob *search;
    IDownloadJob *dl;
    IInstallationJob *inst;
    sp_update_progress_cb progress;
    void *user;
    size_t index, count;
    const char *title;
} wua_job;

static int wua_job_completed(const wua_job *j)
{
    VARIANT_BOOL done = VARIANT_FALSE;
    HRESULT hr = j->search ? ISearchJob_get_IsCompleted(j->search, &done)
                 : j->dl   ? IDownloadJob_get_IsCompleted(j->dl, &done)
                           : IInstallationJob_get_IsCompleted(j->inst, &done);
    return SUCCEEDED(hr) && done != VARIANT_FALSE;
}

/* Download is the first half of an update's share of the bar, installation the second. */
static void wua_job_progress(const wua_job *j)
{
    LONG pct = 0;
    unsigned base;
    if (!j->progress || !j->count || j->search)
        return;
    if (j->dl) {
        IDownloadProgress *p = NULL;
        if (SUCCEEDED(IDownloadJob_GetProgress(j->dl, &p)) && p) {
            IDownloadProgress_get_PercentComplete(p, &pct);
            IDownloadProgress_Release(p);
        }
    } else {
        IInstallationProgress *p = NULL;
        if (SUCCEEDED(IInstallationJob_GetProgress(j->inst, &p)) && p) {
            IInstallationProgress_get_PercentComplete(p, &pct);
            IInstallationProgress_Release(p);
        }
    }
    if (pct < 0 || pct > 100)
        pct = 0;
    base = (unsigned)(j->index * 1000 / j->count);
    j->progress(j->user, base + (unsigned)(((j->dl ? 0 : 50) + pct / 2) * 10 / j->count), j->title);
}

/* Waits for the job: pumps this apartment's messages (the agent calls back through them),
 * polls cancel, and once it has asked the job to abort waits at most WUA_ABORT_WAIT_MS. */
static sp_status wua_job_wait(sp_sys *sys, const wua_job *j, HANDLE done, volatile long *cancel,
                              const char *what)
{
    DWORD abort_at = 0;
    int aborting = 0;
    for (;;) {
        MSG msg;
        if (wua_job_completed(j))
            return aborting ? sp_sys_fail(sys, SP_ERR_CANCELLED, "%s cancelled", what) : SP_OK;
        if (!aborting && cancel && *cancel) {
            if (j->search)
                ISearchJob_RequestAbort(j->search);
            else if (j->dl)
                IDownloadJob_RequestAbort(j->dl);
            else
                IInstallationJob_RequestAbort(j->inst);
            aborting = 1;
            abort_at = GetTickCount();
        }
        if (aborting && GetTickCount() - abort_at > WUA_ABORT_WAIT_MS)
            return sp_sys_fail(sys, SP_ERR_CANCELLED,
                               "%s cancelled; the Windows Update Agent did not stop within %u s and may "
                               "finish it in the background",
                               what, WUA_ABORT_WAIT_MS / 1000);
        wua_job_progress(j);
        MsgWaitForMultipleObjects(1, &done, FALSE, WUA_POLL_MS, QS_ALLINPUT);
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
}

/* Searches with BeginSearch, waiting as wua_job_wait does: Cancel asks the agent to abort the
 * search, and the wizard waits for it WUA_ABORT_WAIT_MS at most. */
static sp_status wua_search_job(sp_sys *sys, IUpdateSearcher *searcher, BSTR criteria,
                                volatile long *cancel, ISearchResult **result, uint32_t *hresult)
{
    wua_cb *done = wua_cb_new(&SP_IID_ISearchCompletedCallback, 1);
    wua_job j;
    VARIANT state;
    HRESULT hr;
    sp_status st;
    memset(&j, 0, sizeof j);
    VariantInit(&state);
    *result = NULL;
    if (!done)
        return w32_nomem(sys, "search for updates");
    if (FAILED(hr = IUpdateSearcher_BeginSearch(searcher, criteria, (IUnknown *)done, state, &j.search)))
        st = wua_hr_fail(sys, hr, hresult, "IUpdateSearcher::BeginSearch");
    else if ((st = wua_job_wait(sys, &j, done->done, cancel, "search")) == SP_OK || wua_job_completed(&j)) {
        sp_status end = SP_OK;
        if (FAILED(hr = IUpdateSearcher_EndSearch(searcher, j.search, result)))
            end = wua_hr_fail(sys, hr, hresult, "IUpdateSearcher::EndSearch");
        st = st == SP_OK ? end : st;
    }
    RELEASE(j.search, ISearchJob);
    wua_cb_release(done);
    return st;
}

/* Downloads the one update in `one` with BeginDownload, waiting as wua_job_wait does. */
static sp_status wua_download(sp_sys *sys, wua_ctx *c, IUpdateCollection *one, wua_job *j,
                              volatile long *cancel, IDownloadResult **dres, uint32_t *hresult)
{
    IUpdateDownloader *dl = NULL;
    wua_cb *prog = wua_cb_new(&SP_IID_IDownloadProgressChangedCallback, 0);
    wua_cb *done = wua_cb_new(&SP_IID_IDownloadCompletedCallback, 1);
    VARIANT state;
    HRESULT hr;
    sp_status st = SP_OK;
    VariantInit(&state);
    *dres = NULL;
    if (!prog || !done)
        st = w32_nomem(sys, "download an update");
    else if (FAILED(hr = IUpdateSession_CreateUpdateDownloader(c->session, &dl)))
        st = wua_hr_fail(sys, hr, hresult, "IUpdateSession::CreateUpdateDownloader");
    else if (FAILED(hr = IUpdateDownloader_put_Updates(dl, one)))
        st = wua_hr_fail(sys, hr, hresult, "IUpdateDownloader::put_Updates");
    else if (FAILED(hr = IUpdateDownloader_BeginDownload(dl, (IUnknown *)prog, (IUnknown *)done, state,
                                                         &j->dl)))
        st = wua_hr_fail(sys, hr, hresult, "IUpdateDownloader::BeginDownload");
    else if ((st = wua_job_wait(sys, j, done->done, cancel, "download")) == SP_OK ||
             wua_job_completed(j)) {
        sp_status end = SP_OK;
        if (FAILED(hr = IUpdateDownloader_EndDownload(dl, j->dl, dres)))
            end = wua_hr_fail(sys, hr, hresult, "IUpdateDownloader::EndDownload");
        st = st == SP_OK ? end : st;
    }
    RELEASE(j->dl, IDownloadJob);
    RELEASE(dl, IUpdateDownloader);
    if (prog)
        wua_cb_release(prog);
    if (done)
        wua_cb_release(done);
    return st;
}

/* Installs the one update in `one` with BeginInstall, waiting as wua_job_wait does. */
static sp_status wua_install_job(sp_sys *sys, wua_ctx *c, IUpdateCollection *one, wua_job *j,
                                 volatile long *cancel, IInstallationResult **ires, uint32_t *hresult)
{
    IUpdateInstaller *inst = NULL;
    wua_cb *prog = wua_cb_new(&SP_IID_IInstallationProgressChangedCallback, 0);
    wua_cb *done = wua_cb_new(&SP_IID_IInstallationCompletedCallback, 1);
    VARIANT state;
    HRESULT hr;
    sp_status st = SP_OK;
    VariantInit(&state);
    *ires = NULL;
    if (!prog || !done)
        st = w32_nomem(sys, "install an update");
    else if (FAILED(hr = IUpdateSession_CreateUpdateInstaller(c->session, &inst)))
        st = wua_hr_fail(sys, hr, hresult, "IUpdateSession::CreateUpdateInstaller");
    else if (FAILED(hr = IUpdateInstaller_put_Updates(inst, one)))
        st = wua_hr_fail(sys, hr, hresult, "IUpdateInstaller::put_Updates");
    else if (FAILED(hr = IUpdateInstaller_BeginInstall(inst, (IUnknown *)prog, (IUnknown *)done, state,
                                                       &j->inst)))
        st = wua_hr_fail(sys, hr, hresult, "IUpdateInstaller::BeginInstall");
    else if ((st = wua_job_wait(sys, j, done->done, cancel, "installation")) == SP_OK ||
             wua_job_completed(j)) {
        sp_status end = SP_OK;
        if (FAILED(hr = IUpdateInstaller_EndInstall(inst, j->inst, ires)))
            end = wua_hr_fail(sys, hr, hresult, "IUpdateInstaller::EndInstall");
        st = st == SP_OK ? end : st;
    }
    RELEASE(j->inst, IInstallationJob);
    RELEASE(inst, IUpdateInstaller);
    if (prog)
        wua_cb_release(prog);
    if (done)
        wua_cb_release(done);
    return st;
}

/* Downloads and installs one update. Going one by one lets progress be seen between updates;
 * the asynchronous calls let Cancel abort a download or an installation in the middle. */
static sp_status wua_install_one(sp_sys *sys, wua_ctx *c, IUpdate *u, wua_job *j, volatile long *cancel,
                                 sp_update_result *r, uint32_t *hresult)
{
    IUpdateCollection *one = NULL;
    IDownloadResult *dres = NULL;
    IInstallationResult *ires = NULL;
    IUpdateInstallationResult *ur = NULL;
    VARIANT_BOOL accepted = VARIANT_FALSE, reboot = VARIANT_FALSE;
    OperationResultCode code = orcNotStarted;
    LONG idx = 0, hr_code = 0;
    HRESULT hr;
    sp_status st = SP_OK;

    hr = CoCreateInstance(&SP_CLSID_UpdateCollection, NULL, CLSCTX_INPROC_SERVER, &IID_IUpdateCollection,
                          (void **)&one);
    if (FAILED(hr))
        return wua_hr_fail(sys, hr, hresult, "CoCreateInstance(UpdateCollection)");
    if (SUCCEEDED(IUpdate_get_EulaAccepted(u, &accepted)) && accepted == VARIANT_FALSE)
        IUpdate_AcceptEula(u); /* the administrator confirmed the installation on the page */
    if (FAILED(hr = IUpdateCollection_Add(one, u, &idx)))
        st = wua_hr_fail(sys, hr, hresult, "IUpdateCollection::Add");
    else if ((st = wua_download(sys, c, one, j, cancel, &dres, hresult)) != SP_OK)
        ;
    else if (SUCCEEDED(IDownloadResult_get_ResultCode(dres, &code)) && code != orcSucceeded &&
             code != orcSucceededWithErrors) {
        IDownloadResult_get_HResult(dres, &hr_code);
        r->result = (int)code;
        r->hresult = (uint32_t)hr_code;
    } else if ((st = wua_install_job(sys, c, one, j, cancel, &ires, hresult)) != SP_OK)
        ;
    else if (FAILED(hr = IInstallationResult_GetUpdateResult(ires, 0, &ur)))
        st = wua_hr_fail(sys, hr, hresult, "IInstallationResult::GetUpdateResult");
    else {
        IUpdateInstallationResult_get_ResultCode(ur, &code);
        IUpdateInstallationResult_get_HResult(ur, &hr_code);
        IUpdateInstallationResult_get_RebootRequired(ur, &reboot);
        r->result = (int)code;
        r->hresult = (uint32_t)hr_code;
        r->reboot_required = reboot != VARIANT_FALSE;
    }
    RELEASE(ur, IUpdateInstallationResult);
    RELEASE(ires, IInstallationResult);
    RELEASE(dres, IDownloadResult);
    RELEASE(one, IUpdateCollection);
    return st;
}

sp_status w32_wua_install(sp_sys *sys, sp_wua_source source, const char *const *ids, size_t count,
                          sp_update_progress_cb progress, sp_update_result_cb result, void *user,
                          volatile long *cancel, uint32_t *hresult)
{
    wua_ctx c;
    IUpdateCollection *coll = NULL;
    LONG n = 0;
    size_t done = 0;
    sp_status st;
    if (hresult)
        *hresult = 0;
    if (count && !ids)
        return sp_sys_fail(sys, SP_ERR_INVALID, "wua_install: no update ids");
    if ((st = wua_open(sys, &c, hresult)) != SP_OK)
        return st;
    /* The agent's objects live in its session: find the updates again by their ids. */
    st = wua_find(sys, &c, source, "IsInstalled=0 and Type='Software'", cancel, &coll, hresult);
    if (st == SP_OK)
        IUpdateCollection_get_Count(coll, &n);
    for (LONG i = 0; st == SP_OK && i < n && done < count; i++) {
        IUpdate *u = NULL;
        char *id, *title, kb[32];
        size_t k;
        if (FAILED(IUpdateCollection_get_Item(coll, i, &u)) || !u)
            continue;
        id = wua_update_id(u);
        for (k = 0; id && k < count; k++)
            if (ids[k] && strcmp(ids[k], id) == 0)
                break;
        if (!id || k == count) {
            free(id);
            IUpdate_Release(u);
            continue;
        }
        title = wua_update_title(u);
        wua_update_kb(u, kb, sizeof kb);
        if (cancel && *cancel) {
            st = sp_sys_fail(sys, SP_ERR_CANCELLED, "installation cancelled");
        } else {
            sp_update_result r = {id, title ? title : "", kb, orcNotStarted, 0, 0};
            wua_job j = {NULL, NULL, NULL, progress, user, done, count, r.title};
            if (progress)
                progress(user, (unsigned)(done * 1000 / count), r.title);
            st = wua_install_one(sys, &c, u, &j, cancel, &r, hresult);
            if (st == SP_OK && result)
                result(user, &r);
            done++;
        }
        free(id);
        free(title);
        IUpdate_Release(u);
    }
    if (st == SP_OK && progress)
        progress(user, 1000, "");
    RELEASE(coll, IUpdateCollection);
    wua_close(&c);
    return st;
}

/* Restarting needs SE_SHUTDOWN_NAME, which an administrator holds but has not enabled. */
static DWORD w32_enable_shutdown_privilege(void)
{
    HANDLE token = NULL;
    TOKEN_PRIVILEGES tp;
    DWORD err = ERROR_SUCCESS;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token))
        return GetLastError();
    memset(&tp, 0, sizeof tp);
    tp.PrivilegeCount = 1;
    tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
    if (!LookupPrivilegeValueW(NULL, SE_SHUTDOWN_NAME, &tp.Privileges[0].Luid))
        err = GetLastError();
    else if (!AdjustTokenPrivileges(token, FALSE, &tp, 0, NULL, NULL) ||
             (err = GetLastError()) == ERROR_NOT_ALL_ASSIGNED)
        err = err ? err : GetLastError();
    CloseHandle(token);
    return err == ERROR_SUCCESS ? 0 : err;
}

sp_status w32_restart(sp_sys *sys, const char *reason)
{
    wchar_t *msg = w32_wide(reason ? reason : "");
    DWORD err = w32_enable_shutdown_privilege();
    /* Planned, operating system: service pack or hotfix (SHTDN_REASON_FLAG_PLANNED | 0x20000 |
     * 0x10/0x12); Server 2003 records it in the shutdown event tracker. */
    DWORD why = 0x80000000u | 0x00020000u | 0x00000012u;
    BOOL ok;
    if (err) {
        free(msg);
        return w32_fail_as(sys, SP_ERR_ACCESS, err, "Could not enable the shutdown privilege");
    }
    ok = InitiateSystemShutdownExW(NULL, msg, 30, FALSE, TRUE, why);
    err = ok ? 0 : GetLastError();
    free(msg);
    if (!ok && !ExitWindowsEx(EWX_REBOOT, why))
        return w32_fail(sys, err, "Could not restart the server");
    return SP_OK;
}

sp_status w32_program_path(sp_sys *sys, char *out, size_t outlen)
{
    wchar_t path[MAX_PATH + 1];
    DWORD n = GetModuleFileNameW(NULL, path, MAX_PATH + 1);
    if (outlen)
        out[0] = '\0';
    if (n == 0 || n > MAX_PATH)
        return w32_fail(sys, n ? ERROR_INSUFFICIENT_BUFFER : GetLastError(),
                        "Could not read the path of this program");
    path[n] = 0;
    return w32_copy_out(sys, path, out, outlen, "program path");
}
