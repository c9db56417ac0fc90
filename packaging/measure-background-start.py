#!/usr/bin/env python3
"""Background start (no -n/-d) of the package's launcher, as chronyd's is used: how long until the
command returns (the daemon has bound its sockets and written its pid file), whether NTP is then
answered at once, and how many java processes run the daemon. docs/PERFORMANCE.md "Footprint".

Usage: dpkg-deb -x target/jchrony_*_amd64.deb /tmp/debx && packaging/measure-background-start.py /tmp/debx [runs]
With JCHRONY_BASELINE=/other/extracted/root, that package too (round-robin, same run).
Each daemon runs -x on a free loopback port with no sources and no command sockets, and is
stopped by SIGTERM (its pid file) after each run.
"""
import os, socket, statistics, subprocess, sys, tempfile, time

from benchlib import free_port, package_launcher

root = sys.argv[1] if len(sys.argv) > 1 else "/tmp/debx"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
work = tempfile.mkdtemp(prefix="jchrony-bgstart-")


def answers(port):
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.settimeout(1.0)
    try:
        c.sendto(b"\x23" + b"\x00" * 47, ("127.0.0.1", port))
        return len(c.recvfrom(128)[0]) >= 48
    except OSError:
        return False
    finally:
        c.close()


def javas_with(needle):
    n = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if needle in open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace"):
                n += 1
        except OSError:
            pass
    return n


def one(name, path, i):
    port = free_port()
    conf = os.path.join(work, f"{name}-{i}.conf")
    pidfile = os.path.join(work, f"{name}-{i}.pid")
    with open(conf, "w") as f:
        f.write(f"port {port}\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 10\ncmdport 0\n"
                f"bindcmdaddress /\npidfile {pidfile}\n")
    env = dict(os.environ)
    env.pop("JAVA_HOME", None)
    t0 = time.monotonic()
    r = subprocess.run([path, "-x", "-f", conf], env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    ms = (time.monotonic() - t0) * 1000
    ok = r.returncode == 0 and answers(port)
    procs = javas_with(conf)
    try:
        pid = int(open(pidfile).read())
        os.kill(pid, 15)
        for _ in range(500):
            if not os.path.exists(f"/proc/{pid}"):
                break
            time.sleep(0.02)
    except (OSError, ValueError):
        pass
    return ms, ok, procs, r.stderr.strip()


variants = [("package", package_launcher(work, "jchronyd-pkg", root))]
if os.environ.get("JCHRONY_BASELINE"):
    variants.append(("baseline package", package_launcher(work, "jchronyd-baseline", os.environ["JCHRONY_BASELINE"])))
print(f"{os.cpu_count()} cpus, load {open('/proc/loadavg').read().split()[:3]}, {runs} runs")
results = {name: [] for name, _ in variants}
for i in range(runs):
    for name, path in variants:
        results[name].append(one(name.replace(" ", "_"), path, i))
for name, _ in variants:
    rs = results[name]
    ms = [r[0] for r in rs]
    print(f"{name:18s} command returned after: median {statistics.median(ms):7.1f} ms, min {min(ms):7.1f}, "
          f"max {max(ms):7.1f}; answered NTP at once {sum(r[1] for r in rs)}/{runs}; "
          f"daemon processes after return: {sorted(set(r[2] for r in rs))}"
          + (f"; stderr: {rs[0][3]!r}" if rs[0][3] else ""), flush=True)
