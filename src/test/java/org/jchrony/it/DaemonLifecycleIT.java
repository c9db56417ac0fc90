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
        List<String> lines = new java.util.ArrayList<>(List.of(
                "port " + FreePorts.udp(),
                "cmdport 0",
                "bindcmdaddress " + dir.resolve("run/chronyd.sock"),
                "pidfile " + dir.resolve("chronyd.pid"),
                "driftfile " + dir.resolve("drift"),
                "allow 127.0.0.1",
                "local stratum 10"));
        lines.addAll(List.of(extra));
        Files.write(conf, lines);
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
