/* The win32 backend's processes: run a program with an argv, capture stdout+stderr, enforce a timeout. */
#include "core/sys/win32/win32_cmdline.h"
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long the loop sleeps on the process handle between looks at the pipe. Short enough
 * that a fast writer never waits long on a full pipe, long enough not to spin. */
#define POLL_MS 5
#define PIPE_SIZE (64u * 1024u)
/* CreateProcessW's limit on the command line, in UTF-16 units with the terminator. */
#define CMDLINE_MAX 32767

/* Inheritable handles leak into every child created while they are open, from any thread.
 * A second proc_run's child holding our pipe's write end would keep us from ever seeing
 * end-of-file, so creation is serialised from CreatePipe until the parent has closed its
 * copy. (PROC_THREAD_ATTRIBUTE_HANDLE_LIST would do this per child, but it is Vista's.) */
static volatile LONG spawn_lock_state; /* 0 none, 1 being made, 2 ready */
static CRITICAL_SECTION spawn_lock;

static void spawn_lock_enter(void)
{
    if (InterlockedCompareExchange(&spawn_lock_state, 1, 0) == 0) {
        InitializeCriticalSection(&spawn_lock);
        InterlockedExchange(&spawn_lock_state, 2);
    } else {
        while (InterlockedCompareExchange(&spawn_lock_state, 2, 2) != 2)
            Sleep(0);
    }
    EnterCriticalSection(&spawn_lock);
}

static void spawn_lock_leave(void)
{
    LeaveCriticalSection(&spawn_lock);
}

typedef struct {
    char *data;
    size_t len, cap;
} byte_buf;

/* The code page the child writes its output in: the output code page of its console. Each
 * child gets a console of its own (CREATE_NO_WINDOW), so that is not GetConsoleOutputCP() of
 * ours (a technician's "chcp 65001" changes only the console it was typed in) but what a new
 * console starts with: HKCU\Console's CodePage when it is set, else the OEM code page (850 on
 * a German or French server, 932 on a Japanese one). So "Ü" in a path survives. */
static UINT tool_code_page(void)
{
    HKEY key;
    DWORD cp = 0, size = sizeof cp, type = 0;
    if (RegOpenKeyExW(HKEY_CURRENT_USER, L"Console", 0, KEY_QUERY_VALUE, &key) == ERROR_SUCCESS) {
        if (RegQueryValueExW(key, L"CodePage", NULL, &type, (BYTE *)&cp, &size) != ERROR_SUCCESS ||
            type != REG_DWORD || !IsValidCodePage(cp))
            cp = 0;
        RegCloseKey(key);
    }
    return cp ? cp : GetOEMCP();
}

/* Reads what the pipe holds (avail bytes) into buf. */
static BOOL read_available(HANDLE rd, DWORD avail, byte_buf *buf)
{
    if (buf->cap - buf->len < avail) {
        size_t cap = buf->cap ? buf->cap : PIPE_SIZE;
        while (cap - buf->len < avail)
            cap *= 2;
        char *grown = realloc(buf->data, cap);
        if (!grown) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        buf->data = grown;
        buf->cap = cap;
    }
    DWORD got = 0;
    if (!ReadFile(rd, buf->data + buf->len, avail, &got, NULL))
        return FALSE;
    buf->len += got;
    return TRUE;
}

/* Starts the child with the pipe's write end as stdout and stderr and NUL as stdin (so that
 * a program asking for input reads end-of-file instead of waiting for ever). */
static sp_status spawn(sp_sys *sys, const char *program, const wchar_t *app, wchar_t *cmdline,
                       HANDLE *rd, PROCESS_INFORMATION *pi)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    STARTUPINFOW si;
    HANDLE wr = NULL, nul = NULL;
    sp_status st = SP_OK;
    *rd = NULL;
    spawn_lock_enter();
    if (!CreatePipe(rd, &wr, &sa, PIPE_SIZE)) {
        *rd = NULL;
        wr = NULL;
        st = w32_fail(sys, GetLastError(), "Could not create an output pipe for %s", program);
        goto done;
    }
    SetHandleInformation(*rd, HANDLE_FLAG_INHERIT, 0);
    nul = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING,
                      0, NULL);
    if (nul == INVALID_HANDLE_VALUE) {
        nul = NULL;
        st = w32_fail(sys, GetLastError(), "Could not open NUL as input for %s", program);
        goto done;
    }
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = nul;
    si.hStdOutput = wr;
    si.hStdError = wr;
    /* The application by full path (program_path): never looked up beside the exe or on PATH. */
    if (!CreateProcessW(app, cmdline, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL, NULL, &si, pi)) {
        memset(pi, 0, sizeof *pi);
        st = w32_fail(sys, GetLastError(), "Could not start %s", program);
    }
