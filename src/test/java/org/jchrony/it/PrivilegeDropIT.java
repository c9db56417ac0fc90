package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jchrony.testutil.FreePorts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * chronyd's -u USER: started as root, jchronyd switches to USER once its sockets and files are
 * open, keeps serving NTP and chronyc, and still removes its pid file and writes its driftfile
 * at exit (they live in the command socket's directory, which it hands to USER, as with
 * /run/chrony).
 */
class PrivilegeDropIT {

    @Test
    void startedAsRootRunsAsTheRequestedUser() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/bin/chronyc")), "needs Debian's chronyc");
        Process id = new ProcessBuilder("id", "-u", "_chrony").start();
        String chronyUid = new String(id.getInputStream().readAllBytes()).trim();
        Assumptions.assumeTrue(id.waitFor() == 0 && !chronyUid.isEmpty(), "needs the _chrony user");
        Path dir = Files.createTempDirectory("jchrony-u", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        Path run = dir.resolve("run");
        int port = FreePorts.udp();
        Path conf = dir.resolve("chrony.conf");
        Files.write(conf, List.of("port " + port, "bindaddress 127.0.0.1", "cmdport 0", "allow 127.0.0.1",
                "local stratum 10", "bindcmdaddress " + run.resolve("chronyd.sock"),
                "pidfile " + run.resolve("chronyd.pid"), "driftfile " + run.resolve("drift")));
        Process p = new ProcessBuilder(JchronydProcess.LAUNCHER.toString(), "-d", "-x", "-u", "_chrony", "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            String uid = "";
            while (System.nanoTime() < deadline) {
                uid = Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream()
                        .filter(l -> l.startsWith("Uid:")).findFirst().orElse("");
                if (uid.matches("Uid:\\s+" + chronyUid + "\\s.*") || !p.isAlive()) break;
                Thread.sleep(100);
            }
            assertThat(uid).as(Files.readString(dir.resolve("log")))
                    .matches("Uid:\\s+" + chronyUid + "\\s+" + chronyUid + "\\s+" + chronyUid + "\\s+" + chronyUid);
            Process c = new ProcessBuilder("/usr/bin/chronyc", "-h", run.resolve("chronyd.sock").toString(), "tracking")
                    .redirectErrorStream(true).start();
            String out = new String(c.getInputStream().readAllBytes());
            c.waitFor(20, TimeUnit.SECONDS);
            assertThat(out).contains("Stratum         : 10");
        } finally {
            p.destroy();
            p.waitFor(15, TimeUnit.SECONDS);
        }
        String log = Files.readString(dir.resolve("log"));
        assertThat(log).contains("chronyd exiting").doesNotContain("Could not write");
        assertThat(run.resolve("chronyd.pid")).doesNotExist();
        assertThat(run.resolve("drift")).exists();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /**
     * Without -x the core thread keeps CAP_SYS_TIME (and only it) after the switch. No driftfile
     * and no sources: the clock is only read, never adjusted.
     */
    @Test
    void keepsTheClockCapabilityOnTheCoreThread() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Process id = new ProcessBuilder("id", "-u", "_chrony").start();
        String chronyUid = new String(id.getInputStream().readAllBytes()).trim();
        Assumptions.assumeTrue(id.waitFor() == 0 && !chronyUid.isEmpty(), "needs the _chrony user");
        Path dir = Files.createTempDirectory("jchrony-u", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        Path run = dir.resolve("run");
        Path conf = dir.resolve("chrony.conf");
        Files.write(conf, List.of("port 0", "cmdport 0", "bindcmdaddress " + run.resolve("chronyd.sock"),
                "pidfile " + run.resolve("chronyd.pid")));
        Process p = new ProcessBuilder(JchronydProcess.LAUNCHER.toString(), "-d", "-u", "_chrony", "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            String core = null;
            while (System.nanoTime() < deadline && core == null && p.isAlive()) {
                try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
                    for (Path t : tasks.toList()) {
                        if (!Files.readString(t.resolve("comm")).startsWith("jchronyd-core")) continue;
                        String status = Files.readString(t.resolve("status"));
                        if (status.matches("(?s).*\\nUid:\\s+" + chronyUid + "\\s.*")) core = status;
                    }
                } catch (java.io.IOException e) {
                    // a thread ended while listing
                }
                if (core == null) Thread.sleep(100);
            }
            assertThat(core).as(Files.readString(dir.resolve("log"))).isNotNull();
            String capEff = core.lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow().split("\\s+")[1];
            assertThat(Long.parseLong(capEff, 16)).isEqualTo(1L << 25); // CAP_SYS_TIME only
        } finally {
            p.destroy();
            p.waitFor(15, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(dir.resolve("log"))).contains("chronyd exiting");
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** chronyd's -P: the core and server loop threads run SCHED_FIFO at that priority. */
    @Test
    void dashPRunsTheLoopThreadsSchedFifo() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Path dir = Files.createTempDirectory("jchrony-p", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path conf = dir.resolve("chrony.conf");
        Files.write(conf, List.of("port " + FreePorts.udp(), "bindaddress 127.0.0.1", "cmdport 0", "allow 127.0.0.1",
                "bindcmdaddress " + dir.resolve("chronyd.sock"), "pidfile " + dir.resolve("chronyd.pid")));
        Process p = new ProcessBuilder(JchronydProcess.LAUNCHER.toString(), "-d", "-x", "-P", "5", "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            java.util.Map<String, String> policies = new java.util.TreeMap<>();
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (Files.readString(dir.resolve("log")).contains("Set scheduler priority 5")) break;
                Thread.sleep(100);
            }
            try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
                for (Path t : tasks.toList()) {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    if (!comm.startsWith("jchronyd-core") && !comm.startsWith("jchronyd-ntp")) continue;
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // fields after "comm": index 37 is rt_priority (field 40), 38 is policy (field 41)
                    policies.put(comm + "/" + t.getFileName(), f[37] + "," + f[38]);
                }
            }
            assertThat(policies).as(Files.readString(dir.resolve("log"))).isNotEmpty();
            assertThat(policies.values()).allMatch("5,1"::equals);
        } finally {
            p.destroy();
            p.waitFor(15, TimeUnit.SECONDS);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
