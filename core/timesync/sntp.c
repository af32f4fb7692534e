/* SNTP client: timestamps across NTP eras, the request, the reply checks and the best-of-n sample. */
#include "core/timesync/sntp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define ERA_SECONDS 4294967296LL
#define US_PER_S 1000000LL

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

sp_ntp_ts sp_ntp_from_unix_us(int64_t us)
{
    int64_t s = floor_div(us, US_PER_S);
    int64_t rem = us - s * US_PER_S; /* 0 .. 999999 */
    sp_ntp_ts ts;
    int64_t ntp = s + SP_NTP_UNIX_EPOCH;
    ts.sec = (uint32_t)(ntp - floor_div(ntp, ERA_SECONDS) * ERA_SECONDS);
    ts.frac = (uint32_t)(((uint64_t)rem << 32) / (uint64_t)US_PER_S);
    return ts;
}

int64_t sp_ntp_to_unix_us(sp_ntp_ts ts, int64_t near_us)
{
    int64_t near_ntp = floor_div(near_us, US_PER_S) + SP_NTP_UNIX_EPOCH;
    /* The era whose copy of ts.sec lies within half an era of the reference. */
    int64_t era = floor_div(near_ntp - (int64_t)ts.sec + ERA_SECONDS / 2, ERA_SECONDS);
    int64_t sec = (int64_t)ts.sec + era * ERA_SECONDS - SP_NTP_UNIX_EPOCH;
    int64_t frac_us = (int64_t)((((uint64_t)ts.frac * (uint64_t)US_PER_S) + (1ull << 31)) >> 32);
    return sec * US_PER_S + frac_us;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static sp_ntp_ts get_ts(const unsigned char *p)
{
    sp_ntp_ts ts = {get32(p), get32(p + 4)};
    return ts;
}

void sp_sntp_request(unsigned char pkt[SP_NTP_PACKET_SIZE], sp_ntp_ts nonce)
{
    memset(pkt, 0, SP_NTP_PACKET_SIZE);
    pkt[0] = (0u << 6) | (4u << 3) | 3u; /* no leap warning, version 4, client */
    put32(pkt + 40, nonce.sec);
    put32(pkt + 44, nonce.frac);
}

static sp_status say(char *why, size_t whylen, const char *text)
{
    if (why && whylen)
        snprintf(why, whylen, "%s", text);
    return SP_ERR_BADDATA;
}

sp_status sp_sntp_parse(const unsigned char *buf, size_t len, sp_ntp_packet *out, char *why,
                        size_t whylen)
{
    memset(out, 0, sizeof *out);
    if (!buf || len < SP_NTP_PACKET_SIZE) {
        if (why && whylen)
            snprintf(why, whylen, "the reply has %lu bytes, an NTP packet has at least 48",
                     (unsigned long)len);
        return SP_ERR_BADDATA;
    }
    out->leap = buf[0] >> 6;
    out->version = (buf[0] >> 3) & 7u;
    out->mode = buf[0] & 7u;
    out->stratum = buf[1];
    out->poll = (signed char)buf[2];
    out->precision = (signed char)buf[3];
    out->root_delay = get32(buf + 4);
    out->root_dispersion = get32(buf + 8);
    if (out->stratum <= 1) {
        /* Kiss code or reference source: four ASCII letters, shown only if printable. */
        for (int i = 0; i < 4; i++) {
            unsigned char c = buf[12 + i];
            if (c == 0)
                break;
            out->refid[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
        }
    } else {
        snprintf(out->refid, sizeof out->refid, "%u.%u.%u.%u", buf[12], buf[13], buf[14],
                 buf[15]);
    }
    out->reference = get_ts(buf + 16);
    out->origin = get_ts(buf + 24);
    out->receive = get_ts(buf + 32);
    out->transmit = get_ts(buf + 40);
    return SP_OK;
}

sp_status sp_sntp_validate(const sp_ntp_packet *p, sp_ntp_ts nonce, char *why, size_t whylen)
{
    if (p->mode != 4 && p->mode != 5) {
        if (why && whylen)
            snprintf(why, whylen, "the reply is not from an NTP server (mode %u)", p->mode);
        return SP_ERR_BADDATA;
    }
    if (p->version < 1 || p->version > 4) {
        if (why && whylen)
            snprintf(why, whylen, "the reply has an unknown NTP version %u", p->version);
        return SP_ERR_BADDATA;
    }
    if (p->origin.sec != nonce.sec || p->origin.frac != nonce.frac)
        return say(why, whylen, "the reply does not answer this request (origin timestamp differs)");
    if (p->stratum == 0) {
        if (why && whylen)
            snprintf(why, whylen, "the server refused to give the time (kiss code \"%s\")",
                     p->refid[0] ? p->refid : "none");
        return SP_ERR_BADDATA;
    }
    if (p->stratum > 15) {
        if (why && whylen)
            snprintf(why, whylen, "the server has no usable time (stratum %u)", p->stratum);
        return SP_ERR_BADDATA;
    }
    if (p->leap == 3)
        return say(why, whylen, "the server says its own clock is not synchronised (leap indicator 3)");
    if (p->transmit.sec == 0 && p->transmit.frac == 0)
        return say(why, whylen, "the reply has no transmit time");
    return SP_OK;
}

void sp_sntp_offset(int64_t t1, int64_t t2, int64_t t3, int64_t t4, int64_t *offset_us,
                    int64_t *delay_us)
{
    int64_t a = t2 - t1, b = t3 - t4;
    /* Halve each part first: the sum of two large offsets must not overflow. */
    if (offset_us)
        *offset_us = a / 2 + b / 2 + (a % 2 + b % 2) / 2;
    if (delay_us)
        *delay_us = (t4 - t1) - (t3 - t2);
}

sp_status sp_sntp_measure(sp_sys *sys, const char *host, unsigned port, unsigned samples,
                          unsigned timeout_ms, volatile long *cancel, sp_sntp_result *out)
{
    static unsigned serial;
    sp_status last = SP_ERR_TIMEOUT;
    char last_why[256] = "", bad_why[256] = "";
    memset(out, 0, sizeof *out);
    if (!host || !*host)
        return sp_sys_fail(sys, SP_ERR_INVALID, "No NTP server was named.");
    if (!sys->ops->udp_exchange)
        return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "This backend cannot send UDP.");
    if (samples == 0)
        samples = 1;
    out->samples = samples;
    for (unsigned i = 0; i < samples; i++) {
        unsigned char req[SP_NTP_PACKET_SIZE], reply[128];
        size_t got = 0;
        int64_t t1 = 0, t4 = 0;
        sp_ntp_packet p;
        char why[200];
        if (cancel && *cancel)
            return SP_ERR_CANCELLED;
        /* The nonce only has to be unpredictable enough to tell our answers apart: chrony's
         * way, which also keeps the local time out of the request. */
        sp_ntp_ts nonce = {(uint32_t)(sys->ops->time_now(sys) + SP_NTP_UNIX_EPOCH),
                           (uint32_t)((++serial) * 2654435761u ^ (uint32_t)clock() ^
                                      (uint32_t)(uintptr_t)&nonce)};
        sp_sntp_request(req, nonce);
        sp_status st = sys->ops->udp_exchange(sys, host, port, req, sizeof req, timeout_ms, reply,
                                              sizeof reply, &got, &t1, &t4);
        if (st != SP_OK) {
            last = st;
            snprintf(last_why, sizeof last_why, "%s", sys->last_error);
            if (st != SP_ERR_TIMEOUT)
                break; /* a name that does not resolve will not resolve on the next try */
            continue;
        }
        st = sp_sntp_parse(reply, got, &p, why, sizeof why);
        if (st == SP_OK)
            st = sp_sntp_validate(&p, nonce, why, sizeof why);
        if (st != SP_OK) {
            snprintf(bad_why, sizeof bad_why, "%s answered, but %s.", host, why);
            continue;
        }
        int64_t t2 = sp_ntp_to_unix_us(p.receive, t1), t3 = sp_ntp_to_unix_us(p.transmit, t1);
        int64_t offset, delay;
        sp_sntp_offset(t1, t2, t3, t4, &offset, &delay);
        if (delay < 0)
            delay = 0; /* a server slower than our clock's tick: not negative in truth */
        if (out->answered == 0 || delay < out->delay_us) {
            out->offset_us = offset;
            out->delay_us = delay;
            out->stratum = p.stratum;
            out->leap = p.leap;
            memcpy(out->refid, p.refid, sizeof out->refid);
        }
        out->answered++;
    }
    if (out->answered)
        return SP_OK;
    if (bad_why[0])
        return sp_sys_fail(sys, SP_ERR_BADDATA, "%s", bad_why);
    if (last == SP_ERR_TIMEOUT)
        return sp_sys_fail(sys, SP_ERR_TIMEOUT,
                           "%s did not answer %u NTP requests (UDP port %u, %u ms each). Check "
                           "the name, and that the firewall lets UDP port %u out.",
                           host, samples, port, timeout_ms, port);
    return sp_sys_fail(sys, last, "%s", last_why);
}

void sp_sntp_format_offset(int64_t us, char *out, size_t outlen)
{
    char sign = us < 0 ? '-' : '+';
    uint64_t a = us < 0 ? (uint64_t)(-(us + 1)) + 1 : (uint64_t)us;
    uint64_t ms = (a + 500) / 1000;
    uint64_t h = ms / 3600000, m = ms / 60000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
    if (h)
        snprintf(out, outlen, "%c%llu h %llu min %llu.%03llu s", sign, (unsigned long long)h,
                 (unsigned long long)m, (unsigned long long)s, (unsigned long long)frac);
    else if (m)
        snprintf(out, outlen, "%c%llu min %llu.%03llu s", sign, (unsigned long long)m,
                 (unsigned long long)s, (unsigned long long)frac);
    else
        snprintf(out, outlen, "%c%llu.%03llu s", sign, (unsigned long long)s,
                 (unsigned long long)frac);
}
