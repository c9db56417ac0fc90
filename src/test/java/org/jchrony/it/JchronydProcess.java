package org.jchrony.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs bin/jchronyd (the packaged jar, as a user would) for integration tests. Every process
 * started here is ended by its own PID.
 */
public final class JchronydProcess {
    public static final Path TOP = Path.of(System.getProperty("user.dir"));
    public static final Path LAUNCHER = TOP.resolve("bin/jchronyd");
    public static final Path CLIENT = TOP.resolve("bin/jchronyc");

    private JchronydProcess() {}

    public record Result(int exitCode, String stdout, String stderr) {}

    /** Runs the launcher to completion (or timeout) and collects its output. */
    /**
     * The smallest daemon configuration the lifecycle tests start: NTP on {@code port} serving
     * 127.0.0.1 as {@code local stratum 10}, no UDP command port, the command socket, pid file and
     * driftfile under {@code dir}; {@code extra} lines follow.
     */
    public static List<String> minimalConfig(Path dir, int port, String... extra) {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "port " + port,
                "cmdport 0",
                "bindcmdaddress " + dir.resolve("run/chronyd.sock"),
                "pidfile " + dir.resolve("chronyd.pid"),
                "driftfile " + dir.resolve("drift"),
                "allow 127.0.0.1",
                "local stratum 10"));
        lines.addAll(List.of(extra));
        return lines;
    }

    public static Result run(Path launcher, List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher.toString());
        cmd.addAll(args);
        Path out = Files.createTempFile("jchronyd-out", ".txt");
        Path err = Files.createTempFile("jchronyd-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("timed out: " + cmd + "\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Sends SIGTERM to {@code pid} (a daemon this test started) and waits for it to go. */
    public static boolean terminate(long pid, long timeoutSeconds) throws InterruptedException {
        var h = ProcessHandle.of(pid);
        if (h.isEmpty()) return true;
        h.get().destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (h.get().isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        return !h.get().isAlive();
    }
}
