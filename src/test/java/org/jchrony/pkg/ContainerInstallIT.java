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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The package installed on a fresh Debian 12 under a real systemd: a debootstrap root (cached
 * in {@code /var/cache/jchrony-test-root}, built on first use from this machine's Debian
 * mirror) booted with {@code systemd-nspawn -b --volatile=overlay --private-network}, so every
 * run starts from the pristine root, the container has its own loopback (its udp/123 and
 * udp/323 are not the host's) and, as nspawn drops CAP_SYS_TIME, cannot touch the host clock.
 * jchronyd runs there with {@code DAEMON_OPTS="-x"} from /etc/default/chrony anyway.
 *
 * <p>Commands run inside through {@code nsenter -t <container PID 1> -a}; the host's chronyc and
 * ntpdig run in the container's network namespace only ({@code nsenter -n}) as the oracle
 * clients. Logs of the unit go to {@code target/container-test/}.
 *
 * <p>Tests tagged {@code daemon-pending} need the finished daemon (READY=1 through sd_notify,
 * command and NTP sockets, driftfile on stop); the build excludes that tag until the lead
 * wires the daemon: run them with {@code -Djchrony.pendingGroup=none}.
 */
@Tag("system")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerInstallIT {
    private static final Path ROOT = Path.of(System.getProperty("jchrony.testRoot", "/var/cache/jchrony-test-root"));
    private static final Path LOGS = Path.of("target/container-test");
    private static final String PATH_ENV = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

    private static Path deb;
    private static Process nspawn;
    private static long containerPid;

    @BeforeAll
    static void bootContainer() throws Exception {
        Assumptions.assumeTrue(PkgProcess.isRoot(), "needs root (debootstrap, systemd-nspawn, nsenter)");
        for (String tool : List.of("systemd-nspawn", "nsenter", "debootstrap")) {
            Assumptions.assumeTrue(PkgProcess.onPath(tool),
                    tool + " missing: apt-get install -y debootstrap systemd-container");
        }
        deb = Path.of(System.getProperty("jchrony.deb", "target/jchrony_0.1.0_amd64.deb")).toAbsolutePath();
        assertThat(deb).as("built by mvn package").exists();
        Files.createDirectories(LOGS);
        ensureRoot();

        String machine = "jchrony-it-" + ProcessHandle.current().pid();
        nspawn = new ProcessBuilder("systemd-nspawn", "--register=no", "--keep-unit", "--quiet",
                "-D", ROOT.toString(), "--volatile=overlay", "--private-network",
                "--bind-ro=" + deb.getParent() + ":/mnt/jchrony", "-M", machine, "-b", "--console=pipe")
                .redirectErrorStream(true).redirectOutput(LOGS.resolve("console.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        containerPid = waitForContainerInit(nspawn.pid(), 30_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String state = "";
        while (System.nanoTime() < deadline) {
            state = inside(20, "systemctl is-system-running").output().trim();
            if (state.equals("running") || state.equals("degraded")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(state).as("container systemd boot state").isIn("running", "degraded");
    }

    @AfterAll
    static void stopContainer() throws Exception {
        if (containerPid > 0) {
            save("jchronyd.journal", inside(30, "journalctl --no-pager -o short-precise -u jchronyd.service").output());
            save("jchronyd.status", inside(30, "systemctl status --no-pager jchronyd.service").output());
            save("boot.journal", inside(30, "journalctl --no-pager -b -o short-precise").output());
        }
        if (nspawn != null && nspawn.isAlive()) {
            ProcessHandle.of(nspawn.pid()).ifPresent(h -> h.destroy()); // SIGTERM: nspawn halts the container
            if (!nspawn.waitFor(20, TimeUnit.SECONDS)) {
                nspawn.destroyForcibly();
                nspawn.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Order(1)
    void installsOnAFreshDebianWithTheDefaultConfig() throws IOException {
        PkgProcess.Result prep = inside(30, String.join("\n",
                "set -e",
                "mkdir -p /etc/default /etc/chrony/conf.d /etc/systemd/system/jchronyd.service.d",
                // Never touch a clock: -x, as the task requires (nspawn also drops CAP_SYS_TIME).
                "printf 'DAEMON_OPTS=\"-x\"\\n' > /etc/default/chrony",
                // The container has no CAP_SYS_TIME, so the unit's ConditionCapability would skip it.
                "printf '[Unit]\\nConditionCapability=\\n[Service]\\nTimeoutStartSec=30s\\n' "
                        + "> /etc/systemd/system/jchronyd.service.d/jchrony-test.conf",
                "printf 'allow 127.0.0.1\\nlocal stratum 10\\n' > /etc/chrony/conf.d/jchrony-test.conf"));
        assertThat(prep.exitCode()).as(prep.output()).isZero();

        PkgProcess.Result install = inside(180, "dpkg -i /mnt/jchrony/" + deb.getFileName());
        save("dpkg-install.log", install.output());
        assertThat(install.exitCode()).as(install.output()).isZero();

        assertThat(inside(10, "cmp /usr/share/jchrony/chrony.conf /etc/chrony/chrony.conf").exitCode())
                .as("default chrony.conf installed where none existed").isZero();
        assertThat(inside(10, "getent passwd _chrony").output()).contains("_chrony:");
        assertThat(inside(10, "readlink /etc/systemd/system/chronyd.service").output().trim())
                .isEqualTo("/lib/systemd/system/jchronyd.service");
        assertThat(inside(10, "systemctl is-enabled jchronyd.service").output().trim()).isEqualTo("enabled");
        assertThat(inside(10, "systemctl show -p Id --value chronyd.service").output().trim())
                .as("systemctl ... chronyd reaches jchronyd").isEqualTo("jchronyd.service");
        assertThat(inside(10, "readlink -f /usr/sbin/chronyd").output().trim()).isEqualTo("/usr/sbin/jchronyd");
        assertThat(inside(10, "readlink -f /usr/bin/chronyc").output().trim()).isEqualTo("/usr/bin/jchronyc");
    }

    @Test
    @Order(2)
    void unitsVerifyInsideTheInstalledSystem() {
        PkgProcess.Result r = inside(60, "systemd-analyze verify --man=no jchronyd.service jchrony-wait.service");
        assertThat(r.output()).as("systemd-analyze verify").isBlank();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    @Order(3)
    @Tag("daemon-pending")
    void serviceBecomesActiveThroughSdNotify() throws InterruptedException {
        String state = waitForState(30);
        if (!state.equals("active")) {
            // postinst started it at install time; one more explicit start shows the failure mode.
            inside(60, "systemctl start jchronyd.service");
            state = waitForState(30);
        }
        assertThat(state).as("jchronyd.service state (see target/container-test/jchronyd.journal):\n"
                + inside(10, "systemctl status --no-pager jchronyd.service").output()).isEqualTo("active");
    }

    @Test
    @Order(4)
    @Tag("daemon-pending")
    void runsAsChronyWithOnlyItsCapabilities() {
        String pid = inside(10, "systemctl show -p MainPID --value jchronyd.service").output().trim();
        assertThat(pid).as("jchronyd main PID").isNotIn("", "0");
        String status = inside(10, "cat /proc/" + pid + "/status").output();
        String uid = field(status, "Uid").split("\\s+")[0];
        assertThat(inside(10, "getent passwd " + uid).output()).startsWith("_chrony:");
        long capEff = Long.parseLong(field(status, "CapEff"), 16);
        long allowed = (1L << 25) | (1L << 10); // CAP_SYS_TIME, CAP_NET_BIND_SERVICE
        assertThat(capEff & ~allowed).as("no capability beyond CAP_SYS_TIME and CAP_NET_BIND_SERVICE").isZero();
        assertThat(capEff & (1L << 10)).as("CAP_NET_BIND_SERVICE").isNotZero();
    }

    @Test
    @Order(5)
    @Tag("daemon-pending")
    void chronycAndJchronycAnswerOverTheUnixSocket() {
        assertThat(inside(10, "test -S /run/chrony/chronyd.sock").exitCode()).as("/run/chrony/chronyd.sock").isZero();
        for (String client : List.of("jchronyc", "chronyc")) {
            PkgProcess.Result r = inside(30, client + " -h /run/chrony/chronyd.sock tracking");
            assertThat(r.exitCode()).as(client + " tracking: " + r.output()).isZero();
            assertThat(r.output()).contains("Reference ID").contains("Stratum");
        }
    }

    @Test
    @Order(6)
    @Tag("daemon-pending")
    void debiansChronycAnswersOverUdp() {
        Assumptions.assumeTrue(PkgProcess.onPath("/usr/bin/chronyc"), "no host chronyc to use as the oracle");
        PkgProcess.Result r = inNetns(30, "/usr/bin/chronyc", "-n", "-h", "127.0.0.1", "tracking");
        assertThat(r.exitCode()).as("host chronyc tracking in the container's netns: " + r.output()).isZero();
        assertThat(r.output()).contains("Reference ID").contains("Stratum");
    }

    @Test
    @Order(7)
    @Tag("daemon-pending")
    void anNtpClientGetsTime() {
        Assumptions.assumeTrue(PkgProcess.onPath("/usr/bin/ntpdig"), "no ntpdig on the host (apt-get install ntpsec-ntpdate)");
        PkgProcess.Result r = inNetns(30, "/usr/bin/ntpdig", "-t", "2", "127.0.0.1");
        assertThat(r.exitCode()).as("ntpdig 127.0.0.1 in the container: " + r.output()).isZero();
        assertThat(r.output()).contains("127.0.0.1").contains("s10");
    }

    @Test
    @Order(8)
    @Tag("daemon-pending")
    void stopLeavesTheDriftfileWritten() {
        PkgProcess.Result stop = inside(60, "systemctl stop jchronyd.service");
        assertThat(stop.exitCode()).as(stop.output()).isZero();
        assertThat(inside(10, "systemctl is-active jchronyd.service").output().trim()).isIn("inactive", "failed");
        PkgProcess.Result drift = inside(10, "cat /var/lib/chrony/chrony.drift");
        assertThat(drift.exitCode()).as("/var/lib/chrony/chrony.drift after stop: " + drift.output()).isZero();
        assertThat(drift.output().trim()).matches("-?[0-9.]+\\s+[0-9.]+");
    }

    @Test
    @Order(9)
    void removeLeavesNoAliasBehindAndKeepsTheConfig() {
        PkgProcess.Result r = inside(120, "dpkg -r jchrony");
        save("dpkg-remove.log", r.output());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(inside(10, "test -e /etc/systemd/system/chronyd.service || test -L /etc/systemd/system/chronyd.service")
                .exitCode()).as("chronyd.service alias removed, so a later chrony can enable its own").isNotZero();
        assertThat(inside(10, "test -L /etc/systemd/system/multi-user.target.wants/jchronyd.service").exitCode()).isNotZero();
        assertThat(inside(10, "test -e /usr/sbin/chronyd || test -e /usr/lib/jchrony").exitCode()).isNotZero();
        assertThat(inside(10, "test -f /etc/chrony/chrony.conf").exitCode()).as("config kept on remove").isZero();
        assertThat(inside(10, "systemctl is-active jchronyd.service").output().trim()).isNotEqualTo("active");
    }

    @Test
    @Order(10)
    void purgeRemovesOnlyWhatThePackageCreatedUnchanged() {
        PkgProcess.Result r = inside(120, "dpkg -P jchrony");
        save("dpkg-purge.log", r.output());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(inside(10, "test -e /etc/chrony/chrony.conf").exitCode())
                .as("the unchanged default chrony.conf goes with the package").isNotZero();
        assertThat(inside(10, "cat /etc/default/chrony").output()).as("the host's own file stays").contains("-x");
        assertThat(inside(10, "test -f /etc/chrony/conf.d/jchrony-test.conf").exitCode()).isZero();
        assertThat(inside(10, "getent passwd _chrony").exitCode()).as("system user kept, as Debian does").isZero();
        assertThat(inside(10, "test -e /etc/logrotate.d/jchrony").exitCode()).isNotZero();
    }

    // --- machinery -------------------------------------------------------------------------

    /** Runs {@code script} with sh inside the container (all its namespaces), clean environment. */
    static PkgProcess.Result inside(long timeoutSeconds, String script) {
        return PkgProcess.run(timeoutSeconds, "nsenter", "-t", Long.toString(containerPid), "-a",
                "env", "-i", PATH_ENV, "LANG=C.UTF-8", "/bin/sh", "-c", script);
    }

    /** Runs a host binary in the container's network namespace only. */
    static PkgProcess.Result inNetns(long timeoutSeconds, String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(containerPid), "-n"));
        cmd.addAll(List.of(command));
        return PkgProcess.run(timeoutSeconds, cmd);
    }

    private static String waitForState(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String state = "";
        while (System.nanoTime() < deadline) {
            state = inside(10, "systemctl is-active jchronyd.service").output().trim();
            if (state.equals("active") || state.equals("failed") || state.equals("inactive")) {
                return state;
            }
            Thread.sleep(250);
        }
        return state;
    }

    private static String field(String procStatus, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s*(.*)$").matcher(procStatus);
        assertThat(m.find()).as(name + " in /proc/PID/status").isTrue();
        return m.group(1).trim();
    }

    /** The container's init: the descendant of nspawn that is PID 1 in its own PID namespace. */
    private static long waitForContainerInit(long nspawnPid, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            Optional<ProcessHandle> init = ProcessHandle.of(nspawnPid).stream()
                    .flatMap(ProcessHandle::descendants)
                    .filter(ContainerInstallIT::isNamespaceInit)
                    .findFirst();
            if (init.isPresent()) {
                return init.get().pid();
            }
            if (!nspawn.isAlive()) {
                throw new AssertionError("systemd-nspawn exited: " + Files.readString(LOGS.resolve("console.log")));
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
    private static void ensureRoot() throws IOException {
        if (Files.isExecutable(ROOT.resolve("lib/systemd/systemd")) || Files.isExecutable(ROOT.resolve("usr/lib/systemd/systemd"))) {
            return;
        }
        Path tmp = ROOT.resolveSibling(ROOT.getFileName() + ".tmp");
        PkgProcess.run(120, "rm", "-rf", tmp.toString());
        PkgProcess.Result r = PkgProcess.run(900, "debootstrap", "--variant=minbase",
                "--include=systemd,systemd-sysv,dbus", "bookworm", tmp.toString(), hostDebianMirror());
        save("debootstrap.log", r.output());
        Assumptions.assumeTrue(r.ok(), "debootstrap failed (see target/container-test/debootstrap.log)");
        Files.move(tmp, ROOT, StandardCopyOption.ATOMIC_MOVE);
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

    private static void save(String name, String text) {
        try {
            Files.createDirectories(LOGS);
            Files.writeString(LOGS.resolve(name), text);
        } catch (IOException ignored) {
            // logs are best effort
        }
    }
}
