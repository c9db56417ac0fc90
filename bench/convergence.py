#!/usr/bin/env python3
"""Convergence benchmark: jchronyd -x and Debian's chronyd -x side by side, following the same
simulated reference servers on loopback, measured from outside by an NTP client.

Each reference server is a small NTP server in this script whose clock is off from the system
clock by a known offset and frequency error, and that delays requests and replies by a base
delay plus exponential jitter (optionally asymmetric). Both daemons (with -x, so the system
clock is never touched) follow the same references; a client asks each daemon for its time
every 100 ms and computes its error against the reference timescale:

    error = measured offset of the daemon (NTP on-wire formula) - true offset of the reference

Reported per daemon: time to converge (first time |error| stays below a threshold for 10 s)
and the RMS / max |error| over the last half of the run, then the ratios jchronyd/chronyd.

Usage: bench/convergence.py [--seconds 120] [--scenario one|jitter|falsetickers|all] [--keep DIR]
Needs: Debian's chrony (/usr/sbin/chronyd), the built jar (bin/jchronyd builds it if missing).
Everything stays on loopback (127.0.0.1-6) and stops by itself.
"""
import argparse
import heapq
import itertools
import math
import os
import random
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

NTP_UNIX = 2208988800
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPARE_JAR = [None]


def to_ntp(t):
    s = int(math.floor(t))
    return ((s + NTP_UNIX) & 0xffffffff) << 32 | int((t - s) * 4294967296.0) & 0xffffffff


def from_ntp(v, pivot):
    s = (v >> 32) - NTP_UNIX
    s += round((pivot - s) / 4294967296.0) * 4294967296
    return s + (v & 0xffffffff) / 4294967296.0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RefServer(threading.Thread):
    """An NTP server (stratum 1) whose clock is system + offset + freq*(t - t0)."""

    def __init__(self, offset, freq_ppm, delay, jitter, asym=0.0, seed=1, addr="127.0.0.1"):
        super().__init__(daemon=True)
        self.addr = addr
        self.offset, self.freq, self.delay, self.jitter, self.asym = offset, freq_ppm * 1e-6, delay, jitter, asym
        self.t0 = time.time()
        self.rng = random.Random(seed)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((addr, 0))
        self.port = self.sock.getsockname()[1]
        self.stop = False
        self.due = []
        self.seq = itertools.count()

    def true_offset(self, t):
        return self.offset + self.freq * (t - self.t0)

    def now(self):
        t = time.time()
        return t + self.true_offset(t)

    def _later(self, seconds, fn):
        # one thread and a heap of due actions: a timer thread per packet (as before) added
        # scheduling jitter of its own that dominated the simulated network's
        heapq.heappush(self.due, (time.time() + max(seconds, 0), next(self.seq), fn))

    def run(self):
        while not self.stop:
            now = time.time()
            while self.due and self.due[0][0] <= now:
                heapq.heappop(self.due)[2]()
                now = time.time()
            wait = min(0.2, self.due[0][0] - now) if self.due else 0.2
            r, _, _ = select.select([self.sock], [], [], max(wait, 0))
            if not r:
                continue
            data, addr = self.sock.recvfrom(1024)
            if len(data) < 48:
                continue
            d_req = self.delay * (1 + self.asym) / 2 + self.rng.expovariate(1 / self.jitter) / 2 if self.jitter else self.delay / 2
            d_rsp = self.delay * (1 - self.asym) / 2 + self.rng.expovariate(1 / self.jitter) / 2 if self.jitter else self.delay / 2
            self._later(d_req, lambda data=data, addr=addr, d=d_rsp: self._answer(data, addr, d))

    def _answer(self, data, addr, d_rsp):
        rx = self.now()
        vn = (data[0] >> 3) & 7
        reply = bytearray(48)
        reply[0] = (0 << 6) | (vn << 3) | 4
        reply[1] = 1
        reply[2] = data[2]
        reply[3] = 0xEC  # precision -20
        struct.pack_into(">III", reply, 4, 0, 0x10, 0x47505300)  # root delay 0, dispersion ~0.2 ms, "GPS"
        struct.pack_into(">Q", reply, 16, to_ntp(rx - 1))
        reply[24:32] = data[40:48]
        struct.pack_into(">Q", reply, 32, to_ntp(rx))
        # the transmit stamp is taken before the response-path delay, as on a real network
        tx_stamp = self.now()
        struct.pack_into(">Q", reply, 40, to_ntp(tx_stamp))
        self._later(d_rsp, lambda: self.sock.sendto(bytes(reply), addr))