done:
    /* Our copy of the write end must go, or the pipe never reports end-of-file. */
    if (wr)
        CloseHandle(wr);
    if (nul)
        CloseHandle(nul);
    spawn_lock_leave();
    if (st != SP_OK && *rd) {
        CloseHandle(*rd);
        *rd = NULL;
    }
    if (pi->hThread) {
        CloseHandle(pi->hThread);
        pi->hThread = NULL;
    }
    return st;
}

/* After the child has exited, reads what it left in the pipe, and no more: a grandchild that
 * inherited the pipe and keeps writing must not keep us here. Everything the child wrote is
 * already in the pipe, since a writer blocks while the pipe is full. */
static sp_status final_drain(sp_sys *sys, const char *program, HANDLE rd, byte_buf *buf)
{
    DWORD left = 0;
    if (!PeekNamedPipe(rd, NULL, 0, NULL, &left, NULL))
        return SP_OK; /* broken: every writer is gone and nothing is left */
    while (left > 0) {
        size_t before = buf->len;
        if (!read_available(rd, left, buf))
            return w32_fail(sys, GetLastError(), "Could not read the output of %s", program);
        DWORD got = (DWORD)(buf->len - before);
        if (got == 0)
            break;
        left -= got < left ? got : left;
    }
    return SP_OK;
}

/* ---- Streaming: each line to a callback as it arrives ----------------------------------- */

typedef struct {
    sp_sys *sys;
    sp_line_cb cb;
    void *user;
    byte_buf pending; /* the start of a line whose end has not come yet */
    int stop;
    UINT cp; /* tool_code_page() */
} line_feed;

/* Hands over every complete line in feed->pending (all of it when final). */
static sp_status feed_lines(line_feed *f, int final)
{
    size_t start = 0;
    for (size_t i = 0; i <= f->pending.len && !f->stop; i++) {
        int at_end = i == f->pending.len;
        if (!(at_end ? final && i > start : f->pending.data[i] == '\n'))
            continue;
        size_t end = i;
        if (end > start && f->pending.data[end - 1] == '\r')
            end--;
        size_t ulen = 0;
        char *u = w32_cp_to_utf8(f->cp, f->pending.data + start, end - start, &ulen);
        if (!u)
            return w32_nomem(f->sys, "convert the output of a program");
        if (f->cb && f->cb(f->user, u))
            f->stop = 1;
        free(u);
        start = i + 1;
    }
    if (start > f->pending.len)
        start = f->pending.len;
    memmove(f->pending.data, f->pending.data + start, f->pending.len - start);
    f->pending.len -= start;
    return SP_OK;
}

/* ---- One run: command line, child, pipe loop, exit code ---------------------------------- */

/* Reads the pipe on this thread until the child exits. PeekNamedPipe keeps the loop from ever
 * blocking in ReadFile, so a child that fills the pipe is drained as it writes, and the
 * timeout is checked however busy the pipe is. Without a feed the output collects in buf; with
 * one it collects in feed->pending, each line is handed over as it comes, and the loop keeps
 * looking at cancel (and the feed's stop) while it waits. */
