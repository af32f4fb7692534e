/* Time sync step: the user's inputs kept in the state, and the pure helpers the step uses. */
#ifndef SP_TIMESYNC_H
#define SP_TIMESYNC_H

#include <stddef.h>

#include "core/state.h"

/* Keys of the step's data in state.json. */
#define SP_TS_DESTINATION "destination"   /* the Destination Server's name or address */
#define SP_TS_DEST_TZ "destination_tz"    /* the standard name of its time zone */
#define SP_TS_NTP_SERVER "ntp_server"     /* the Internet NTP server */
#define SP_TS_CORRECT "correct_clock"     /* "yes": Apply corrects the clock once (issue 16) */
#define SP_TS_DEFAULT_NTP "time.windows.com"
#define SP_TS_MAX_OFFSET_US (5LL * 60 * 1000000) /* the document's five minutes */

/* An input of the step ("" when unset; the NTP server defaults to time.windows.com). */
const char *sp_timesync_input(const sp_state *st, const char *key);
/* Stores an input (trimmed). Returns 1 when it changed: the page then forgets the last check,
 * which was made with the old value. */
int sp_timesync_set_input(sp_state *st, const char *key, const char *value);

/* Splits "host" or "host:port" (port 1-65535); SP_ERR_INVALID for anything else. */
sp_status sp_timesync_split_host(const char *in, char *host, size_t hostlen, unsigned *port);
/* The hypervisor a BIOS or system string names ("VMware", "Hyper-V", "VirtualBox", "Xen",
 * "KVM/QEMU"), or NULL. */
const char *sp_timesync_vm_vendor(const char *text);

/* 1 when Windows Time with this Parameters\\Type and NtpServer takes time from nothing but the
 * machine's own clock on the PDC emulator (NT5DS there has no parent; NoSync; NTP without a
 * server). The time sync step owns the verdict on it (the measured offset); the health rule
 * time.local_clock uses this same test and refers to the step. */
int sp_timesync_own_clock(const char *type, const char *ntp_server);
/* 1 when the user chose the one-time correction (input correct_clock = "yes"). */
int sp_timesync_correct_wanted(const sp_state *st);

#endif
