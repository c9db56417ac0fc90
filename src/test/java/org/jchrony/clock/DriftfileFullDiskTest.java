package org.jchrony.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The driftfile on a real full file system and on a read-only one: a 16 KiB tmpfs mounted for
 * the test (needs root / CAP_SYS_ADMIN; skipped where {@code mount} is refused; tagged "system").
 * The old driftfile must survive whole, no temporary file may be left behind, and the failure is
 * logged as one line naming the file and the reason; once space is back, the next write succeeds.
 */
@Tag("system")
class DriftfileFullDiskTest {
    @TempDir
    Path tmp;
    private Path mnt;
    private boolean mounted;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @BeforeEach
    void mountTinyTmpfs() throws Exception {
        mnt = Files.createDirectory(tmp.resolve("mnt"));
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mount")) || Files.isExecutable(Path.of("/bin/mount")),
                "no mount(8)");
        mounted = run("mount", "-t", "tmpfs", "-o", "size=16k,mode=0700", "tmpfs", mnt.toString()) == 0;
        Assumptions.assumeTrue(mounted, "mount not permitted here (needs root / CAP_SYS_ADMIN)");
        logged.start();
        ((Logger) LoggerFactory.getLogger("chronyd")).addAppender(logged);
    }

    @AfterEach
    void unmount() throws Exception {
        ((Logger) LoggerFactory.getLogger("chronyd")).detachAppender(logged);
        if (mounted) {
            int rc = run("umount", mnt.toString());
            if (rc != 0) run("umount", "-l", mnt.toString());
        }
    }

    /** Fills the file system until the kernel says ENOSPC. */
    private void fill() throws IOException {
        try (OutputStream out = Files.newOutputStream(mnt.resolve("filler"))) {
            byte[] block = new byte[1024];
            for (int i = 0; i < 1024; i++) out.write(block);
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("No space left on device");
            return;
        }
        throw new AssertionError("a 16 KiB tmpfs took 1 MiB");
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void fullDiskKeepsTheOldFileWholeLogsOneLineAndRecovers() throws Exception {
        Path file = mnt.resolve("drift");
        Driftfile drift = new Driftfile(file);
        drift.write(new Driftfile.Drift(-12.345678, 0.5));
        String old = Files.readString(file);
        fill();

        assertThatThrownBy(() -> drift.write(new Driftfile.Drift(3.0, 0.1)))
                .isInstanceOf(IOException.class).hasMessage(file + " : No space left on device");
        assertThat(Files.readString(file)).isEqualTo(old);
        assertThat(drift.read()).contains(new Driftfile.Drift(-12.345678, 0.5));
        try (var files = Files.list(mnt)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("drift", "filler");
        }

        // the daemon's call: one line, not repeated while the same failure repeats
        assertThat(drift.save(new Driftfile.Drift(3.0, 0.1))).isFalse();
        assertThat(drift.save(new Driftfile.Drift(3.1, 0.1))).isFalse();
        assertThat(warnings()).containsExactly(
                "Could not write driftfile " + file + " : No space left on device, kept the previous one");
        assertThat(Files.readString(file)).isEqualTo(old);

        Files.delete(mnt.resolve("filler"));
        assertThat(drift.save(new Driftfile.Drift(3.2, 0.1))).isTrue();
        assertThat(drift.read()).contains(new Driftfile.Drift(3.2, 0.1));
        assertThat(Files.readString(file)).hasSize(42).endsWith("\n");
    }

    @Test
    void readOnlyFileSystemKeepsTheOldFile() throws Exception {
        Path file = mnt.resolve("drift");
        Driftfile drift = new Driftfile(file);
        drift.write(new Driftfile.Drift(7.5, 0.25));
        String old = Files.readString(file);
        assertThat(run("mount", "-o", "remount,ro", mnt.toString())).isZero();

        assertThat(drift.save(new Driftfile.Drift(1.0, 0.1))).isFalse();
        assertThat(warnings()).containsExactly(
                "Could not write driftfile " + file + " : Read-only file system, kept the previous one");
        assertThat(Files.readString(file)).isEqualTo(old);
        try (var files = Files.list(mnt)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("drift");
        }
    }

    /**
     * EACCES: root is never refused, so the write runs in a child JVM as user 65534 (setpriv) on
     * a root-owned 0755 directory holding root's driftfile, as after the daemon dropped privileges.
     */
    @Test
    void permissionDeniedKeepsTheOldFile() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "no setpriv");
        Path file = mnt.resolve("drift");
        new Driftfile(file).write(new Driftfile.Drift(7.5, 0.25));
        String old = Files.readString(file);
        Files.setPosixFilePermissions(mnt, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        // the classes the child needs, where user 65534 can read them
        Path cp = Files.createDirectories(tmp.resolve("cp/org/jchrony/clock"));
        for (Class<?> c : List.of(Driftfile.class, Driftfile.Drift.class, DriftfileWriter.class)) {
            String name = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
            try (var in = c.getResourceAsStream(name)) {
                Files.copy(in, cp.resolve(name));
            }
        }
        Path slf4j = Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(slf4j, tmp.resolve("cp/slf4j.jar"));
        try (var all = Files.walk(tmp.resolve("cp"))) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java,
                "-cp", tmp.resolve("cp") + ":" + tmp.resolve("cp/slf4j.jar"), DriftfileWriter.class.getName(),
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("FAILED " + file + " : Permission denied");
        assertThat(Files.readString(file)).isEqualTo(old);
        try (var files = Files.list(mnt)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("drift");
        }
    }
}
