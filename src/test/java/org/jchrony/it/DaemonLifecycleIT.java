package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jchrony.testutil.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jchronyd started the way chronyd is: in the background, with a pid file, stopped by SIGTERM. */
class DaemonLifecycleIT {
    @TempDir Path dir;

    private Path config(String... extra) throws Exception {
        Path conf = dir.resolve("chrony.conf");
        Files.write(conf, JchronydProcess.minimalConfig(dir, FreePorts.udp(), extra));
        return conf;
    }

    @Test
    void backgroundStartPidFileSecondInstanceAndSigterm() throws Exception {
        Path conf = config();
        Path log = dir.resolve("jchronyd.log");
        var first = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-x", "-f", conf.toString(), "-l", log.toString()), 60);
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        Path pidFile = dir.resolve("chronyd.pid");
        assertThat(pidFile).as("pid file written before the launcher returned").exists();
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        try {
            assertThat(ProcessHandle.of(pid)).isPresent().get().matches(ProcessHandle::isAlive);

            var second = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-x", "-f", conf.toString(), "-l", dir.resolve("second.log").toString()), 60);
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.stderr()).contains("Another chronyd may already be running (pid=" + pid + ")");
        } finally {
            assertThat(JchronydProcess.terminate(pid, 10)).isTrue();
        }
        assertThat(pidFile).as("pid file removed at exit").doesNotExist();
        String text = Files.readString(log);
        assertThat(text).contains("chronyd version").contains("Disabled control of system clock").contains("chronyd exiting");
        assertThat(dir.resolve("drift")).as("driftfile written at exit").exists();
    }

    @Test
    void oneShotQueryLogsTheOffsetAndExits() throws Exception {
        org.jchrony.testutil.RealChronyd.assumeInstalled();
        try (var ref = org.jchrony.testutil.RealChronyd.start(List.of("allow 127.0.0.0/8", "local stratum 3"))) {
            Path log = dir.resolve("q.log");
            var r = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-Q", "-t", "30", "-l", log.toString(),
                    "server 127.0.0.1 port " + ref.ntpPort() + " minpoll -2 maxpoll -2",
                    "pidfile " + dir.resolve("q.pid")), 60);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(Files.readString(log)).contains("Disabled control of system clock")
                    .containsPattern("System clock wrong by -?\\d+\\.\\d{6} seconds \\(ignored\\)")
                    .contains("chronyd exiting");
        }
    }

    @Test
    void timeoutExitsNonZeroWhenNotSynchronised() throws Exception {
        Path conf = config();
        long start = System.nanoTime();
        var r = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-n", "-x", "-t", "2", "-f", conf.toString(),
                "-l", dir.resolve("t.log").toString()), 60);
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(System.nanoTime() - start).isGreaterThan(2_000_000_000L);
        assertThat(Files.readString(dir.resolve("t.log"))).contains("chronyd exiting");
    }

    @Test
    void configErrorNamesFileAndLineAndExitsOne() throws Exception {
        Path conf = config("bogusdirective 1");
        var r = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-x", "-d", "-f", conf.toString()), 60);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout() + r.stderr()).contains(conf + ":8:");
    }

    @Test
    void versionAndPrintConfig() throws Exception {
        var v = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-v"), 60);
        assertThat(v.exitCode()).isZero();
        assertThat(v.stdout()).startsWith("jchronyd (jchrony) version ").contains("+NTP");
        Path conf = config();
        var p = JchronydProcess.run(JchronydProcess.LAUNCHER, List.of("-p", "-f", conf.toString()), 60);
        assertThat(p.exitCode()).as(p.stderr()).isZero();
        assertThat(p.stdout()).contains("local stratum 10").contains("allow 127.0.0.1");
    }
}
