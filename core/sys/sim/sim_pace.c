/* The sim's one wait: lets a simulated service take real time, so a page shows its progress. */
#include "core/sys/sim/sim_internal.h"

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