static sp_status pump(sp_sys *sys, const char *program, HANDLE rd, HANDLE process,
                      unsigned timeout_ms, volatile long *cancel, byte_buf *buf, line_feed *feed)
{
    DWORD start = GetTickCount();
    int pipe_closed = 0;
    sp_status st;
    if (feed)
        buf = &feed->pending;
    for (;;) {
        DWORD avail = 0;
        if (!pipe_closed && !PeekNamedPipe(rd, NULL, 0, NULL, &avail, NULL)) {
            DWORD err = GetLastError();
            if (err != ERROR_BROKEN_PIPE)
                return w32_fail(sys, err, "Could not read the output of %s", program);
            pipe_closed = 1; /* every writer is gone; only the exit is left to wait for */
        }
        if (avail > 0) {
            if (!read_available(rd, avail, buf))
                return w32_fail(sys, GetLastError(), "Could not read the output of %s", program);
            if (feed && (st = feed_lines(feed, 0)) != SP_OK)
                return st;
        }
        if ((feed && feed->stop) || (cancel && *cancel))
            return sp_sys_fail(sys, SP_ERR_CANCELLED, "%s was stopped.", program);
        DWORD wait = INFINITE;
        if (timeout_ms) {
            DWORD elapsed = GetTickCount() - start; /* unsigned: right across the 49-day wrap */
            if (elapsed >= timeout_ms)
                return sp_sys_fail(sys, SP_ERR_TIMEOUT,
                                   "%s did not finish within %u ms and was stopped.", program,
                                   timeout_ms);
            wait = timeout_ms - elapsed;
        }
        if (avail > 0)
            wait = 0; /* more may be waiting: look again at once */
        else if ((feed || cancel || !pipe_closed) && wait > POLL_MS)
            wait = POLL_MS;
        DWORD w = WaitForSingleObject(process, wait);
        if (w == WAIT_OBJECT_0) {
            if ((st = final_drain(sys, program, rd, buf)) != SP_OK)
                return st;
            return feed ? feed_lines(feed, 1) : SP_OK;
        }
        if (w == WAIT_FAILED)
            return w32_fail(sys, GetLastError(), "Could not wait for %s", program);
    }
}

/* argv as the UTF-16 command line CreateProcessW takes (heap), within its length limit. */
static sp_status command_line(sp_sys *sys, const char *const *argv, wchar_t **out)
{
    const char *program = argv[0];
    size_t wlen = 0;
    sp_status st = SP_OK;
    char *line = sp_win32_cmdline_build(argv);
    *out = NULL;
    if (!line)
        return strchr(program, '"')
                   ? sp_sys_fail(sys, SP_ERR_INVALID, "Could not run %s: a program name cannot contain a quote.", program)
                   : w32_nomem(sys, "build a command line");
    *out = w32_wide_n(line, strlen(line), &wlen);
    free(line);
    if (!*out)
        return w32_nomem(sys, "build a command line");
    if (wlen >= CMDLINE_MAX) {
        st = sp_sys_fail(sys, SP_ERR_INVALID, "Could not run %s: the command line is too long.",
                         program);
        free(*out);
        *out = NULL;
    }
    return st;
}

/* The program's full path in UTF-8 (heap): a bare name ("w32tm", "wbadmin.exe") is a program
 * of the system folder, a path is taken as given. CreateProcess would look for a bare name in
 * the exe's folder and the current folder first, where anybody may have put a w32tm.exe that
 * would then run as the domain administrator. */
static sp_status program_path(sp_sys *sys, const char *program, char **out)
{
    wchar_t *wname, full[MAX_PATH];
    char name[300];
    size_t n = strlen(program);
    *out = NULL;
    if (strpbrk(program, "\\/:")) {
        if (!(*out = malloc(n + 1)))
            return w32_nomem(sys, "name a program");
        memcpy(*out, program, n + 1);
        return SP_OK;
    }
    if (n + 5 > sizeof name)
        return sp_sys_fail(sys, SP_ERR_INVALID, "Could not run %s: the name is too long.", program);
    snprintf(name, sizeof name, "%s%s", program, strchr(program, '.') ? "" : ".exe");
    if (!(wname = w32_wide(name)))
        return w32_nomem(sys, "name a program");
    if (!w32_system_file(wname, full, MAX_PATH)) {
        free(wname);
        return sp_sys_fail(sys, SP_ERR_INVALID,
                           "Could not run %s: the system folder's path is too long.", program);
    }
    free(wname);
    *out = w32_utf8(full);
    return *out ? SP_OK : w32_nomem(sys, "name a program");
}

/* The application's full path and the command line, argv[0] the full path there too: what the
 * child sees as its name is what ran. Both heap. */
