#!/usr/bin/env python3
"""Footprint of jchronyd beside Debian's chronyd, in the same run (docs/PERFORMANCE.md "Footprint").

Usage: dpkg-deb -x target/jchrony_*_amd64.deb /tmp/debx && packaging/measure-footprint.py /tmp/debx [runs] [rss_secs]

One upstream chronyd (-x) serves on a free loopback port; every daemon under test is configured
with four sources, that server listed as 127.0.0.1 .. 127.0.0.4, plus its own NTP port on
127.0.0.1 and no command sockets. For each daemon:
  - exec -> first NTP reply: an NTP client request every ~2 ms from the moment of exec until one
    is answered; `runs` runs (default 7, round-robin over the daemons), median/min/max, and the
    CPU time (user+sys) the process had used by then, which depends less on the machine's load;
  - VmRSS after `rss_secs` (default 60) of running with the four sources (all daemons run
    side by side for that minute).
Daemons: chronyd (-d -x -u root), the package's /usr/sbin/jchronyd launcher (its JVM flags and
AOT cache, paths rewritten to the extracted root), the repository's bin/jchronyd (with
target/jchrony.aot when bin/jchrony-aot made one), and with JCHRONY_BASELINE=/other/root another
extracted package (before/after comparisons in the same run). Extra
variants: JCHRONY_VARIANTS="name=ENV=VALUE,..." e.g. "c1=JCHRONY_TIER=1" runs the package
launcher with that environment as well.
"""
import os, socket, statistics, subprocess, sys, tempfile, time

from benchlib import free_port, package_launcher

root = sys.argv[1] if len(sys.argv) > 1 else "/tmp/debx"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
rss_secs = float(sys.argv[3]) if len(sys.argv) > 3 else 60
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
work = tempfile.mkdtemp(prefix="jchrony-footprint-")
CHRONYD = "/usr/sbin/chronyd"


# The package launcher with /usr/lib/jchrony pointing into the extracted package.
launcher = package_launcher(work, "jchronyd-pkg", root)
# JCHRONY_BASELINE=/other/extracted/root: that package's launcher too, as "baseline package".
baseline = package_launcher(work, "jchronyd-baseline", os.environ["JCHRONY_BASELINE"]) if os.environ.get("JCHRONY_BASELINE") else None

upstream_port = free_port()
upconf = os.path.join(work, "upstream.conf")
with open(upconf, "w") as f:
    f.write(f"port {upstream_port}\nallow 127.0.0.0/8\nlocal stratum 8\ncmdport 0\nbindcmdaddress /\n"
            f"pidfile {work}/upstream.pid\n")
upstream = subprocess.Popen([CHRONYD, "-d", "-x", "-u", "root", "-f", upconf],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "upstream.log"), "w"))


def config(name, port):
    path = os.path.join(work, name + ".conf")
    with open(path, "w") as f:
        for i in range(1, 5):
            f.write(f"server 127.0.0.{i} port {upstream_port} iburst minpoll 6 maxpoll 6\n")
        f.write(f"port {port}\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 10\n"
                f"cmdport 0\nbindcmdaddress /\npidfile {work}/{name}.pid\ndriftfile {work}/{name}.drift\n")
    return path


def command(kind, conf):
    if kind == "chronyd":
        return [CHRONYD, "-d", "-x", "-u", "root", "-f", conf]
    if kind == "bin":
        return [os.path.join(top, "bin/jchronyd"), "-d", "-x", "-f", conf]
    if kind == "baseline":
        return [baseline, "-d", "-x", "-f", conf]
    return [launcher, "-d", "-x", "-f", conf]


variants = [("chronyd", "chronyd", {}), ("jchronyd package (AOT)", "pkg", {}), ("bin/jchronyd", "bin", {})]
if baseline:
    variants.append(("baseline package (AOT)", "baseline", {}))
for spec in filter(None, os.environ.get("JCHRONY_VARIANTS", "").split(",")):
    name, env = spec.split("=", 1)
    k, v = env.split("=", 1)
    variants.append(("package " + name, "pkg", {k: v}))


def start(name, kind, env, port):
    e = dict(os.environ)
    e.pop("JAVA_HOME", None) if kind in ("pkg", "baseline") else None
    e.update(env)
    log = open(os.path.join(work, name.replace(" ", "_").replace("/", "_") + ".log"), "w")
    return subprocess.Popen(command(kind, config(name.replace(" ", "_").replace("/", "_"), port)), env=e,
                            stdout=subprocess.DEVNULL, stderr=log)


def cpu_ms(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def first_reply(name, kind, env):
    """(ms from exec to the first reply, CPU ms the process used by then)."""
    port = free_port()
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.settimeout(0.002)
    request = b"\x23" + b"\x00" * 47
    t0 = time.monotonic()
    p = start(name, kind, env, port)
    first, cpu = None, None
    while time.monotonic() - t0 < 15:
        try:
            c.sendto(request, ("127.0.0.1", port))
            data, _ = c.recvfrom(128)
            if len(data) >= 48:
                first = (time.monotonic() - t0) * 1000
                cpu = cpu_ms(p.pid)
                break
        except OSError:
            pass
    p.terminate()
    p.wait(10)
    return first, cpu


def rss_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1])
    return 0


try:
    time.sleep(0.5)
    print(f"{os.cpu_count()} cpus, load {open('/proc/loadavg').read().split()[:3]}, {runs} runs, RSS after {rss_secs:.0f} s")
    # Round-robin over the daemons so that a change in machine load hits all of them alike.
    results = {name: [] for name, _, _ in variants}
    for _ in range(runs):
        for name, kind, env in variants:
            results[name].append(first_reply(name, kind, env))
    for name, _, _ in variants:
        ok = [r for r in results[name] if r[0] is not None]
        ms = [r[0] for r in ok]
        cpu = [r[1] for r in ok]
        print(f"{name:28s} exec->first reply ms: median {statistics.median(ms):7.1f} min {min(ms):7.1f} "
              f"max {max(ms):7.1f} ({len(ok)}/{runs} answered); CPU ms by then: median {statistics.median(cpu):.0f}",
              flush=True)
    procs = [(name, start(name, kind, env, free_port())) for name, kind, env in variants]
    time.sleep(rss_secs)
    for name, p in procs:
        # bin/jchronyd execs java, so the PID is the JVM's
        print(f"{name:28s} RSS after {rss_secs:.0f} s with 4 sources: {rss_kb(p.pid) / 1024:.1f} MB, "
              f"threads {len(os.listdir(f'/proc/{p.pid}/task'))}", flush=True)
    for _, p in procs:
        p.terminate()
        p.wait(10)
finally:
    upstream.terminate()
    upstream.wait(10)
