/* The sim's network and time zone: NTP peers answered from the profile, the zone from its registry. */
#include <stdint.h>
#include <string.h>

#include "core/sys/sim/sim_internal.h"

/* An NTP packet is 48 bytes (RFC 4330). The sim writes its own timestamps, not with the
 * client's core/timesync/sntp.c: that is the code the replies are there to test. */
#define SIM_NTP_PACKET 48
#define SIM_NTP_UNIX_EPOCH 2208988800u /* seconds from 1900-01-01 to 1970-01-01 */

/* Seconds since 1900 (era 0 wraps in 2036, as on the wire) and a 32-bit binary fraction. */
static void sim_put_ts(unsigned char *p, int64_t unix_us)
{
    int64_t s = unix_us / 1000000, rem = unix_us % 1000000;
    if (rem < 0) {
        s--;
        rem += 1000000;
    }
    uint32_t sec = (uint32_t)((uint64_t)(s + SIM_NTP_UNIX_EPOCH) & 0xffffffffu);
    uint32_t frac = (uint32_t)(((uint64_t)rem << 32) / 1000000u);
    for (int i = 0; i < 4; i++) {
        p[i] = (unsigned char)(sec >> (24 - 8 * i));
        p[4 + i] = (unsigned char)(frac >> (24 - 8 * i));
    }
}

/* Answers as an NTP server whose clock is offset_us from this one, half the round trip each
 * way; the reply is built byte by byte, so the client's parser does the real work. */
sp_status sim_udp_exchange(sp_sys *sys, const char *host, unsigned port, const void *req,
                           size_t reqlen, unsigned timeout_ms, unsigned char *reply,
                           size_t replycap, size_t *replylen, int64_t *sent_us,
                           int64_t *received_us)
{
    sim_machine *m = sys->impl;
    const sim_ntp_peer *peer = NULL;
    unsigned char pkt[SIM_NTP_PACKET];
    *replylen = 0;
    if (!host || !req || !reply)
        return sp_sys_fail(sys, SP_ERR_INVALID, "udp_exchange: bad arguments");
    for (size_t i = 0; i < m->prof.ntp_count && !peer; i++)
        if (sim_ascii_casecmp(m->prof.ntp[i].host, host) == 0)
            peer = &m->prof.ntp[i];
    if (!peer)
        return sp_sys_fail(sys, SP_ERR_NOTFOUND,
                           "The name %s could not be resolved (the profile's \"ntp\" has no "
                           "entry for it).", host);
    int64_t t1 = sim_time_now(sys) * 1000000;
    *sent_us = t1;
    *received_us = t1 + peer->delay_us;
    /* A real server drops what is not a client request, and a silent one drops everything. */
    if (peer->reply == SIM_NTP_REPLY_NONE || reqlen < SIM_NTP_PACKET ||
        (((const unsigned char *)req)[0] & 7u) != 3)
        return sp_sys_fail(sys, SP_ERR_TIMEOUT, "No reply from %s:%u within %u ms.", host, port,
                           timeout_ms);
    if (peer->reply == SIM_NTP_REPLY_GARBAGE) {
        static const char junk[] = "HTTP/1.0 400 Bad Request\r\n";
        size_t n = sizeof junk - 1 < replycap ? sizeof junk - 1 : replycap;
        memcpy(reply, junk, n);
        *replylen = n;
        return SP_OK;
    }
    int64_t t2 = t1 + peer->delay_us / 2 + peer->offset_us - m->clock_step_us;
    memset(pkt, 0, sizeof pkt);
    pkt[0] = (unsigned char)((peer->leap & 3u) << 6 | 4u << 3 | 4u);
    pkt[1] = (unsigned char)peer->stratum;
    pkt[2] = 6;
    pkt[3] = (unsigned char)(signed char)-20;
    if (peer->stratum == 1)
        memcpy(pkt + 12, "GPS", 3);
    else if (peer->stratum == 0)
        memcpy(pkt + 12, "RATE", 4);
    else
        memcpy(pkt + 12, "\x0a\x00\x00\x01", 4);
    sim_put_ts(pkt + 16, t2 - 64000000);
    memcpy(pkt + 24, (const unsigned char *)req + 40, 8);
    sim_put_ts(pkt + 32, t2);
    sim_put_ts(pkt + 40, t2);
    *replylen = replycap < sizeof pkt ? replycap : sizeof pkt;
    memcpy(reply, pkt, *replylen);
    return SP_OK;
}

/* The zone is the profile's registry: TimeZoneInformation's StandardName and Bias. */
sp_status sim_time_zone(sp_sys *sys, sp_timezone *out)
{
    static const char key[] = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation";
    uint32_t bias = 0;
    memset(out, 0, sizeof *out);
    if (sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, key, "StandardName", out->standard_name,
                          sizeof out->standard_name) != SP_OK ||
        sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, key, "Bias", &bias) != SP_OK)
        return sp_sys_fail(sys, SP_ERR_NOTFOUND,
                           "The profile has no time zone (StandardName and Bias under %s).", key);
    out->bias_minutes = (int)(int32_t)bias;
    return SP_OK;
}

