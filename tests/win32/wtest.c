/* The runner behind wtest.h: registration, one line per test, the summary line, crash reports. */
#include "tests/win32/wtest.h"

#include <windows.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WTEST_MAX 1024

typedef struct {
    const char *name;
    wtest_fn fn;
    const char *file;
    int line;
} wtest_case;

static wtest_case cases[WTEST_MAX];
static int case_count;
static const char *current; /* the running test's name, for failures and crashes */
static int current_failed;

void wtest_register(const char *name, wtest_fn fn, const char *file, int line)
{
    if (case_count < WTEST_MAX)
        cases[case_count++] = (wtest_case){name, fn, file, line};
    else
        fprintf(stderr, "wtest: more than %d tests; %s is not run\n", WTEST_MAX, name);
}

const char *wtest_str_or_null(const char *s)
{
    return s ? s : "(null)";
}

int wtest_failed(void)
{
    return current_failed;
}

void wtest_failf(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* One "not ok" line per test; a helper's later failures in the same test become notes. */
    if (!current_failed)
        printf("not ok - %s: %s:%d: ", current ? current : "?", file, line);
    else
        printf("# also: %s:%d: ", file, line);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
    current_failed = 1;
}

void wtest_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("# ");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
}

/* A crash must name the test it happened in; then the process dies with no summary line. */
static LONG WINAPI on_crash(EXCEPTION_POINTERS *info)
{
    printf("not ok - %s: crashed with exception 0x%08lX\n", current ? current : "(outside a test)",
           (unsigned long)info->ExceptionRecord->ExceptionCode);
    fflush(stdout);
    return EXCEPTION_EXECUTE_HANDLER;
}

/* Constructors run in no promised order; run the tests in the order of the source. */
static int by_position(const void *a, const void *b)
{
    const wtest_case *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* The name filter from the command line, in UTF-8 like the names. */
static char *filter_from(int argc, wchar_t **argv)
{
    if (argc < 2)
        return NULL;
    int n = WideCharToMultiByte(CP_UTF8, 0, argv[1], -1, NULL, 0, NULL, NULL);
    char *s = n > 0 ? malloc((size_t)n) : NULL;
    if (s)
        WideCharToMultiByte(CP_UTF8, 0, argv[1], -1, s, n, NULL, NULL);
    return s;
}

int wtest_main(int argc, wchar_t **argv)
{
    int passed = 0, failed = 0;
    char *filter = filter_from(argc, argv);
    /* No error dialogs: nobody is there to click them away. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    SetUnhandledExceptionFilter(on_crash);
    qsort(cases, (size_t)case_count, sizeof cases[0], by_position);
    for (int i = 0; i < case_count; i++) {
        if (filter && !strstr(cases[i].name, filter))
            continue;
        current = cases[i].name;
        current_failed = 0;
        cases[i].fn();
        if (current_failed) {
            failed++;
        } else {
            passed++;
            printf("ok - %s\n", current);
            fflush(stdout);
        }
    }
    current = NULL;
    printf("%d passed, %d failed\n", passed, failed);
    fflush(stdout);
    free(filter);
    return failed == 0 ? 0 : 1;
}
