package org.jchrony.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixDatagramSocketTest {
    @TempDir
    Path dir;

    @Test
    void sendAndReceiveWithSenderPath() throws IOException {
        try (UnixDatagramSocket a = UnixDatagramSocket.open(); UnixDatagramSocket b = UnixDatagramSocket.open()) {
            a.bind(dir.resolve("a.sock"));
            b.bind(dir.resolve("b.sock"));
            byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
            b.sendTo(msg, 0, msg.length, dir.resolve("a.sock").toString());
            byte[] buf = new byte[100];
            UnixDatagramSocket.Received r = a.receive(buf, 1000);
            assertThat(r).isNotNull();
            assertThat(new String(buf, 0, r.length(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(r.senderPath()).isEqualTo(dir.resolve("b.sock").toString());
            // reply to the sender path, as the daemon does
            a.sendTo(new byte[] {1, 2, 3}, 0, 3, r.senderPath());
            UnixDatagramSocket.Received back = b.receive(buf, 1000);
            assertThat(back.length()).isEqualTo(3);
            assertThat(Arrays.copyOf(buf, 3)).containsExactly(1, 2, 3);
        }
        assertThat(dir.resolve("a.sock")).doesNotExist(); // removed on close
    }

    @Test
    void timeoutAndNonBlocking() throws IOException {
        try (UnixDatagramSocket a = UnixDatagramSocket.open()) {
            a.bind(dir.resolve("a.sock"));
            long t0 = System.nanoTime();
            assertThat(a.receive(new byte[10], 200)).isNull();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(150L, 2000L);
            a.setNonBlocking();
            assertThat(a.fd()).isGreaterThan(2);
            t0 = System.nanoTime();
            assertThat(a.receive(new byte[10], -1)).isNull(); // EAGAIN, no blocking
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(100);
        }
    }

    @Test
    void bindRemovesStaleFileAndChmods() throws IOException {
        Path p = dir.resolve("stale.sock");
        Files.writeString(p, "stale");
        try (UnixDatagramSocket a = UnixDatagramSocket.open()) {
            a.bind(p);
            a.chmod(0666);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-rw-rw-");
            a.chmod(0600);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        }
    }

    @Test
    void abstractNamesAndErrors() throws IOException {
        String name = "@jchrony-test-" + ProcessHandle.current().pid();
        try (UnixDatagramSocket a = UnixDatagramSocket.open(); UnixDatagramSocket b = UnixDatagramSocket.open()) {
            a.bind(Path.of(name));
            b.sendTo(new byte[] {42}, 0, 1, name);
            byte[] buf = new byte[4];
            assertThat(a.receive(buf, 1000).length()).isEqualTo(1);
            assertThat(buf[0]).isEqualTo((byte) 42);
            assertThatThrownBy(() -> b.sendTo(new byte[1], 0, 1, dir.resolve("nobody.sock").toString()))
                    .isInstanceOf(IOException.class).hasMessageContaining("sendto");
            assertThatThrownBy(() -> b.connect("/" + "x".repeat(200))).isInstanceOf(IOException.class);
        }
    }

    @Test
    void daemonSocketServesChronycThroughDrain() throws Exception {
        RealChronyd.assumeInstalled();
        Path d = dir.resolve("run");
        Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        org.jchrony.cmdmon.CommandHandler handler = new org.jchrony.cmdmon.CommandHandler(
                new org.jchrony.cmdmon.InMemoryTarget(), p -> false);
        try (UnixDatagramSocket s = UnixDatagramSocket.openDaemonSocket(d.resolve("chronyd.sock"),
                System.getProperty("user.name"), null)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve("chronyd.sock"))))
                    .isEqualTo("rw-rw-rw-");
            Process p = new ProcessBuilder(RealChronyd.CHRONYC.toString(), "-h", d.resolve("chronyd.sock").toString(),
                    "activity").redirectErrorStream(true).start();
            byte[] in = new byte[1024];
            byte[] out = new byte[1024];
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (p.isAlive() && System.nanoTime() < deadline) {
                s.drain(handler, in, out, () -> 0L);
                Thread.sleep(5);
            }
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .startsWith("200 OK\n0 sources online\n");
        }
        Path open = dir.resolve("open");
        Files.createDirectory(open, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThatThrownBy(() -> UnixDatagramSocket.openDaemonSocket(open.resolve("x.sock"), null, null))
                .isInstanceOf(IOException.class).hasMessageStartingWith("Wrong permissions on");
    }

    @Test
    void socketDirectoryRuleMatchesChronyd() throws Exception {
        String user = System.getProperty("user.name");
        for (String perms : List.of("rwx------", "rwxr-x---", "rwxrwx---", "rwxr-xr-x", "rwx---r--", "rwxrwxrwx")) {
            Path d = dir.resolve("d" + perms.replace('-', '_'));
            Files.createDirectory(d);
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(perms));
            String reason = UnixDatagramSocket.checkSocketDirectory(d, user, null);
            boolean othersHaveAccess = !perms.endsWith("---");
            assertThat(reason == null).as(perms).isEqualTo(!othersHaveAccess);
        }
        assertThat(UnixDatagramSocket.checkSocketDirectory(dir.resolve("missing"), user, null)).startsWith("Could not access");
        Files.writeString(dir.resolve("file"), "");
        assertThat(UnixDatagramSocket.checkSocketDirectory(dir.resolve("file"), user, null)).endsWith("is not directory");
        assertThat(UnixDatagramSocket.checkSocketDirectory(dir, "nobody-such-user", null)).startsWith("Wrong owner");
    }

    @Test
    void chronydAgreesOnTheDirectoryRule() throws Exception {
        RealChronyd.assumeInstalled();
        // chronyd (as root, -u root) refuses a 0755 socket directory and accepts 0700
        for (String perms : List.of("rwxr-xr-x", "rwx------")) {
            Path d = Files.createTempDirectory("chronyd-sockdir-");
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(perms));
            Path conf = d.resolve("chrony.conf");
            Files.write(conf, List.of("port 0", "cmdport 0", "bindcmdaddress " + d.resolve("x.sock"),
                    "pidfile " + d.resolve("chronyd.pid")));
            Process p = new ProcessBuilder(RealChronyd.CHRONYD.toString(), "-d", "-x", "-u", "root", "-f", conf.toString())
                    .redirectErrorStream(true).redirectOutput(d.resolve("log").toFile()).start();
            try {
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < deadline && !Files.exists(d.resolve("x.sock"))
                        && !Files.readString(d.resolve("log")).contains("Disabled command socket")) {
                    Thread.sleep(20);
                }
                boolean chronydBound = Files.exists(d.resolve("x.sock"));
                assertThat(chronydBound).as(perms).isEqualTo(UnixDatagramSocket.checkSocketDirectory(d, "root", "root") == null);
                assertThat(chronydBound).as(perms).isEqualTo(perms.equals("rwx------"));
            } finally {
                p.destroy(); // our own child only
                p.waitFor();
                try (var s = Files.walk(d)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}
