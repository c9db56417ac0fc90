package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jchrony.cmdmon.Candm;
import org.jchrony.testutil.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local faults and security checks through the real daemon (bin/jchronyd -d -x): default deny
 * for NTP, remote (127.0.0.2 is not localhost) and privileged commands, no reply longer than its
 * request on the NTP and command sockets under fuzzed datagrams, command socket directory with
 * wrong permissions, NTP port already taken, driftfile missing/corrupt/unwritable, and SIGTERM
 * (then SIGKILL) while the driftfile is written.
 */
class FaultDaemonIT {
    @TempDir Path tmp;

    static byte[] command(int code, int length, int sequence) {
        byte[] b = new byte[length];
        b[0] = 6;
        b[1] = 1;
        b[4] = (byte) (code >>> 8);
        b[5] = (byte) code;
        ByteBuffer.wrap(b, 8, 4).putInt(sequence);
        return b;
    }

    /** Sends one datagram from {@code from} to 127.0.0.1:port; the reply or null. */
    static byte[] exchange(String from, int port, byte[] req, int timeoutMillis) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
            s.setSoTimeout(timeoutMillis);
            s.send(new DatagramPacket(req, req.length, InetAddress.getByName("127.0.0.1"), port));
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return Arrays.copyOf(buf, p.getLength());
        }
    }

    static int status(byte[] reply) {
        return (reply[8] & 0xff) << 8 | (reply[9] & 0xff);
    }

    @Test
    @Timeout(60)
    void ntpIsDeniedByDefault() throws Exception {
        try (RunningJchronyd d = RunningJchronyd.start(List.of("local stratum 10"))) {
            assertThat(FaultSourcesIT.query(d.ntpPort(), "127.0.0.1", 1500)).as("no allow: silence").isNull();
            assertThat(d.chronyc("tracking")).contains("Reference ID"); // the daemon is up
        }
        try (RunningJchronyd d = RunningJchronyd.start(List.of("local stratum 10", "allow 127.0.0.1"))) {
            assertThat(FaultSourcesIT.query(d.ntpPort(), "127.0.0.1", 2000)).as("allowed host").isNotNull();
            assertThat(FaultSourcesIT.query(d.ntpPort(), "127.0.0.2", 1500)).as("127.0.0.2 not allowed").isNull();
        }
    }

    @Test
    @Timeout(60)
    void remoteAndPrivilegedCommandsAreRefused() throws Exception {
        try (RunningJchronyd d = RunningJchronyd.start(List.of("local stratum 10", "cmdallow 127.0.0.2"))) {
            int tracking = Candm.requestLength(Candm.REQ_TRACKING);
            int makestep = Candm.requestLength(Candm.REQ_MAKESTEP);
            // localhost and a cmdallow'ed host may monitor over UDP
            byte[] r = exchange("127.0.0.1", d.cmdPort(), command(Candm.REQ_TRACKING, tracking, 1), 2000);
            assertThat(r).isNotNull();
            assertThat(status(r)).isZero();
            r = exchange("127.0.0.2", d.cmdPort(), command(Candm.REQ_TRACKING, tracking, 2), 2000);
            assertThat(r).as("cmdallow 127.0.0.2").isNotNull();
            assertThat(status(r)).isZero();
            // a host without cmdallow (127.0.0.3 is not localhost): silence
            assertThat(exchange("127.0.0.3", d.cmdPort(), command(Candm.REQ_TRACKING, tracking, 3), 1500)).isNull();
            // privileged commands over UDP: 501 Not authorised, even from 127.0.0.1
            for (String from : List.of("127.0.0.1", "127.0.0.2")) {
                r = exchange(from, d.cmdPort(), command(Candm.REQ_MAKESTEP, makestep, 4), 2000);
                assertThat(r).as("makestep from %s", from).isNotNull();
                assertThat(status(r)).as("makestep over UDP from %s", from).isEqualTo(2);
            }
            // the same command over the Unix socket is served
            assertThat(d.chronyc("makestep")).doesNotContain("501");
            // and Debian's chronyc over UDP gets "501 Not authorised" too
            String out = RunningJchronyd.run(List.of("/usr/bin/chronyc", "-h", "127.0.0.1", "-p", String.valueOf(d.cmdPort()), "makestep"));
            assertThat(out).contains("501 Not authorised");
        }
    }

    @Test
    @Timeout(90)
    void noReplyLongerThanItsRequestUnderFuzzedDatagrams() throws Exception {
        try (RunningJchronyd d = RunningJchronyd.start(List.of("local stratum 10", "allow 127.0.0.0/8", "cmdallow 127.0.0.0/8"))) {
            SplittableRandom rnd = new SplittableRandom(20261126);
            byte[] ntp = new byte[48];
            ntp[0] = 0x23;
            byte[] track = command(Candm.REQ_TRACKING, Candm.requestLength(Candm.REQ_TRACKING), 7);
            long sent = 0;
            long replies = 0;
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
                s.setSoTimeout(100);
                for (int batch = 0; batch < 120; batch++) {
                    int port = batch % 2 == 0 ? d.ntpPort() : d.cmdPort();
                    byte[] seed = batch % 2 == 0 ? ntp : track;
                    int length = switch (batch % 6) {
                        case 0, 1 -> seed.length;
                        case 2, 3 -> rnd.nextInt(0, 1100);
                        default -> rnd.nextInt(1, 128) * 4;
                    };
                    for (int i = 0; i < 20; i++) {
                        byte[] p = Arrays.copyOf(seed, length);
                        int flips = rnd.nextInt(0, 6);
                        for (int f = 0; f < flips && length > 0; f++) p[rnd.nextInt(length)] = (byte) rnd.nextInt(256);
                        if (batch % 2 == 1 && length > 5 && rnd.nextBoolean()) {
                            int code = rnd.nextInt(0, 80); // any command code, incl. privileged ones
                            p[0] = 6; p[1] = 1; p[2] = 0; p[3] = 0; p[4] = (byte) (code >>> 8); p[5] = (byte) code;
                        }
                        s.send(new DatagramPacket(p, p.length, InetAddress.getByName("127.0.0.1"), port));
                        sent++;
                    }
                    byte[] buf = new byte[4096];
                    while (true) {
                        DatagramPacket in = new DatagramPacket(buf, buf.length);
                        try {
                            s.receive(in);
                        } catch (SocketTimeoutException e) {
                            break;
                        }
                        replies++;
                        assertThat(in.getLength()).as("reply to a %d-byte request on port %d", length, port).isLessThanOrEqualTo(length);
                        if (port == d.cmdPort() && in.getLength() >= 28) {
                            int code = (buf[4] & 0xff) << 8 | (buf[5] & 0xff);
                            if (!Candm.openOverUdp(code) && Candm.knownRequest(code)) {
                                assertThat(status(Arrays.copyOf(buf, in.getLength()))).as("privileged command %d over UDP", code).isNotZero();
                            }
                        }
                    }
                }
            }
            assertThat(replies).as("some of the %d datagrams were answered", sent).isPositive();
            FaultSourcesIT.assertServes(d);
            assertThat(d.chronyc("tracking")).contains("Reference ID");
        }
    }

    /** Starts bin/jchronyd -d -x with these config lines; the caller ends it. */
    Process startRaw(List<String> lines, Path log) throws IOException {
        Path conf = tmp.resolve("chrony-" + System.nanoTime() + ".conf");
        Files.write(conf, lines);
        return new ProcessBuilder(JchronydProcess.LAUNCHER.toString(), "-d", "-x", "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static boolean awaitLog(Path log, String text, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(text)) return true;
            Thread.sleep(100);
        }
        return false;
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }

    @Test
    @Timeout(60)
    void commandSocketDirectoryWithWrongPermissionsDisablesTheSocketOnly() throws Exception {
        Path run = Files.createDirectory(tmp.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int port = FreePorts.udp();
        Path log = tmp.resolve("perm.log");
        Process p = startRaw(List.of("port " + port, "bindaddress 127.0.0.1", "cmdport 0", "bindcmdaddress " + run.resolve("chronyd.sock"),
                "allow 127.0.0.1", "local stratum 10", "pidfile " + tmp.resolve("p.pid")), log);
        try {
            assertThat(awaitLog(log, "Disabled command socket", Duration.ofSeconds(30))).as(Files.readString(log)).isTrue();
            assertThat(Files.readString(log)).contains("Wrong permissions on " + run)
                    .contains("Disabled command socket " + run.resolve("chronyd.sock"));
            assertThat(run.resolve("chronyd.sock")).doesNotExist();
            byte[] r = null;
            for (int i = 0; i < 20 && r == null; i++) r = FaultSourcesIT.query(port, "127.0.0.1", 500);
            assertThat(r).as("NTP still served").isNotNull();
            assertThat(p.isAlive()).isTrue();
        } finally {
            stop(p);
        }
    }

    @Test
    @Timeout(60)
    void ntpPortAlreadyTakenIsAClearErrorAndExit1() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(null)) {
            squatter.setReuseAddress(false);
            squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = squatter.getLocalPort();
            Path conf = tmp.resolve("taken.conf");
            Files.write(conf, List.of("port " + port, "bindaddress 127.0.0.1", "cmdport 0", "allow 127.0.0.1",
                    "local stratum 10", "pidfile " + tmp.resolve("t.pid")));
            var r = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-d", "-x", "-f", conf.toString()), 45);
            String all = r.stdout() + r.stderr();
            assertThat(r.exitCode()).as(all).isEqualTo(1);
            assertThat(all).contains("Could not open NTP socket").contains("127.0.0.1").contains(String.valueOf(port))
                    .containsIgnoringCase("address already in use");
        }
    }

    static double[] readDrift(Path f) throws IOException {
        String[] w = Files.readString(f).trim().split("\\s+");
        assertThat(w).as("driftfile %s: '%s'", f, Files.readString(f)).hasSize(2);
        return new double[] {Double.parseDouble(w[0]), Double.parseDouble(w[1])};
    }

    @Test
    @Timeout(90)
    void driftfileMissingCorruptAndUnwritable() throws Exception {
        int port = FreePorts.udp();
        List<String> base = List.of("port " + port, "bindaddress 127.0.0.1", "cmdport 0", "allow 127.0.0.1", "local stratum 10",
                "pidfile " + tmp.resolve("d.pid"));
        // missing: starts, serves, writes one at exit
        Path missing = tmp.resolve("missing.drift");
        List<String> c1 = new ArrayList<>(base);
        c1.add("driftfile " + missing);
        Path log1 = tmp.resolve("missing.log");
        Process p = startRaw(c1, log1);
        try {
            assertThat(serveWithin(port, p)).as(Files.readString(log1)).isTrue();
        } finally {
            stop(p);
        }
        assertThat(p.exitValue()).as("exit status after SIGTERM, as chronyd: 0").isZero();
        assertThat(readDrift(missing)).hasSize(2);
        // corrupt: chronyd's message, starts at 0 ppm, serves, rewrites a valid file at exit
        Path corrupt = tmp.resolve("corrupt.drift");
        Files.writeString(corrupt, "garbage \u0000\u00ff 12\n");
        List<String> c2 = new ArrayList<>(base);
        c2.add("driftfile " + corrupt);
        Path log2 = tmp.resolve("corrupt.log");
        p = startRaw(c2, log2);
        try {
            assertThat(serveWithin(port, p)).as(Files.readString(log2)).isTrue();
            assertThat(awaitLog(log2, "Could not read valid frequency and skew from driftfile " + corrupt, Duration.ofSeconds(10)))
                    .as(Files.readString(log2)).isTrue();
        } finally {
            stop(p);
        }
        assertThat(p.exitValue()).isZero();
        assertThat(readDrift(corrupt)).hasSize(2);
        // unwritable directory (/sys refuses new files even to root): serves, exits 0 with a message
        Path unwritable = Path.of("/sys/jchrony-fault-it.drift");
        List<String> c3 = new ArrayList<>(base);
        c3.add("driftfile " + unwritable);
        Path log3 = tmp.resolve("ro.log");
        p = startRaw(c3, log3);
        try {
            assertThat(serveWithin(port, p)).as(Files.readString(log3)).isTrue();
        } finally {
            stop(p);
        }
        assertThat(p.exitValue()).as(Files.readString(log3)).isZero();
        assertThat(Files.readString(log3)).contains("Could not write driftfile " + unwritable).contains("chronyd exiting");
        assertThat(unwritable).doesNotExist();
    }

    /**
     * Whether the daemon answers NTP within ~30 s; then waits 1.5 s more, because jchronyd installs its
     * SIGTERM handling only when start-up has finished (a SIGTERM in that window ends the JVM with 143
     * and no driftfile write; see docs/ROBUSTNESS.md).
     */
    static boolean serveWithin(int port, Process p) throws Exception {
        for (int i = 0; i < 60; i++) {
            if (!p.isAlive()) return false;
            if (FaultSourcesIT.query(port, "127.0.0.1", 500) != null) {
                Thread.sleep(1500);
                return true;
            }
        }
        return false;
    }

    @Test
    @Timeout(120)
    void sigtermThenSigkillDuringDriftfileWriteLeavesAWholeFile() throws Exception {
        int port = FreePorts.udp();
        Path drift = tmp.resolve("kill.drift");
        List<String> conf = List.of("port " + port, "bindaddress 127.0.0.1", "cmdport 0", "allow 127.0.0.1", "local stratum 10",
                "pidfile " + tmp.resolve("k.pid"), "driftfile " + drift);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 5; round++) {
            String old = String.format("%.6f %.6f%n", 10.0 + round, 0.25);
            Files.writeString(drift, old);
            Path log = tmp.resolve("kill" + round + ".log");
            Process p = startRaw(conf, log);
            assertThat(serveWithin(port, p)).as(Files.readString(log)).isTrue();
            p.destroy(); // SIGTERM: the daemon starts writing the driftfile
            Thread.sleep(rnd.nextInt(0, 40));
            p.destroyForcibly(); // SIGKILL somewhere during or after the write
            p.waitFor(10, TimeUnit.SECONDS);
            double[] v = readDrift(drift); // whole: the old contents or a complete new line
            assertThat(v[0]).as("frequency").isBetween(-500.0, 500.0);
            assertThat(Files.readString(drift)).endsWith("\n");
        }
    }
}