static sp_status prepare(sp_sys *sys, const char *const *argv, wchar_t **wapp, wchar_t **wline)
{
    size_t argc = 0;
    const char **full_argv;
    char *path = NULL;
    sp_status st;
    *wapp = *wline = NULL;
    while (argv[argc])
        argc++;
    if ((st = program_path(sys, argv[0], &path)) != SP_OK)
        return st;
    if (!(full_argv = malloc((argc + 1) * sizeof *full_argv))) {
        free(path);
        return w32_nomem(sys, "build a command line");
    }
    memcpy(full_argv, argv, (argc + 1) * sizeof *full_argv);
    full_argv[0] = path;
    st = command_line(sys, full_argv, wline);
    free(full_argv);
    if (st == SP_OK && !(*wapp = w32_path(path))) {
        free(*wline);
        *wline = NULL;
        st = w32_nomem(sys, "build a command line");
    }
    free(path);
    return st;
}

/* Runs argv to its end, its output in buf or handed to feed line by line (see pump), and sets
 * *exit_code (may be NULL) when it finished. */
static sp_status run_child(sp_sys *sys, const char *const *argv, unsigned timeout_ms,
                           volatile long *cancel, byte_buf *buf, line_feed *feed, int *exit_code)
{
    const char *program;
    wchar_t *wline = NULL, *wapp = NULL;
    HANDLE rd = NULL;
    PROCESS_INFORMATION pi;
    sp_status st;
    memset(&pi, 0, sizeof pi);
    if (!argv || !argv[0] || !argv[0][0])
        return sp_sys_fail(sys, SP_ERR_INVALID, "Could not run a program: none was named.");
    program = argv[0];
    if ((st = prepare(sys, argv, &wapp, &wline)) != SP_OK)
        return st;
    st = spawn(sys, program, wapp, wline, &rd, &pi);
    free(wapp);
    free(wline);
    if (st != SP_OK)
        goto done;
    st = pump(sys, program, rd, pi.hProcess, timeout_ms, cancel, buf, feed);
    if (st != SP_OK) {
        /* Stopped, timed out or unreadable: never leave it running behind the caller's back. */
        TerminateProcess(pi.hProcess, 1);
        WaitForSingleObject(pi.hProcess, 5000);
        goto done;
    }
    DWORD code = 0;
    if (!GetExitCodeProcess(pi.hProcess, &code)) {
        st = w32_fail(sys, GetLastError(), "Could not read the exit code of %s", program);
        goto done;
    }
    if (exit_code)
        *exit_code = (int)code;
done:
    if (pi.hProcess)
        CloseHandle(pi.hProcess);
    if (rd)
        CloseHandle(rd);
    return st;
}

sp_status w32_proc_run(sp_sys *sys, const char *const *argv, unsigned timeout_ms, char **output,
                       size_t *output_len, int *exit_code)
{
    byte_buf buf = {0};
    if (output)
        *output = NULL;
    if (output_len)
        *output_len = 0;
    if (exit_code)
        *exit_code = -1;
    sp_status st = run_child(sys, argv, timeout_ms, NULL, &buf, NULL, exit_code);
    if (st == SP_OK && (output || output_len)) {
        /* Console programs (wbadmin, w32tm, netsh, sc) write in their console's code page. */
        size_t ulen = 0;
        char *u = w32_cp_to_utf8(tool_code_page(), buf.data ? buf.data : "", buf.len, &ulen);
        if (!u) {
            st = w32_nomem(sys, "convert the output of a program");
        } else {
            if (output)
                *output = u;
            else
                free(u);
            if (output_len)
                *output_len = ulen;
        }
    }
    free(buf.data);
    return st;
}

sp_status w32_proc_run_lines(sp_sys *sys, const char *const *argv, unsigned timeout_ms,
                             sp_line_cb cb, void *user, volatile long *cancel, int *exit_code)
{
    line_feed feed = {sys, cb, user, {0}, 0, tool_code_page()};
    if (exit_code)
        *exit_code = -1;
    sp_status st = run_child(sys, argv, timeout_ms, cancel, NULL, &feed, exit_code);
    free(feed.pending.data);
    return st;
}
