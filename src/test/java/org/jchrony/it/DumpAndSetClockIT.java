package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jchrony.source.SourceDump;
import org.jchrony.testutil.FreePorts;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dumpdir, {@code chronyc dump}, {@code -r} and {@code -s} through the whole jchronyd (always
 * with {@code -x}), with Debian's chronyd 4.3 as server and as the other end of the file format:
 * jchronyd's dump is loaded by chronyd -r and chronyd's by jchronyd -r.
 */
class DumpAndSetClockIT {
    private Path dir;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("jchronyd-dump-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : started) stop(p);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private Path sock() {
        return dir.resolve("chronyd.sock");
    }

    /** bin/jchronyd -d -x ARGS with {@code lines} as its configuration (plus socket and pid file in the test directory). */
    private Process jchronyd(List<String> lines, String... args) throws IOException, InterruptedException {
        List<String> conf = new ArrayList<>(List.of("cmdport 0", "bindcmdaddress " + sock(), "pidfile " + dir.resolve("j.pid")));
        conf.addAll(lines);
        Path confFile = dir.resolve("chrony.conf");
        Files.write(confFile, conf);
        List<String> cmd = new ArrayList<>(List.of(JchronydProcess.LAUNCHER.toString(), "-d", "-x", "-f", confFile.toString()));
        cmd.addAll(List.of(args));
        Files.deleteIfExists(dir.resolve("j.log"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("j.log").toFile()).start();
        started.add(p);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(sock())) {
            if (!p.isAlive() || System.nanoTime() > deadline) throw new IOException("jchronyd did not start: " + log());
            Thread.sleep(20);
        }
        return p;
    }

    /** The log once it contains {@code text} (lines may reach the file a little after the answer that follows them). */
    private String logWith(String text) throws IOException, InterruptedException {
        for (int i = 0; i < 50 && !log().contains(text); i++) Thread.sleep(50);
        return log();
    }

    private String log() throws IOException {
        Path l = dir.resolve("j.log");
        return Files.exists(l) ? Files.readString(l) : "";
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM to our own child
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }

    private String chronyc(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/chronyc", "-h", sock().toString()));
        cmd.addAll(List.of(args));
        return RunningJchronyd.run(cmd);
    }

