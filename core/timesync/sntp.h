/* SNTP (RFC 4330): NTP timestamps, the client request, the reply parser and the offset math. */
#ifndef SP_SNTP_H
#define SP_SNTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"
#include "core/sys/sys.h"

#define SP_NTP_PACKET_SIZE 48
#define SP_NTP_PORT 123
/* Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix). */
#define SP_NTP_UNIX_EPOCH 2208988800LL

/* An NTP timestamp: seconds and 2^-32 fractions, modulo one 136-year era. */
typedef struct {
    uint32_t sec, frac;
} sp_ntp_ts;

typedef struct {
    unsigned leap, version, mode, stratum;
    int poll, precision;
    uint32_t root_delay, root_dispersion;
    char refid[16];    /* printable: "GPS", "LOCL", or a dotted IPv4 for stratum 2+ */
    sp_ntp_ts reference, origin, receive, transmit;
} sp_ntp_packet;

/* Unix microseconds to an NTP timestamp (era 1 from 2036-02-07 wraps to small values). */
sp_ntp_ts sp_ntp_from_unix_us(int64_t us);
/* An NTP timestamp to Unix microseconds, in the era that puts it nearest to near_us: a reply
 * is always within 68 years of the local clock, so 2036's rollover is read right. */
int64_t sp_ntp_to_unix_us(sp_ntp_ts ts, int64_t near_us);

/* A client request (version 4, mode 3) whose transmit field carries nonce; the reply must
 * echo it as its origin. */
void sp_sntp_request(unsigned char pkt[SP_NTP_PACKET_SIZE], sp_ntp_ts nonce);
/* Decodes a reply; SP_ERR_BADDATA (why says what) when it is shorter than 48 bytes. */
sp_status sp_sntp_parse(const unsigned char *buf, size_t len, sp_ntp_packet *out, char *why,
                        size_t whylen);
/* Checks a reply to the request with nonce: mode server (4) or broadcast (5), version 1-4,
 * origin = nonce, stratum 1-15 (0 is a kiss-o'-death), leap not "unsynchronised",
 * non-zero transmit. SP_ERR_BADDATA with why otherwise. */
sp_status sp_sntp_validate(const sp_ntp_packet *p, sp_ntp_ts nonce, char *why, size_t whylen);
/* RFC 4330 section 5: offset = ((T2 - T1) + (T3 - T4)) / 2, delay = (T4 - T1) - (T3 - T2),
 * every time in microseconds. */
void sp_sntp_offset(int64_t t1, int64_t t2, int64_t t3, int64_t t4, int64_t *offset_us,
                    int64_t *delay_us);

typedef struct {
    int64_t offset_us;  /* server clock minus this server's clock */
    int64_t delay_us;   /* round trip */
    unsigned stratum, leap;
    char refid[16];
    unsigned samples, answered;
} sp_sntp_result;

/* Asks host:port samples times (timeout_ms each) and keeps the answer with the lowest delay.
 * Stops early with SP_ERR_CANCELLED when *cancel is set. When no valid answer came, returns
 * the last failure (SP_ERR_TIMEOUT, SP_ERR_NOTFOUND, SP_ERR_BADDATA...) with
 * sys->last_error saying what happened. */
sp_status sp_sntp_measure(sp_sys *sys, const char *host, unsigned port, unsigned samples,
                          unsigned timeout_ms, volatile long *cancel, sp_sntp_result *out);

/* "+3.000 s", "-4 min 59.000 s", "+6 h 0 min 0.000 s". */
void sp_sntp_format_offset(int64_t us, char *out, size_t outlen);

#endif
