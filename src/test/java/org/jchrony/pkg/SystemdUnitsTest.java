package org.jchrony.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The units in systemd/: `systemd-analyze verify` is clean (against a scratch root holding the
 * host's own units and stand-in executables), and the settings chronyd's replacement needs are
 * there.
 */
class SystemdUnitsTest {
    private static final Path UNITS = Path.of("systemd");

    private static String unit(String name) throws IOException {
        return Files.readString(UNITS.resolve(name));
    }

    @Test
    void systemdAnalyzeVerifyIsClean(@TempDir Path root) throws IOException {
        Path hostUnits = Path.of("/lib/systemd/system");
        Assumptions.assumeTrue(PkgProcess.onPath("systemd-analyze") && Files.isDirectory(hostUnits),
                "systemd-analyze or /lib/systemd/system missing (apt-get install systemd)");
        Path units = root.resolve("lib/systemd/system");
        Files.createDirectories(units);
        try (Stream<Path> s = Files.list(hostUnits)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(p, units.resolve(p.getFileName()));
                }
            }
        }
        for (String exe : List.of("usr/sbin/jchronyd", "usr/bin/jchronyc")) {
            Path f = root.resolve(exe);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "#!/bin/sh\n");
            f.toFile().setExecutable(true);
        }
        for (String name : List.of("jchronyd.service", "jchrony-wait.service")) {
            Files.copy(UNITS.resolve(name), units.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        PkgProcess.Result r = PkgProcess.run(60, "systemd-analyze", "verify", "--man=no", "--root=" + root,
                "/lib/systemd/system/jchronyd.service", "/lib/systemd/system/jchrony-wait.service");
        assertThat(r.output()).as("systemd-analyze verify output").isBlank();
        assertThat(r.exitCode()).isZero();
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void jchronydUnitReplacesChronyd() throws IOException {
        String u = unit("jchronyd.service");
        assertThat(u).contains("Type=notify")
                .contains("EnvironmentFile=-/etc/default/chrony")
                .contains("ExecStart=/usr/sbin/jchronyd -n $DAEMON_OPTS")
                .contains("User=_chrony")
                .contains("AmbientCapabilities=CAP_SYS_TIME CAP_NET_BIND_SERVICE")
                .contains("CapabilityBoundingSet=CAP_SYS_TIME CAP_NET_BIND_SERVICE")
                .contains("RuntimeDirectory=chrony")
                .contains("RuntimeDirectoryMode=0750")
                .contains("StateDirectory=chrony")
                .contains("LogsDirectory=chrony")
                .contains("Alias=chronyd.service")
                .contains("WantedBy=multi-user.target");
        assertThat(u.lines()).as("the JIT needs W+X memory").noneMatch(l -> l.startsWith("MemoryDenyWriteExecute="));
        String conflicts = u.lines().filter(l -> l.startsWith("Conflicts=")).findFirst().orElseThrow();
        assertThat(conflicts.substring("Conflicts=".length()).split(" ")).contains(
                "chrony.service", "systemd-timesyncd.service", "ntp.service", "ntpsec.service", "openntpd.service");
    }

    @Test
    void waitUnitWaitsWithJchronyc() throws IOException {
        String u = unit("jchrony-wait.service");
        assertThat(u).contains("ExecStart=/usr/bin/jchronyc -h 127.0.0.1,::1 waitsync 0 0.1 0.0 1")
                .contains("Requires=jchronyd.service")
                .contains("After=jchronyd.service")
                .contains("Before=time-sync.target")
                .contains("Type=oneshot");
        assertThat(u.lines()).noneMatch(l -> l.startsWith("MemoryDenyWriteExecute="));
    }
}
