#!/usr/bin/env python3
"""Check our NetFlow v5/v9/IPFIX encoders with tshark as an oracle.

For each version (and with and without sampling), `test_nf_golden
--encode` writes datagrams; they are wrapped in Ethernet/IPv4/UDP into a
pcap and decoded with `tshark -d udp.port==2055,cflow`. Checked: every
frame decodes as cflow with no expert warnings (malformed, etc.), the data
record count, the IPv6 record count and the octet/packet sums equal what
was encoded, and with sampling tshark shows the sampling interval.
"""
import glob
import json
import os
import struct
import subprocess
import sys
import tempfile


def pcap(path, files):
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, f in enumerate(files):
            p = open(f, "rb").read()
            udp = struct.pack(">HHHH", 4444, 2055, 8 + len(p), 0) + p
            ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0,
                             64, 17, 0, bytes([192, 0, 2, 1]),
                             bytes([192, 0, 2, 2]))
            fr = b"\0" * 12 + b"\x08\x00" + ip + udp
            out.write(struct.pack("<IIII", 1700000100 + i, 0, len(fr),
                                  len(fr)) + fr)


def values(field_out):
    vals = []
    for line in field_out.splitlines():
        vals += [v for v in line.split(",") if v != ""]
    return vals


def run(binary, tmp, version, sampling):
    prefix = os.path.join(tmp, "v%d_s%d_" % (version, sampling))
    want = json.loads(subprocess.run(
        [binary, "--encode", str(version), str(sampling), "500", prefix],
        check=True, capture_output=True, text=True).stdout)
    files = sorted(glob.glob(prefix + "*.bin"),
                   key=lambda f: int(f[len(prefix):-4]))
    cap = prefix + ".pcap"
    pcap(cap, files)
    base = ["tshark", "-r", cap, "-d", "udp.port==2055,cflow"]
    errors = []
    frames = subprocess.run(base + ["-Y", "cflow"], check=True,
                            capture_output=True, text=True).stdout
    if len(frames.splitlines()) != len(files):
        errors.append("cflow frames %d != %d" %
                      (len(frames.splitlines()), len(files)))
    expert = subprocess.run(base + ["-Y", "_ws.expert || _ws.malformed"],
                            check=True, capture_output=True,
                            text=True).stdout
    if expert.strip():
        errors.append("expert warnings:\n" + expert)
    f = subprocess.run(base + ["-T", "fields", "-E", "occurrence=a",
                               "-E", "aggregator=,", "-e", "cflow.octets",
                               "-e", "cflow.packets", "-e",
                               "cflow.srcaddrv6", "-e",
                               "cflow.sampling_interval", "-e",
                               "cflow.samplerate"],
                       check=True, capture_output=True, text=True).stdout
    octets, packets, v6, samp = [], [], [], []
    for line in f.splitlines():
        cols = (line.split("\t") + ["", "", "", "", ""])[:5]
        octets += [int(v) for v in cols[0].split(",") if v]
        packets += [int(v) for v in cols[1].split(",") if v]
        v6 += [v for v in cols[2].split(",") if v]
        samp += [int(v) for v in cols[3].split(",") if v]
        samp += [int(v) for v in cols[4].split(",") if v and int(v)]
    if len(octets) != want["records"]:
        errors.append("records %d != %d" % (len(octets), want["records"]))
    if sum(octets) != want["octets"] or sum(packets) != want["packets"]:
        errors.append("sums %d/%d != %d/%d" % (sum(octets), sum(packets),
                      want["octets"], want["packets"]))
    if len(v6) != want["v6"]:
        errors.append("v6 records %d != %d" % (len(v6), want["v6"]))
    if sampling > 1 and (not samp or set(samp) != {sampling}):
        errors.append("sampling interval %r, want %d" % (set(samp),
                                                          sampling))
    name = "v%d sampling %d" % (version, sampling)
    print("%-4s %-20s datagrams=%d records=%d" %
          ("FAIL" if errors else "ok", name, want["datagrams"],
           want["records"]))
    for e in errors:
        print("     " + e)
    return not errors


def main():
    binary = sys.argv[1]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for version in (5, 9, 10):
            for sampling in (1, 100):
                ok &= run(binary, tmp, version, sampling)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
