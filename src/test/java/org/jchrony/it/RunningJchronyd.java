package org.jchrony.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jchrony.testutil.FreePorts;

/**
 * bin/jchronyd in the foreground ({@code -d -x}) on free loopback ports, in a private
 * directory, for end-to-end tests. Ended by its own PID.
 */
public final class RunningJchronyd implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int ntpPort;
    private final int cmdPort;

    private RunningJchronyd(Process process, Path dir, int ntpPort, int cmdPort) {
        this.process = process;
        this.dir = dir;
        this.ntpPort = ntpPort;
        this.cmdPort = cmdPort;
    }

    public static RunningJchronyd start(List<String> extraLines) throws IOException, InterruptedException {
        return start(extraLines, java.util.Map.of());
    }

    /** {@link #start(List)} with extra environment variables for bin/jchronyd (e.g. JCHRONY_JAVA_OPTS). */
    public static RunningJchronyd start(List<String> extraLines, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jchronyd-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        int ntpPort = FreePorts.udp();
        int cmdPort = FreePorts.udp();
        List<String> conf = new ArrayList<>(List.of(
                "port " + ntpPort,
                "bindaddress 127.0.0.1",
                "cmdport " + cmdPort,
                "bindcmdaddress 127.0.0.1",
                "bindcmdaddress " + dir.resolve("chronyd.sock"),
                "pidfile " + dir.resolve("jchronyd.pid"),
                "driftfile " + dir.resolve("drift")));
        conf.addAll(extraLines);
        Path confFile = dir.resolve("chrony.conf");
        Files.write(confFile, conf);
        ProcessBuilder pb = new ProcessBuilder(JchronydProcess.LAUNCHER.toString(), "-d", "-x", "-f", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("jchronyd.log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        RunningJchronyd j = new RunningJchronyd(p, dir, ntpPort, cmdPort);
        j.awaitSocket(Duration.ofSeconds(30));
        return j;
    }

    private void awaitSocket(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("jchronyd exited: " + log());
            if (Files.exists(socketPath())) return;
            Thread.sleep(20);
        }
        throw new IOException("jchronyd did not open its command socket in time: " + log());
    }

    public int ntpPort() { return ntpPort; }

    public int cmdPort() { return cmdPort; }

    public Path socketPath() { return dir.resolve("chronyd.sock"); }

    public Path dir() { return dir; }

    public long pid() { return process.pid(); }

    public String log() throws IOException {
        Path l = dir.resolve("jchronyd.log");
        return Files.exists(l) ? Files.readString(l) : "";
    }

    /** Runs a chronyc-compatible client ({@code /usr/bin/chronyc} or bin/jchronyc) with the given arguments. */
    public static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }

    /** Debian's chronyc against this daemon's Unix socket. */
    public String chronyc(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/chronyc", "-h", socketPath().toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
