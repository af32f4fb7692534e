/* The sim's network and time zone: NTP peers answered from the profile (DNS on port 53 by sim_dns.c), the zone from its registry. */
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
    if (port == 53) {
        *sent_us = sim_time_now(sys) * 1000000;
        *received_us = *sent_us + 1000;
        return sim_dns_answer(sys, host, req, reqlen, timeout_ms, reply, replycap, replylen);
    }
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

/* A SYSTEMTIME as TimeZoneInformation keeps it (16 bytes, REG_BINARY); absent stays zero. */
static void sim_tz_date(sp_sys *sys, const char *key, const char *value, uint16_t out[8])
{
    sp_regval v = {0};
    if (sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, key, value, &v) == SP_OK && v.type == SP_REG_BINARY && v.size == 16)
        for (int i = 0; i < 8; i++)
            out[i] = (uint16_t)(v.data[2 * i] | v.data[2 * i + 1] << 8);
    sp_regval_free(&v);
}

/* The zone is the profile's registry: TimeZoneInformation's StandardName and Bias, and where
 * given StandardBias, DaylightBias, StandardStart, DaylightStart and TimeZoneKeyName. */
sp_status sim_time_zone(sp_sys *sys, sp_timezone *out)
{
    static const char key[] = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation";
    uint32_t bias = 0, sbias = 0, dbias = 0;
    memset(out, 0, sizeof *out);
    if (sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, key, "StandardName", out->standard_name,
                          sizeof out->standard_name) != SP_OK ||
        sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, key, "Bias", &bias) != SP_OK)
        return sp_sys_fail(sys, SP_ERR_NOTFOUND,
                           "The profile has no time zone (StandardName and Bias under %s).", key);
    out->bias_minutes = (int)(int32_t)bias;
    if (sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, key, "StandardBias", &sbias) == SP_OK)
        out->standard_bias = (int)(int32_t)sbias;
    if (sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, key, "DaylightBias", &dbias) == SP_OK)
        out->daylight_bias = (int)(int32_t)dbias;
    sim_tz_date(sys, key, "StandardStart", out->standard_date);
    sim_tz_date(sys, key, "DaylightStart", out->daylight_date);
    sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, key, "TimeZoneKeyName", out->key_name,
                      sizeof out->key_name);
    return SP_OK;
}

/* What "w32tm /resync" does on the sim (issue 16): with Parameters\Type NTP, the clock is set
 * to the first peer of NtpServer that the profile's "ntp" answers for ("host,0x8" lists),
 * unless the step is over Config\MaxPos/NegPhaseCorrection (seconds; 0xFFFFFFFF: no limit),
 * as W32Time refuses those. Any other type leaves the clock as it is. */
void sim_w32tm_resync(sp_sys *sys)
{
    static const char params[] = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters";
    static const char config[] = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config";
    sim_machine *m = sys->impl;
    char type[32] = "", server[256] = "";
    uint32_t limit = 0xFFFFFFFFu;
    size_t n;
    sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, params, "Type", type, sizeof type);
    sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, params, "NtpServer", server, sizeof server);
    if (sim_ascii_casecmp(type, "NTP") != 0)
        return;
    n = strcspn(server, ", ");
    server[n] = '\0';
    for (size_t i = 0; i < m->prof.ntp_count; i++) {
        const sim_ntp_peer *peer = &m->prof.ntp[i];
        int64_t step;
        if (sim_ascii_casecmp(peer->host, server) != 0 || peer->reply != 0)
            continue;
        step = peer->offset_us - m->clock_step_us;
        sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, config,
                         step >= 0 ? "MaxPosPhaseCorrection" : "MaxNegPhaseCorrection", &limit);
        if (limit != 0xFFFFFFFFu && (step < 0 ? -step : step) > (int64_t)limit * 1000000)
            return;
        m->clock_step_us = peer->offset_us;
        return;
    }
}