    /** NP of the first sourcestats line (CSV), -1 if none. */
    private static int samples(String csv) {
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length >= 3 && f[0].equals("127.0.0.1")) return Integer.parseInt(f[1]);
        }
        return -1;
    }

    private static int samplesIn(Path file, long nowNanos) throws IOException {
        return SourceDump.parse(Files.readString(file), "127.0.0.1", false, nowNanos).orElseThrow().samples().size();
    }

    private static long nowNanos() {
        return System.currentTimeMillis() * 1_000_000L + 5_000_000_000L;
    }

    @Test
    void dumpReloadAndChronydInterop() throws Exception {
        RealChronyd.assumeInstalled();
        Path dumpDir = dir.resolve("dump"); // created by the daemon
        Path file = dumpDir.resolve("127.0.0.1.dat");
        try (RealChronyd server = RealChronyd.start(List.of("local stratum 8", "allow 127.0.0.1"))) {
            String online = "server 127.0.0.1 port " + server.ntpPort() + " minpoll -2 maxpoll -2 iburst";
            String offline = "server 127.0.0.1 port " + server.ntpPort() + " offline";

            // 1. jchronyd collects samples; chronyc dump writes the file, exit writes it again
            Process first = jchronyd(List.of("port 0", online, "dumpdir " + dumpDir));
            int np = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (np < 8 && System.nanoTime() < deadline) {
                Thread.sleep(300);
                np = samples(chronyc("-c", "sourcestats"));
            }
            assertThat(np).as("samples collected: %s", log()).isGreaterThanOrEqualTo(8);
            assertThat(Files.exists(file)).as("no file before dump").isFalse();
            assertThat(chronyc("dump")).contains("200 OK");
            assertThat(samplesIn(file, nowNanos())).isGreaterThanOrEqualTo(np);
            assertThat(Files.readString(file)).containsPattern("^SRC0\n127\\.0\\.0\\.1\n0 [0-7]+ 8 8 0\n");
            stop(first);
            int dumped = samplesIn(file, nowNanos());
            assertThat(dumped).isGreaterThanOrEqualTo(np);

            // 2. jchronyd -r with the source offline: the statistics come back without any new sample
            Process second = jchronyd(List.of("port 0", offline, "dumpdir " + dumpDir), "-r");
            String stats = chronyc("-c", "sourcestats");
            assertThat(samples(stats)).as("%s\n%s", stats, log()).isGreaterThanOrEqualTo(Math.min(dumped, 6));
            assertThat(logWith("Loaded dump file")).contains("Loaded dump file for 127.0.0.1");
            assertThat(Files.exists(file)).as("removed after start").isFalse();
            stop(second);
            assertThat(Files.exists(file)).as("written again at exit").isTrue();

            // 2b. jchronyd -r with the source online: synchronised at its first response, with the old
            // samples (a fresh start would have one or two)
            Process resumed = jchronyd(List.of("port 0", online, "dumpdir " + dumpDir), "-r");
            String tracking = "";
            deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!tracking.contains("Leap status     : Normal") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                tracking = chronyc("tracking");
            }
            int npWhenSynchronised = samples(chronyc("-c", "sourcestats"));
            assertThat(tracking).as(log()).contains("Leap status     : Normal");
            assertThat(npWhenSynchronised).as("samples when first synchronised").isGreaterThanOrEqualTo(6);
            stop(resumed);

            // 3. Debian's chronyd -r loads jchronyd's file
            try (RealChronyd reader = RealChronyd.start(List.of(offline, "dumpdir " + dumpDir), List.of("-x", "-r"))) {
                String chronydStats = reader.chronyc("-c", "sourcestats");
                assertThat(reader.log()).contains("Loaded dump file for 127.0.0.1");
                assertThat(samples(chronydStats)).as(chronydStats).isGreaterThanOrEqualTo(Math.min(dumped, 6));
            }
            // 4. ... and jchronyd -r loads the file chronyd wrote at its exit
            assertThat(Files.exists(file)).as("chronyd's file").isTrue();
            String chronydText = Files.readString(file);
            Process fourth = jchronyd(List.of("port 0", offline, "dumpdir " + dumpDir), "-r");
            assertThat(samples(chronyc("-c", "sourcestats"))).isPositive();
            assertThat(logWith("Loaded dump file")).as(chronydText).contains("Loaded dump file for 127.0.0.1");
            stop(fourth);

            // 5. without -r the files are removed at start and not loaded
            Files.writeString(file, chronydText);
            Files.writeString(dumpDir.resolve("notes.dat"), "kept");
            Process fifth = jchronyd(List.of("port 0", offline, "dumpdir " + dumpDir));
            assertThat(samples(chronyc("-c", "sourcestats"))).isZero();
            assertThat(Files.exists(file)).isFalse();
            assertThat(Files.exists(dumpDir.resolve("notes.dat"))).isTrue();
            stop(fifth);
        }
    }

    @Test
    void exitDumpIsRelativeToTheClockANextStartSees() throws Exception {
        RealChronyd.assumeInstalled();
        Path dumpDir = dir.resolve("dump");
        Path file = dumpDir.resolve("127.0.0.1.dat");
        try (RealChronyd server = RealChronyd.start(List.of("local stratum 8", "allow 127.0.0.1"))) {
            Process p = jchronyd(List.of("port 0", "server 127.0.0.1 port " + server.ntpPort()
                    + " minpoll -2 maxpoll -2 iburst", "dumpdir " + dumpDir));
            int np = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (np < 8 && System.nanoTime() < deadline) {
                Thread.sleep(300);
                np = samples(chronyc("-c", "sourcestats"));
            }
            assertThat(np).as(log()).isGreaterThanOrEqualTo(8);
            assertThat(chronyc("offline")).contains("200 OK");
            // the virtual clock (-x) is put 250 ms back: the live history is re-based by that much...
            assertThat(chronyc("doffset", "0.25")).contains("200 OK");
            assertThat(chronyc("dump")).contains("200 OK");
            var live = SourceDump.parse(Files.readString(file), "127.0.0.1", false, nowNanos()).orElseThrow();
            assertThat(live.samples().getLast().offsetSeconds()).isCloseTo(-0.25, org.assertj.core.data.Offset.offset(0.01));
            // ...but a restart starts from the system clock again: the exit dump is relative to it
            stop(p);
            var atExit = SourceDump.parse(Files.readString(file), "127.0.0.1", false, nowNanos()).orElseThrow();
            for (var sample : atExit.samples()) {
                assertThat(Math.abs(sample.offsetSeconds())).as("offset in the exit dump").isLessThan(0.005);
            }
        }
    }

    @Test
    void reloadForASourceNamedInTheConfiguration() throws Exception {
        RealChronyd.assumeInstalled();
        Path dumpDir = dir.resolve("dump");
        try (RealChronyd server = RealChronyd.start(List.of("local stratum 8", "allow 127.0.0.1", "allow ::1"))) {
            // a name is resolved after start (on the resolver thread), like a pool member
            String named = "server localhost port " + server.ntpPort() + " minpoll -2 maxpoll -2 iburst";
            Process first = jchronyd(List.of("port 0", named, "dumpdir " + dumpDir));
            int np = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (np < 8 && System.nanoTime() < deadline) {
                Thread.sleep(300);
                np = namedSamples(chronyc("-c", "-n", "sourcestats"));
            }
            assertThat(np).as(log()).isGreaterThanOrEqualTo(8);
            stop(first);
            try (var files = Files.list(dumpDir)) {
                Path file = files.filter(f -> f.toString().endsWith(".dat")).findFirst().orElseThrow();
                assertThat(Files.readString(file)).startsWith("SRC0\nlocalhost\n");
            }

            jchronyd(List.of("port 0", named, "dumpdir " + dumpDir), "-r");
            int resumed = -1;
            deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (resumed < 6 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                resumed = namedSamples(chronyc("-c", "-n", "sourcestats"));
            }
            assertThat(logWith("Loaded dump file")).contains("Loaded dump file for");
            assertThat(resumed).as("old samples back after the first new one").isGreaterThanOrEqualTo(6);
        }
    }

    /** NP of the only source (any address), -1 if none. */
    private static int namedSamples(String csv) {
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length >= 3 && f[1].matches("[0-9]+")) return Integer.parseInt(f[1]);
        }
        return -1;
    }

    @Test
    void setClockFromDriftfileTimeMovesTheServedTime() throws Exception {
        int port = FreePorts.udp();
        Path drift = dir.resolve("drift");
        Files.writeString(drift, "           1.000000           0.100000\n");
        long ahead = 1000;
        long t0 = System.currentTimeMillis();
        long mtime = (t0 / 1000 + ahead) * 1000;
        Files.setLastModifiedTime(drift, FileTime.fromMillis(mtime));
        jchronyd(List.of("port " + port, "bindaddress 127.0.0.1", "allow 127.0.0.1", "local stratum 10",
                "driftfile " + drift), "-s");
        chronyc("tracking"); // answered once start-up (on the core loop) is complete
        double served = transmitTime(port);
        double elapsed = (System.currentTimeMillis() - t0) / 1000.0;
        // stepped to the driftfile's time at start-up (some seconds after t0), running on since
        assertThat(served - mtime / 1000.0).as("served time after the driftfile's time, s").isBetween(0.0, elapsed + 1.0);
        assertThat(logWith("System time restored")).contains("System time restored from driftfile");
        assertThat(chronyc("tracking")).contains("Stratum         : 10");
    }

    @Test
    void setClockIgnoresADriftfileFromThePast() throws Exception {
        int port = FreePorts.udp();
        Path drift = dir.resolve("drift");
        Files.writeString(drift, "           1.000000           0.100000\n");
        Files.setLastModifiedTime(drift, FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L));
        // fallbackdrift is wired in too (a daemon with it starts and serves)
        jchronyd(List.of("port " + port, "bindaddress 127.0.0.1", "allow 127.0.0.1", "local stratum 10",
                "driftfile " + drift, "fallbackdrift 16 19"), "-s");
        chronyc("tracking");
        double served = transmitTime(port);
        assertThat(Math.abs(served - System.currentTimeMillis() / 1000.0)).isLessThan(1.0);
        assertThat(log()).doesNotContain("System time restored");
    }

    /** One NTP client request to 127.0.0.1:port; the server's transmit time in Unix seconds. */
    private static double transmitTime(int port) throws IOException {
        byte[] req = new byte[48];
        req[0] = 0x23; // version 4, client
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            IOException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                s.send(new DatagramPacket(req, req.length, InetAddress.getLoopbackAddress(), port));
                DatagramPacket resp = new DatagramPacket(new byte[512], 512);
                try {
                    s.receive(resp);
                } catch (java.net.SocketTimeoutException e) {
                    last = e;
                    continue;
                }
                ByteBuffer b = ByteBuffer.wrap(resp.getData(), 0, resp.getLength());
                long secs = Integer.toUnsignedLong(b.getInt(40));
                long frac = Integer.toUnsignedLong(b.getInt(44));
                return secs - 2_208_988_800L + frac / 4294967296.0;
            }
            throw last;
        }
    }
}
