#!/usr/bin/env python3
"""A small SNTP server on 127.0.0.1 for the tests: one UDP port per configured peer.

Usage: sntp_server.py PORT:OFFSET_MS[:STRATUM[:LEAP[:DELAY_MS[:MODE]]]] ...
MODE is ntp (default), garbage (replies with bytes that are not NTP) or silent (never replies).
The server's clock is the host's clock plus OFFSET_MS; DELAY_MS is slept before each reply.
Prints "ready" once every port is bound; stops on SIGTERM.
"""
import select
import signal
import socket
import struct
import sys
import time

NTP_EPOCH = 2208988800


def ntp_ts(t):
    sec = int(t // 1) + NTP_EPOCH
    frac = int((t - int(t // 1)) * 4294967296) & 0xFFFFFFFF
    return ((sec & 0xFFFFFFFF) << 32) | frac


def main(argv):
    peers = {}
    for spec in argv:
        parts = spec.split(":")
        port = int(parts[0])
        offset = float(parts[1]) / 1000.0 if len(parts) > 1 else 0.0
        stratum = int(parts[2]) if len(parts) > 2 else 2
        leap = int(parts[3]) if len(parts) > 3 else 0
        delay = float(parts[4]) / 1000.0 if len(parts) > 4 else 0.0
        mode = parts[5] if len(parts) > 5 else "ntp"
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", port))
        peers[s] = (offset, stratum, leap, delay, mode)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select(list(peers), [], [])
        for s in ready:
            data, addr = s.recvfrom(512)
            offset, stratum, leap, delay, mode = peers[s]
            received = time.time() + offset
            if mode == "silent" or len(data) < 48 or (data[0] & 7) != 3:
                continue
            if delay:
                time.sleep(delay)
            if mode == "garbage":
                s.sendto(b"\x17garbage, not NTP", addr)
                continue
            refid = b"GPS\0" if stratum == 1 else b"\x0a\x00\x00\x01"
            transmit = time.time() + offset
            reply = struct.pack(">BBbbII4sQ8sQQ", (leap << 6) | (4 << 3) | 4, stratum, 6, -20,
                                0, 0, refid, ntp_ts(transmit - 64), data[40:48],
                                ntp_ts(received), ntp_ts(transmit))
            s.sendto(reply, addr)


if __name__ == "__main__":
    main(sys.argv[1:])