SO_TIMESTAMPING = 37
# TX_SOFTWARE | RX_SOFTWARE | SOFTWARE | OPT_TSONLY: kernel stamps, so the measuring client adds
# no user-space latency of its own to the error it reports
TS_FLAGS = 2 | 8 | 16 | 2048


def _kernel_stamp(anc):
    for level, typ, data in anc:
        if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPING and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            if sec or nsec:
                return sec + nsec * 1e-9
    return None


def query(port, timeout=0.5):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, TS_FLAGS)
    except OSError:
        pass
    req = bytearray(48)
    req[0] = 0x23
    t1 = time.time()
    struct.pack_into(">Q", req, 40, to_ntp(t1))
    try:
        s.sendto(bytes(req), ("127.0.0.1", port))
        try:
            _, anc, _, _ = s.recvmsg(64, 256, socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
            t1 = _kernel_stamp(anc) or t1
        except OSError:
            pass
        data, anc, _, _ = s.recvmsg(1024, 256)
        t4 = _kernel_stamp(anc) or time.time()
    except OSError:
        return None
    finally:
        s.close()
    if len(data) < 48 or (data[0] >> 6) == 3 or data[24:32] != req[40:48]:
        return None
    t2 = from_ntp(struct.unpack_from(">Q", data, 32)[0], t1)
    t3 = from_ntp(struct.unpack_from(">Q", data, 40)[0], t1)
    return ((t2 - t1) + (t3 - t4)) / 2, (t1 + t4) / 2


def start_daemon(kind, workdir, ntp_port, refs, poll, logs=False):
    conf = os.path.join(workdir, kind + ".conf")
    lines = [f"port {ntp_port}", "bindaddress 127.0.0.1", "cmdport 0", "allow 127.0.0.1",
             f"pidfile {workdir}/{kind}.pid", f"bindcmdaddress {workdir}/{kind}.sock", "makestep 0.1 3"]
    if logs:
        os.makedirs(os.path.join(workdir, kind), exist_ok=True)
        lines += [f"logdir {workdir}/{kind}", "log measurements statistics tracking"]
    for r in refs:
        lines.append(f"server {r.addr} port {r.port} minpoll {poll} maxpoll {poll} iburst")
    with open(conf, "w") as f:
        f.write("\n".join(lines) + "\n")
    log = open(os.path.join(workdir, kind + ".log"), "w")
    if kind == "chronyd":
        cmd = ["/usr/sbin/chronyd", "-d", "-x", "-u", "root", "-f", conf]
    elif kind == "jchronyd-alt":
        # another build of jchronyd (--compare-jar), started as bin/jchrony-java starts the jar
        java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin/java")
        cmd = [java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-Xss512k",
               "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"] + os.environ.get("JCHRONY_ALT_OPTS", "").split() + ["-cp", COMPARE_JAR[0],
               "org.jchrony.cli.JchronydMain", "-d", "-x", "-f", conf]
    else:
        cmd = [os.path.join(TOP, "bin/jchronyd"), "-d", "-x", "-f", conf]
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)


