package org.jchrony.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package the package phase built (failsafe runs this after it): control fields,
 * maintainer scripts, file list with modes, and the bundled runtime can run the jars.
 */
class PackageContentsIT {
    private static Path deb;
    private static String info;
    /** path → "mode-string" or "link → target" from dpkg-deb -c. */
    private static Map<String, String> entries;

    @BeforeAll
    static void readPackage() {
        Assumptions.assumeTrue(PkgProcess.onPath("dpkg-deb"), "dpkg-deb missing");
        deb = Path.of(System.getProperty("jchrony.deb", "target/jchrony_0.1.0_amd64.deb"));
        assertThat(deb).as("built by mvn package").exists();
        PkgProcess.Result i = PkgProcess.run(30, "dpkg-deb", "-I", deb.toString());
        assertThat(i.exitCode()).as(i.output()).isZero();
        info = i.output();
        PkgProcess.Result c = PkgProcess.run(30, "dpkg-deb", "-c", deb.toString());
        assertThat(c.exitCode()).as(c.output()).isZero();
        entries = new HashMap<>();
        for (String line : c.output().split("\n")) {
            // drwxr-xr-x root/root 0 2026-11-26 12:44 ./usr/lib/  |  lrw-r--r-- ... ./usr/sbin/chronyd -> jchronyd
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 6) {
                continue;
            }
            String name = f[5];
            String value = f[0];
            int arrow = name.indexOf(" -> ");
            if (arrow >= 0) {
                value = "link → " + name.substring(arrow + 4);
                name = name.substring(0, arrow);
            }
            name = name.startsWith("./") ? name.substring(1) : name;
            if (name.length() > 1 && name.endsWith("/")) {
                name = name.substring(0, name.length() - 1);
            }
            entries.put(name, value);
        }
    }

    private static String field(String name) {
        return info.lines().map(String::trim).filter(l -> l.startsWith(name + ":"))
                .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse("");
    }

    private static Set<String> relations(String name) {
        return Arrays.stream(field(name).split(",")).map(String::trim).map(s -> s.split(" ")[0])
                .collect(Collectors.toSet());
    }

    @Test
    void controlFieldsMakeItATimeDaemonReplacingTheOthers() {
        assertThat(field("Package")).isEqualTo("jchrony");
        assertThat(field("Version")).isEqualTo(System.getProperty("jchrony.version", "0.1.0"));
        assertThat(field("Architecture")).isEqualTo("amd64");
        assertThat(relations("Provides")).contains("time-daemon");
        List<String> others = List.of("time-daemon", "chrony", "ntp", "ntpsec", "openntpd", "systemd-timesyncd");
        assertThat(relations("Conflicts")).containsAll(others);
        assertThat(relations("Replaces")).containsAll(others);
        assertThat(field("Depends")).as("the runtime is bundled").doesNotContainIgnoringCase("java").doesNotContain("jdk");
        assertThat(info).contains("postinst").contains("prerm").contains("postrm").contains("conffiles");
    }

    @Test
    void conffilesHoldOnlyLogrotateNeverChronyConf(@TempDir Path tmp) throws IOException {
        PkgProcess.Result e = PkgProcess.run(30, "dpkg-deb", "-e", deb.toString(), tmp.resolve("DEBIAN").toString());
        assertThat(e.exitCode()).as(e.output()).isZero();
        List<String> conffiles = Files.readAllLines(tmp.resolve("DEBIAN/conffiles")).stream()
                .filter(l -> !l.isBlank()).toList();
        assertThat(conffiles).containsExactly("/etc/logrotate.d/jchrony");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path p = tmp.resolve("DEBIAN").resolve(script);
            assertThat(Files.isExecutable(p)).as(script + " executable").isTrue();
            PkgProcess.Result syntax = PkgProcess.run(10, "sh", "-n", p.toString());
            assertThat(syntax.exitCode()).as(script + ": " + syntax.output()).isZero();
        }
        String postinst = Files.readString(tmp.resolve("DEBIAN/postinst"));
        assertThat(postinst).contains("_chrony").contains("/etc/chrony/chrony.conf")
                .contains("deb-systemd-helper").contains("jchronyd.service");
        assertThat(Files.readString(tmp.resolve("DEBIAN/prerm"))).contains("stop");
    }

    @Test
    void filesAreWhereTheLaunchersAndUnitsExpectThem() {
        assertThat(entries.get("/usr/sbin/jchronyd")).startsWith("-rwxr-xr-x");
        assertThat(entries.get("/usr/bin/jchronyc")).startsWith("-rwxr-xr-x");
        assertThat(entries.get("/usr/sbin/chronyd")).isEqualTo("link → jchronyd");
        assertThat(entries.get("/usr/bin/chronyc")).isEqualTo("link → jchronyc");
        assertThat(entries.get("/usr/lib/jchrony/jchrony.jar")).startsWith("-rw-r--r--");
        assertThat(entries.get("/usr/lib/jchrony/runtime/bin/java")).startsWith("-rwxr-xr-x");
        assertThat(entries.get("/usr/lib/jchrony/runtime/lib/jspawnhelper")).startsWith("-rwxr-xr-x");
        assertThat(entries).containsKeys("/usr/lib/jchrony/runtime/lib/modules",
                "/usr/lib/jchrony/runtime/lib/server/libjvm.so",
                "/usr/lib/jchrony/runtime/lib/server/classes.jsa",
                "/lib/systemd/system/jchronyd.service", "/lib/systemd/system/jchrony-wait.service",
                "/etc/logrotate.d/jchrony", "/usr/share/jchrony/chrony.conf",
                "/usr/share/man/man8/jchronyd.8.gz", "/usr/share/man/man1/jchronyc.1.gz",
                "/usr/share/doc/jchrony/copyright", "/etc/chrony/conf.d", "/etc/chrony/sources.d");
        assertThat(entries).as("a host's chrony.conf is never shipped over").doesNotContainKey("/etc/chrony/chrony.conf");
        assertThat(entries.keySet()).noneMatch(k -> k.startsWith("/usr/lib/jchrony/runtime/include")
                || k.startsWith("/usr/lib/jchrony/runtime/man") || k.endsWith("classes_nocoops.jsa"));
    }

    @Test
    void everyRuntimeDependencyJarIsShipped() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target/lib"))) {
            for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).toList()) {
                assertThat(entries).containsKey("/usr/lib/jchrony/lib/" + jar.getFileName());
            }
        }
    }

    @Test
    void unitsInThePackageAreTheRepositoryOnes(@TempDir Path tmp) throws IOException {
        PkgProcess.Result x = PkgProcess.run(60, "dpkg-deb", "-x", deb.toString(), tmp.toString());
        assertThat(x.exitCode()).as(x.output()).isZero();
        for (String unit : List.of("jchronyd.service", "jchrony-wait.service")) {
            assertThat(Files.readString(tmp.resolve("lib/systemd/system").resolve(unit)))
                    .isEqualTo(Files.readString(Path.of("systemd", unit)));
        }
        // The launchers point at files the package ships.
        for (String launcher : List.of("usr/sbin/jchronyd", "usr/bin/jchronyc")) {
            String text = Files.readString(tmp.resolve(launcher));
            assertThat(text).contains("J=/usr/lib/jchrony").contains("$J/runtime/bin/java").contains("$J/jchrony.jar");
            assertThat(PkgProcess.run(10, "sh", "-n", tmp.resolve(launcher).toString()).exitCode()).isZero();
        }
    }

    @Test
    void bundledRuntimeHasEveryModuleTheJarsNeedAndRunsTheJar(@TempDir Path tmp) throws IOException {
        PkgProcess.Result x = PkgProcess.run(60, "dpkg-deb", "-x", deb.toString(), tmp.toString());
        assertThat(x.exitCode()).as(x.output()).isZero();
        Path java = tmp.resolve("usr/lib/jchrony/runtime/bin/java");
        PkgProcess.Result mods = PkgProcess.run(30, java.toString(), "--list-modules");
        assertThat(mods.exitCode()).as(mods.output()).isZero();
        Set<String> have = mods.output().lines().map(l -> l.split("@")[0].trim()).collect(Collectors.toSet());
        String jdk = System.getProperty("java.home");
        Path lib = tmp.resolve("usr/lib/jchrony/lib");
        List<String> jdepsCmd = new java.util.ArrayList<>(List.of(jdk + "/bin/jdeps", "--multi-release", "25",
                "--ignore-missing-deps", "--print-module-deps", tmp.resolve("usr/lib/jchrony/jchrony.jar").toString()));
        try (Stream<Path> s = Files.list(lib)) {
            s.map(Path::toString).sorted().forEach(jdepsCmd::add);
        }
        PkgProcess.Result need = PkgProcess.run(120, jdepsCmd);
        assertThat(need.exitCode()).as(need.output()).isZero();
        List<String> needed = Arrays.stream(need.output().trim().split(",")).map(String::trim).toList();
        assertThat(have).containsAll(needed);
        // The jar's manifest Class-Path resolves next to it (lib/): Netty loads
        // from the shipped jars on the shipped runtime.
        PkgProcess.Result run = PkgProcess.run(30, java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:-UsePerfData", "-cp", tmp.resolve("usr/lib/jchrony/jchrony.jar").toString(),
                "io.netty.util.Version");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("netty-transport-native-epoll-4.2");
    }

    @Test
    void aotCacheBuiltAtPackageTimeMapsInTheInstalledLayout(@TempDir Path tmp) {
        Assumptions.assumeTrue(entries.containsKey("/usr/lib/jchrony/jchrony.aot"),
                "no AOT cache in the package (training run failed? see target/aot-training.log)");
        PkgProcess.Result x = PkgProcess.run(60, "dpkg-deb", "-x", deb.toString(), tmp.toString());
        assertThat(x.exitCode()).as(x.output()).isZero();
        Path j = tmp.resolve("usr/lib/jchrony");
        // AOTMode=on: the JVM refuses to start unless the cache maps with the relocated runtime
        // and jars and the launchers' flags. (Netty's Version main, not jchronyd: a test must
        // never start the daemon without -x.)
        PkgProcess.Result run = PkgProcess.run(60, j.resolve("runtime/bin/java").toString(),
                "-XX:AOTMode=on", "-XX:AOTCache=" + j.resolve("jchrony.aot"),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-Xss512k",
                "-XX:-UsePerfData", "-Xlog:class+load=info", "-cp", j.resolve("jchrony.jar").toString(),
                "io.netty.util.Version");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("source: shared objects file").doesNotContain("[error][aot]");
        // The training run (cli/AotTraining) served NTP: the server path is in the cache (the
        // JVM preloads every cached class at start, so they show up even for Netty's main).
        assertThat(run.output()).contains("org.jchrony.net.NtpServerSockets source: shared objects file",
                "org.jchrony.client.JchronycMain source: shared objects file");
    }

    @Test
    void installedLauncherStartsTheDaemonInTheBackgroundInOneJvm(@TempDir Path tmp) throws Exception {
        PkgProcess.Result x = PkgProcess.run(60, "dpkg-deb", "-x", deb.toString(), tmp.toString());
        assertThat(x.exitCode()).as(x.output()).isZero();
        // /usr/sbin/jchronyd with /usr/lib/jchrony pointing into the extracted package
        Path launcher = tmp.resolve("jchronyd");
        Files.writeString(launcher, Files.readString(tmp.resolve("usr/sbin/jchronyd"))
                .replace("/usr/lib/jchrony", tmp.resolve("usr/lib/jchrony").toString()));
        assertThat(launcher.toFile().setExecutable(true)).isTrue();
        Path conf = tmp.resolve("chrony.conf");
        Path pidFile = tmp.resolve("chronyd.pid");
        Files.write(conf, List.of("port " + org.jchrony.testutil.FreePorts.udp(), "bindaddress 127.0.0.1", "cmdport 0",
                "bindcmdaddress " + tmp.resolve("run/chronyd.sock"), "pidfile " + pidFile,
                "driftfile " + tmp.resolve("drift"), "allow 127.0.0.1", "local stratum 10"));
        PkgProcess.Result r = PkgProcess.run(60, launcher.toString(), "-x", "-f", conf.toString(), "-l", tmp.resolve("log").toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).isEmpty();
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        try {
            ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
            assertThat(daemon.info().command().orElse("")).isEqualTo(tmp.resolve("usr/lib/jchrony/runtime/bin/java").toString());
            long javas = ProcessHandle.allProcesses()
                    .filter(h -> h.info().arguments().map(a -> List.of(a).contains(conf.toString())).orElse(false)).count();
            assertThat(javas).as("processes running with this configuration").isEqualTo(1);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) Thread.sleep(20);
        }
        assertThat(pidFile).as("removed at exit").doesNotExist();
        Files.writeString(conf, "bogusdirective 1\n");
        PkgProcess.Result bad = PkgProcess.run(60, launcher.toString(), "-x", "-f", conf.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.output().trim()).isEqualTo("Fatal error : " + conf + ":1: Invalid directive bogusdirective");
    }
}
