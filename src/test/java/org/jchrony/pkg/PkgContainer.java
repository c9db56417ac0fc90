package org.jchrony.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A Debian 12 booted under its own systemd for package tests: a debootstrap root (built once
 * from this machine's Debian mirror, cached under /var/cache) started with
 * {@code systemd-nspawn --register=no --keep-unit -b --console=pipe --volatile=overlay
 * --private-network}. The overlay keeps the cached root pristine, the private network gives
 * the container its own loopback (its ports 123/323 are not the host's), and nspawn leaves
 * CAP_SYS_TIME out of the container's bounding set, so nothing inside can set the host clock.
 *
 * <p>Commands run inside with {@code nsenter -t <container PID 1> -a}; host binaries can run
 * in the container's network namespace only. The process this class starts is ended by its
 * own PID in {@link #close()}.
 */
final class PkgContainer implements AutoCloseable {
    private static final String PATH_ENV = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

    private final Process nspawn;
    private final long pid;
    private final Path logs;

    private PkgContainer(Process nspawn, long pid, Path logs) {
        this.nspawn = nspawn;
        this.pid = pid;
        this.logs = logs;
    }

    /** Skips the calling test (JUnit assumption) where containers cannot run here. */
    static void assumeAvailable() {
        Assumptions.assumeTrue(PkgProcess.isRoot(), "needs root (debootstrap, systemd-nspawn, nsenter)");
        for (String tool : List.of("systemd-nspawn", "nsenter", "debootstrap")) {
            Assumptions.assumeTrue(PkgProcess.onPath(tool),
                    tool + " missing: apt-get install -y debootstrap systemd-container");
        }
    }

    /**
     * Boots {@code root} (debootstrapped with {@code include} first if missing), with
     * {@code hostDir} bind-mounted read-only at /mnt/jchrony, and waits for systemd to be up.
     */
    static PkgContainer boot(Path root, String include, Path hostDir, Path logs) throws Exception {
        Files.createDirectories(logs);
        ensureRoot(root, include, logs);
        String machine = "jchrony-it-" + ProcessHandle.current().pid() + "-" + (System.nanoTime() % 100000);
        Process nspawn = new ProcessBuilder("systemd-nspawn", "--register=no", "--keep-unit", "--quiet",
                "-D", root.toString(), "--volatile=overlay", "--private-network",
                "--bind-ro=" + hostDir + ":/mnt/jchrony", "-M", machine, "-b", "--console=pipe")
                .redirectErrorStream(true).redirectOutput(logs.resolve("console.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        PkgContainer c;
        try {
            c = new PkgContainer(nspawn, waitForInit(nspawn, logs, 30_000), logs);
        } catch (Throwable t) {
            stop(nspawn);
            throw t;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String state = "";
        while (System.nanoTime() < deadline) {
            state = c.inside(20, "systemctl is-system-running").output().trim();
            if (state.equals("running") || state.equals("degraded")) {
                return c;
            }
            Thread.sleep(200);
        }
        c.close();
        throw new AssertionError("container systemd did not come up: " + state);
    }

    /** Runs {@code script} with /bin/sh inside the container (all its namespaces), clean environment. */
    PkgProcess.Result inside(long timeoutSeconds, String script) {
        return PkgProcess.run(timeoutSeconds, "nsenter", "-t", Long.toString(pid), "-a",
                "env", "-i", PATH_ENV, "LANG=C.UTF-8", "/bin/sh", "-c", script);
    }

    /** Runs a host binary in the container's network namespace only. */
    PkgProcess.Result inNetns(long timeoutSeconds, String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-n"));
        cmd.addAll(List.of(command));
        return PkgProcess.run(timeoutSeconds, cmd);
    }

    /** Copies a host file into the running container (through /proc/PID/root), mode kept. */
    void copyIn(Path hostFile, String containerPath) throws IOException {
        Path target = Path.of("/proc", Long.toString(pid), "root").resolve(containerPath.substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(hostFile, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }

    /** Polls {@code systemctl is-active} until a settled state or the timeout. */
    String waitForUnitState(String unit, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String state = "";
        while (System.nanoTime() < deadline) {
            state = inside(10, "systemctl is-active " + unit).output().trim();
            if (state.equals("active") || state.equals("failed") || state.equals("inactive")) {
                return state;
            }
            Thread.sleep(250);
        }
        return state;
    }

    /** Writes {@code text} to the log directory (best effort). */
    void save(String name, String text) {
        saveTo(logs, name, text);
    }

    /** Saves the unit's journal and status, then halts the container (SIGTERM to nspawn). */
    @Override
    public void close() {
        save("jchronyd.journal", inside(30, "journalctl --no-pager -o short-precise -u jchronyd.service").output());
        save("jchronyd.status", inside(30, "systemctl status --no-pager jchronyd.service").output());
        save("boot.journal", inside(30, "journalctl --no-pager -b -o short-precise").output());
        try {
            stop(nspawn);
        } catch (InterruptedException e) {
            nspawn.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(Process nspawn) throws InterruptedException {
        if (nspawn.isAlive()) {
            nspawn.destroy(); // SIGTERM: nspawn asks the container's systemd to halt
            if (!nspawn.waitFor(20, TimeUnit.SECONDS)) {
                nspawn.destroyForcibly();
                nspawn.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The container's init: the descendant of nspawn that is PID 1 in its own PID namespace. */
    private static long waitForInit(Process nspawn, Path logs, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            Optional<ProcessHandle> init = nspawn.toHandle().descendants()
                    .filter(PkgContainer::isNamespaceInit).findFirst();
            if (init.isPresent()) {
                return init.get().pid();
            }
            if (!nspawn.isAlive()) {
                throw new AssertionError("systemd-nspawn exited: " + Files.readString(logs.resolve("console.log")));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("container init not found within " + timeoutMillis + " ms");
    }

    private static boolean isNamespaceInit(ProcessHandle h) {
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(h.pid()), "status"));
            Matcher m = Pattern.compile("(?m)^NSpid:\\s*(.*)$").matcher(status);
            if (!m.find()) {
                return false;
            }
            String[] ids = m.group(1).trim().split("\\s+");
            return ids.length > 1 && ids[ids.length - 1].equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    /** Builds the cached root once: debootstrap into a temporary directory, then rename. */
    private static void ensureRoot(Path root, String include, Path logs) throws IOException {
        if (Files.isExecutable(root.resolve("lib/systemd/systemd"))
                || Files.isExecutable(root.resolve("usr/lib/systemd/systemd"))) {
            return;
        }
        Path tmp = root.resolveSibling(root.getFileName() + ".tmp");
        PkgProcess.run(120, "rm", "-rf", tmp.toString());
        PkgProcess.Result r = PkgProcess.run(900, "debootstrap", "--variant=minbase", "--include=" + include,
                "bookworm", tmp.toString(), hostDebianMirror());
        saveTo(logs, "debootstrap-" + root.getFileName() + ".log", r.output());
        Assumptions.assumeTrue(r.ok(), "debootstrap failed (see " + logs + ")");
        Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The Debian mirror this machine's apt uses (deb822 or one-line sources). */
    static String hostDebianMirror() {
        List<Path> files = new ArrayList<>(List.of(Path.of("/etc/apt/sources.list")));
        try (var s = Files.list(Path.of("/etc/apt/sources.list.d"))) {
            s.sorted().forEach(files::add);
        } catch (IOException ignored) {
            // no directory
        }
        Pattern uri = Pattern.compile("(https?://\\S+/debian)/?(\\s|$)");
        for (Path f : files) {
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (line.trim().startsWith("#")) {
                        continue;
                    }
                    Matcher m = uri.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            } catch (IOException ignored) {
                // unreadable: try the next
            }
        }
        return "http://deb.debian.org/debian";
    }

    static String procStatusField(String procStatus, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s*(.*)$").matcher(procStatus);
        assertThat(m.find()).as(name + " in /proc/PID/status").isTrue();
        return m.group(1).trim();
    }

    private static void saveTo(Path dir, String name, String text) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), text);
        } catch (IOException ignored) {
            // logs are best effort
        }
    }
}