def run_scenario(name, refs, seconds, poll, threshold, keep=None):
    work = tempfile.mkdtemp(prefix="jchrony-conv-") if keep is None else os.path.join(keep, name)
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o700)
    for r in refs:
        r.start()
    good = [r for r in refs if getattr(r, "good", True)]
    ports = {"chronyd": free_port(), "jchronyd": free_port()}
    if COMPARE_JAR[0]:
        ports["jchronyd-alt"] = free_port()
    procs = {k: start_daemon(k, work, p, refs, poll, keep is not None) for k, p in ports.items()}
    t_start = time.time()
    samples = {k: [] for k in procs}
    try:
        while time.time() - t_start < seconds:
            for k, port in ports.items():
                q = query(port, 0.2)
                if q is None:
                    continue
                offset, t = q
                samples[k].append((t - t_start, offset - good[0].true_offset(t)))
            time.sleep(0.1)
    finally:
        for p in procs.values():
            p.send_signal(signal.SIGTERM)
        for p in procs.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        for r in refs:
            r.stop = True
    result = {}
    for k, s in samples.items():
        conv = None
        for i, (t, e) in enumerate(s):
            if abs(e) < threshold and all(abs(e2) < threshold for t2, e2 in s[i:] if t2 - t <= 10):
                if s[-1][0] - t >= 10:
                    conv = t
                    break
        tail = [e for t, e in s if t >= seconds / 2]
        rms = math.sqrt(sum(e * e for e in tail) / len(tail)) if tail else float("nan")
        mx = max((abs(e) for e in tail), default=float("nan"))
        result[k] = (conv, rms, mx, len(s))
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)
    else:
        with open(os.path.join(work, "errors.txt"), "w") as f:
            for k, s in samples.items():
                for t, e in s:
                    f.write(f"{k} {t:.3f} {e * 1e6:.1f}\n")
    print(f"\n== {name} ({seconds} s, poll 2^{poll} s, converged = |error| < {threshold * 1e3:g} ms for 10 s)")
    print(f"{'daemon':12} {'converged':>10} {'RMS error':>12} {'max error':>12} {'samples':>8}")
    for k in result:
        conv, rms, mx, n = result[k]
        cs = f"{conv:.1f} s" if conv is not None else "never"
        print(f"{k:12} {cs:>10} {rms * 1e6:>9.1f} us {mx * 1e6:>9.1f} us {n:>8}")
    c = result["chronyd"]
    for k in [k for k in result if k != "chronyd"]:
        j = result[k]
        if c[0] and j[0]:
            print(f"ratio {k}/chronyd: convergence time {j[0] / c[0]:.2f}, RMS error {j[1] / c[1]:.2f}")
        elif c[1] == c[1] and j[1] == j[1]:
            print(f"ratio {k}/chronyd: RMS error {j[1] / c[1]:.2f}")
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--scenario", default="all")
    ap.add_argument("--poll", type=int, default=-2)
    ap.add_argument("--keep", metavar="DIR", help="keep configs, logs (measurements statistics tracking) "
                    "and the error trace of each daemon under DIR/SCENARIO")
    ap.add_argument("--compare-jar", metavar="JAR", help="also run this build of jchronyd (as jchronyd-alt) "
                    "in the same run, e.g. the jar before a change")
    args = ap.parse_args()
    COMPARE_JAR[0] = args.compare_jar
    if not os.path.exists("/usr/sbin/chronyd"):
        sys.exit("needs Debian's chrony: apt-get install chrony")
    scenarios = {
        # one source, 0.5 s off and 50 ppm fast, 200 us base delay with 100 us exponential jitter
        "one": lambda: [RefServer(0.5, 50, 200e-6, 100e-6, seed=1)],
        # high jitter: 2 ms exponential, slightly asymmetric
        "jitter": lambda: [RefServer(0.2, -30, 1e-3, 2e-3, asym=0.1, seed=2)],
        # three good servers (same timescale, independent jitter) and two falsetickers 0.3 s off, each
        # on its own loopback address: chronyd refuses a second source on the same address ("Could
        # not add source"), so with one address it only ever had the first three, the good ones
        "falsetickers": lambda: ([RefServer(0.1, 20, 300e-6, 100e-6, seed=s, addr=f"127.0.0.{s - 1}") for s in (3, 4, 5)]
                                 + [RefServer(0.4, 20, 300e-6, 100e-6, seed=s, addr=f"127.0.0.{s - 1}") for s in (6, 7)]),
    }
    for name, make in scenarios.items():
        if args.scenario not in ("all", name):
            continue
        refs = make()
        if name == "falsetickers":
            for r in refs[1:3]:
                r.t0 = refs[0].t0
            for r in refs[3:]:
                r.good = False
                r.t0 = refs[0].t0
        threshold = 0.005 if name == "jitter" else 0.001
        run_scenario(name, refs, args.seconds, args.poll, threshold, args.keep)


if __name__ == "__main__":
    main()
