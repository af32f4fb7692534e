/* The sim's waits: a simulated service takes real time, so a page shows its progress; and a
 * test can hold slow work while it looks at the page. */
#include "core/sys/sim/sim_internal.h"

#include <stdio.h>

#ifdef _WIN32
/* kernel32's Sleep, declared here: the sim stays free of <windows.h>. */
__declspec(dllimport) void __stdcall Sleep(unsigned long ms);

void sim_sleep_ms(unsigned ms)
{
    Sleep(ms);
}
#else
#include <errno.h>
#include <time.h>

void sim_sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
#endif

void sim_hold(sp_sys *sys, const char *name)
{
    char path[160];
    snprintf(path, sizeof path, "C:\\SourcePrepTest\\hold-%s", name);
    for (int i = 0; i < 3000; i++) {
        sp_filestat fs = {0};
        if (sys->ops->file_stat(sys, path, &fs) != SP_OK || !fs.exists)
            return;
        sim_sleep_ms(20);
    }
}
