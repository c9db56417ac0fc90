#!/usr/bin/env python3
"""Exec -> first NTP reply and RSS of the packaged jchronyd, with and without the AOT cache.

Usage: dpkg-deb -x target/jchrony_*_amd64.deb /tmp/debx && packaging/measure-startup.py /tmp/debx [runs]
Runs jchronyd from the extracted package (java flags of /usr/sbin/jchronyd) with -d -x on a
free loopback port (no command sockets), sends an NTP client request every ~2 ms from the
moment of exec until one is answered, then reads VmRSS at 2 s and stops the process.
"""
import os, socket, statistics, subprocess, sys, tempfile, time

from benchlib import free_port

root = sys.argv[1] if len(sys.argv) > 1 else "/tmp/debx"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
J = os.path.join(root, "usr/lib/jchrony")
work = tempfile.mkdtemp(prefix="jchrony-startup-")


def run(aot, extra):
    port = free_port()
    conf = os.path.join(work, "j.conf")
    with open(conf, "w") as f:
        f.write(f"port {port}\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 10\n"
                f"cmdport 0\nbindcmdaddress /\npidfile {work}/j.pid\n")
    cmd = [J + "/runtime/bin/java", "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xms8m",
           "-Xmx64m", "-Xss512k", "-XX:-UsePerfData"] + extra
    if aot:
        cmd.append("-XX:AOTCache=" + J + "/jchrony.aot")
    cmd += ["-cp", J + "/jchrony.jar", "org.jchrony.cli.JchronydMain", "-d", "-x", "-f", conf]
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.settimeout(0.002)
    request = b"\x23" + b"\x00" * 47
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "log.txt"), "w"))
    first = None
    while time.monotonic() - t0 < 10:
        try:
            c.sendto(request, ("127.0.0.1", port))
            data, _ = c.recvfrom(128)
            if len(data) >= 48:
                first = (time.monotonic() - t0) * 1000
                break
        except OSError:
            pass
    time.sleep(max(0.0, 2.0 - (time.monotonic() - t0)))
    status = open(f"/proc/{p.pid}/status").read().splitlines()
    rss = int([l for l in status if l.startswith("VmRSS")][0].split()[1]) // 1024
    p.terminate()
    p.wait(10)
    return first, rss


for name, aot, extra in [("no AOT, C2", False, ["-XX:TieredStopAtLevel=4"]),
                         ("AOT, C2", True, ["-XX:TieredStopAtLevel=4"]),
                         ("AOT, C1 only", True, ["-XX:TieredStopAtLevel=1"])]:
    res = [run(aot, extra) for _ in range(runs)]
    firsts = [r[0] for r in res if r[0] is not None]
    print(f"{name:14s} first reply ms: median {statistics.median(firsts):.0f} min {min(firsts):.0f} "
          f"max {max(firsts):.0f}; RSS at 2 s MB: {sorted(r[1] for r in res)}")
