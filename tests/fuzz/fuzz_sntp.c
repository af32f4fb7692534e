/* libFuzzer harness for the SNTP reply parser and its checks, and the era arithmetic on what it read. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/timesync/sntp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sp_ntp_packet p;
    char why[200];
    /* The first 8 bytes play the nonce the request carried, the rest the reply. */
    sp_ntp_ts nonce = {0, 0};
    if (size >= 8) {
        memcpy(&nonce.sec, data, 4);
        memcpy(&nonce.frac, data + 4, 4);
        data += 8;
        size -= 8;
    }
    if (sp_sntp_parse(data, size, &p, why, sizeof why) != SP_OK)
        return 0;
    if (strlen(p.refid) >= sizeof p.refid)
        __builtin_trap();
    if (sp_sntp_validate(&p, nonce, why, sizeof why) == SP_OK) {
        int64_t t1 = 1700000000LL * 1000000;
        int64_t t2 = sp_ntp_to_unix_us(p.receive, t1), t3 = sp_ntp_to_unix_us(p.transmit, t1);
        int64_t off, delay;
        char text[64];
        /* Every era choice lands within 68 years of the reference. */
        if (t3 - t1 > 69LL * 366 * 86400 * 1000000 || t1 - t3 > 69LL * 366 * 86400 * 1000000)
            __builtin_trap();
        sp_sntp_offset(t1, t2, t3, t1 + 1000, &off, &delay);
        sp_sntp_format_offset(off, text, sizeof text);
    }
    return 0;
}
