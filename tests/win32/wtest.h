/* A tiny test framework for the console test programs that run under Wine. */
#ifndef SP_WTEST_H
#define SP_WTEST_H

#include <stddef.h>
#include <string.h>

/* Usage:
 *
 *     #include "tests/win32/wtest.h"
 *
 *     WTEST(reg_get_should_return_notfound_for_a_missing_key)
 *     {
 *         WCHECK_EQ_INT(sys->ops->reg_get(...), SP_ERR_NOTFOUND);
 *     }
 *
 *     WTEST_MAIN()
 *
 * Tests register themselves and run in the order they appear in the file. Each prints
 * "ok - name" or "not ok - name: file:line: what failed"; the program ends with the line
 * "N passed, M failed" and exits 0 only when M is 0. A test that crashes prints its
 * "not ok" line and the program dies without the summary, which the runner counts as a crash.
 * A failed check ends the test (it returns from the function it is written in); lines that
 * start with "# " are notes. `test.exe PART` runs only the tests whose name contains PART. */

typedef void (*wtest_fn)(void);

void wtest_register(const char *name, wtest_fn fn, const char *file, int line);
/* Records a failure of the running test; the first one is its "not ok" line. */
void wtest_failf(const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Prints "# ..." without failing anything. */
void wtest_note(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Nonzero once the running test has failed: for checks made in helper functions. */
int wtest_failed(void);
int wtest_main(int argc, wchar_t **argv);
const char *wtest_str_or_null(const char *s);

#define WTEST(name)                                                                            \
    static void name(void);                                                                    \
    __attribute__((constructor)) static void wtest_register_##name(void)                       \
    {                                                                                          \
        wtest_register(#name, name, __FILE__, __LINE__);                                       \
    }                                                                                          \
    static void name(void)

#define WTEST_MAIN()                                                                           \
    int wmain(int argc, wchar_t **argv)                                                        \
    {                                                                                          \
        return wtest_main(argc, argv);                                                         \
    }

#define WCHECK(cond)                                                                           \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            wtest_failf(__FILE__, __LINE__, "%s", #cond);                                      \
            return;                                                                            \
        }                                                                                      \
    } while (0)

/* Like WCHECK, with a printf-style explanation after the expression. */
#define WCHECK_MSG(cond, ...)                                                                  \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            wtest_failf(__FILE__, __LINE__, "%s", #cond);                                      \
            wtest_note(__VA_ARGS__);                                                           \
            return;                                                                            \
        }                                                                                      \
    } while (0)

#define WCHECK_EQ_INT(actual, expected)                                                        \
    do {                                                                                       \
        long long wtest_a_ = (long long)(actual), wtest_e_ = (long long)(expected);             \
        if (wtest_a_ != wtest_e_) {                                                            \
            wtest_failf(__FILE__, __LINE__, "%s == %s (got %lld, expected %lld)", #actual,     \
                        #expected, wtest_a_, wtest_e_);                                        \
            return;                                                                            \
        }                                                                                      \
    } while (0)

#define WCHECK_EQ_STR(actual, expected)                                                        \
    do {                                                                                       \
        const char *wtest_a_ = (actual), *wtest_e_ = (expected);                               \
        if (!wtest_a_ || !wtest_e_ ? wtest_a_ != wtest_e_ : strcmp(wtest_a_, wtest_e_) != 0) { \
            wtest_failf(__FILE__, __LINE__, "%s == %s (got \"%s\", expected \"%s\")", #actual,  \
                        #expected, wtest_str_or_null(wtest_a_), wtest_str_or_null(wtest_e_));  \
            return;                                                                            \
        }                                                                                      \
    } while (0)

#endif
