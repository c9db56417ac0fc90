package org.jchrony.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chronyd on loopback, as the oracle for interop tests. Runs in the foreground
 * ({@code -d}) as root ({@code -u root}, so it accepts a private 0700 socket directory), with
 * {@code -x} unless told otherwise, on free ports, in a private temporary directory. Stopped by
 * its own PID only. Tests that need it call {@link #assumeInstalled()} first so they are
 * skipped (not failed) where chrony is absent; .ci/run installs it.
 *
 * <pre>
 * try (RealChronyd c = RealChronyd.start(List.of("allow 127.0.0.0/8", "local stratum 10"))) {
 *     send NTP to 127.0.0.1:c.ntpPort(); chronyc -h c.socketPath() ...
 * }
 * </pre>
 */
public final class RealChronyd implements AutoCloseable {
    public static final Path CHRONYD = Path.of("/usr/sbin/chronyd");
    public static final Path CHRONYC = Path.of("/usr/bin/chronyc");

    private final Process process;
    private final Path dir;
    private final int ntpPort;
    private final int cmdPort;

    private RealChronyd(Process process, Path dir, int ntpPort, int cmdPort) {
        this.process = process;
        this.dir = dir;
        this.ntpPort = ntpPort;
        this.cmdPort = cmdPort;
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHRONYD) && Files.isExecutable(CHRONYC),
                "Debian's chrony is not installed (apt-get install chrony)");
    }

    /** Starts chronyd -x with {@code extraLines} appended to a config that sets ports, socket and pid file. */
    public static RealChronyd start(List<String> extraLines) throws IOException, InterruptedException {
        return start(extraLines, List.of("-x"));
    }

    public static RealChronyd start(List<String> extraLines, List<String> extraArgs) throws IOException, InterruptedException {
        assumeInstalled();
        Path dir = Files.createTempDirectory("chronyd-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        int ntpPort = FreePorts.udp();
        int cmdPort = FreePorts.udp();
        List<String> conf = new ArrayList<>(List.of(
                "port " + ntpPort,
                "cmdport " + cmdPort,
                "bindcmdaddress 127.0.0.1",
                "bindcmdaddress " + dir.resolve("chronyd.sock"),
                "pidfile " + dir.resolve("chronyd.pid"),
                // chronyd measures its precision at start-up, which on a busy machine varies from
                // one instance to the next (-25/-26 here); pinned, every oracle instance agrees
                "clockprecision 0.00000002"));
        conf.addAll(extraLines);
        Path confFile = dir.resolve("chrony.conf");
        Files.write(confFile, conf);
        List<String> cmd = new ArrayList<>(List.of(CHRONYD.toString(), "-d", "-u", "root", "-f", confFile.toString()));
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chronyd.log").toFile()).start();
        RealChronyd c = new RealChronyd(p, dir, ntpPort, cmdPort);
        c.awaitSocket(Duration.ofSeconds(5));
        return c;
    }

    private void awaitSocket(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("chronyd exited: " + log());
            if (Files.exists(socketPath())) return;
            Thread.sleep(20);
        }
        throw new IOException("chronyd did not create its command socket: " + log());
    }

    public int ntpPort() { return ntpPort; }

    public int cmdPort() { return cmdPort; }

    public Path dir() { return dir; }

    public Path socketPath() { return dir.resolve("chronyd.sock"); }

    public long pid() { return process.pid(); }

    public String log() throws IOException {
        Path log = dir.resolve("chronyd.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Runs Debian's chronyc against this daemon's Unix socket; returns its stdout (stderr appended). */
    public String chronyc(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHRONYC.toString(), "-h", socketPath().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy(); // SIGTERM to our own child only
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
