package org.jchrony.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jchrony.cmdmon.*;
import org.jchrony.server.DatagramHandler;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's chronyc 4.3 and jchronyc against our {@link CommandHandler} (served from an
 * {@link InMemoryTarget} with awkward values) over the Unix socket and UDP: for every command,
 * the printed output must be identical character for character, and the requests jchronyc
 * sends must equal chronyc's byte for byte (sequence number aside).
 */
class ChronycOutputParityTest {
    static Path dir;
    static InMemoryTarget target;
    static TestCommandServer server;
    static final List<String> requests = new ArrayList<>();

    static IpAddr v4(String s) { return IpAddr.parse(s); }

    @BeforeAll
    static void start() throws Exception {
        RealChronyd.assumeInstalled();
        dir = Files.createTempDirectory("jchronyc-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        target = new InMemoryTarget();
        IpAddr a1 = v4("127.0.0.1"), a2 = v4("127.0.0.2"), a3 = IpAddr.parse("::1"), a4 = IpAddr.inet4(0x47505300),
                a5 = IpAddr.parse("fd00:1234::5"), a6 = IpAddr.id(7);
        target.sources.addAll(List.of(
                new SourceReport(a1, 6, 2, 0, 0, 0, 0377, 12, 1.25e-6, 1.3e-6, 2.5e-6),
                new SourceReport(a2, -2, 16, 1, 0, 0, 1, 4000, -0.0123, -0.0125, 0.5),
                new SourceReport(a3, 10, 3, 4, 1, 0, 0, 0xffffffffL, 1234.5, -99999.0, 1e7),
                new SourceReport(a4, 4, 0, 5, 2, 0, 0377, 400000, -5e-10, 0.0, 9999.4e-9),
                new SourceReport(a5, 7, 5, 2, 0, 0, 0252, 40000, 3.1, -12.75, 1e12),
                new SourceReport(a6, 6, 0, 3, 0, 0, 0, 90000000, 0.000125, -0.0000125, 0.00099995)));
        for (int i = 0; i < 6; i++) {
            IpAddr a = target.sources.get(i).address();
            target.sourceStats.add(new SourceStatsReport(i == 3 ? 0x47505300 : 0, i == 3 ? IpAddr.UNSPECIFIED : a,
                    i * 3L, i, i * 1000L, 1.5e-6 * i, -0.125 * i + 0.0005, 123456.0 * i, -2.5e-5 * i, 1e-3));
            target.selectData.add(new SelectDataReport(i == 3 ? 0x50505300 : 0, i == 3 ? IpAddr.UNSPECIFIED : a,
                    "*+-xNs".charAt(i), i % 2 == 0, i % 4, i, 15 - i, i * 777L, 1.05 * i, -0.0001 * i, 0.002 * i));
            target.authData.add(new AuthDataReport(i % 3, i == 1 ? 2 : 0, i, 128 * i, i, i * 1000L, 8 - i, 100, i % 2));
            target.names.add(i == 4 ? "pool.example.org" : a.toString());
        }
        target.ntpData.add(new NtpDataReport(a1, v4("127.0.0.1"), 123, 0, 4, 4, 1, -3, -26, 0.000123, 1.5e-5,
                0x47505300, Timespec.ofEpoch(1700000000L, 123456789), -2.5e-6, 3.1e-5, 1.2e-6, 4.4e-5, -0.5, 0x3ff,
                'K', 'D', 100, 99, 98, 97, 0, 0, 0, 0));
        target.ntpData.add(new NtpDataReport(a3, a3, 12345, 3, 3, 1, 3, 6, -20, 1.0, 2.0, 0x7f000001,
                Timespec.ZERO, 12.5, 0.25, 0.125, 0.0625, 0.33, 0x4000 | 0x8000 | 0x155, 'H', 'X', 1, 2, 3, 4, 0, 0, 0, 0));
        target.tracking = new TrackingReport(0x7f000001, a1, 3, 0, Timespec.ofEpoch(1764160000L, 999999999),
                -0.000012345, 2.5e-7, 1e-6, -17.4375, 0.001, 0.0455, 0.00025, 0.0015, 64.0);
        target.activity = new ActivityReport(5, 1, 2, 0, 3);
        target.serverStats = ServerStatsReport.v3(123456, 1, 2, 3, 4, 5, 6, 7, 8, 9, 4294967295L);
        target.smoothing = new SmoothingReport(true, true, -0.0005, 0.25, -0.00001, 3.5, 400.25);
        target.rtc = new RtcReport(Timespec.ofEpoch(1600000000L, 0), 12, 3, 86400 * 5, -1.234567, 0.5005);
        target.manual.add(new ManualSample(Timespec.ofEpoch(1764150000L, 0), 0.5, 0.75, -0.125));
        target.manual.add(new ManualSample(Timespec.ofEpoch(1764150600L, 0), -12.345, 100.0, 0.005));
        for (int i = 0; i < 11; i++) {
            target.clients.add(new ClientAccessReport(IpAddr.inet4(0x7f000001 + i), i * 100L, i, i * 2L, i, 0, 0,
                    i < 5 ? i - 2 : 127, 127, 3, i % 7, i * 10000L, 0xffffffffL, i));
        }
        target.settime = new ManualTimestamp(-1.255, 0.125, -17.5);
        DatagramHandler recording = (in, len, peer, rx, out) -> {
            byte[] copy = Arrays.copyOf(in, len);
            Arrays.fill(copy, 6, 12, (byte) 0); // attempt and sequence
            synchronized (requests) {
                requests.add(HexFormat.of().formatHex(copy));
            }
            return new CommandHandler(target, p -> false).handle(in, len, peer, rx, out);
        };
        server = new TestCommandServer(recording, dir.resolve("chronyd.sock"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static final List<String> COMMANDS = List.of(
            "tracking", "sources", "sources -v", "sources -a", "sourcestats", "sourcestats -v", "sourcestats -a",
            "selectdata", "selectdata -v", "selectdata -a", "activity", "authdata", "authdata -v", "ntpdata",
            "ntpdata 127.0.0.1", "ntpdata ::1", "ntpdata 10.1.1.1", "sourcename 127.0.0.2", "sourcename 10.9.9.9",
            "clients", "clients -k", "clients -p 500", "clients -r", "serverstats", "smoothing", "rtcdata",
            "manual list", "makestep", "makestep 0.1 3", "makestep x", "burst 4/4", "burst 2/5 127.0.0.1",
            "burst 1/2 127.0.0.0/8", "burst bad", "online", "offline 127.0.0.1", "online 255.255.0.0/127.0.0.0",
            "offline ::1/64", "onoffline", "allow", "allow 10.0.0.0/8", "allow all 10.1.0.0/16", "allow 10",
            "allow 10.2", "deny 10.2.0.0/16", "deny all", "cmdallow 10.4.0.0/16", "cmdallow all ::/0",
            "cmddeny 10.6.0.0/16", "cmddeny all 10.7.0.0/16", "allow ::1", "allow foo bar", "accheck 127.0.0.1",
            "cmdaccheck 10.0.0.1", "local", "local stratum 10", "local stratum 5 orphan distance 0.5", "local off",
            "local stratum 16", "maxdelay 127.0.0.1 0.5", "maxdelayratio 127.0.0.1 2.5",
            "maxdelaydevratio 127.0.0.1 10", "minpoll 127.0.0.1 -2", "maxpoll 127.0.0.1 3",
            "polltarget 127.0.0.1 7", "minstratum 127.0.0.1 2", "minpoll 127.0.0.1", "maxupdateskew 100",
            "reselect", "reselectdist 0.0001", "refresh", "reload sources", "reload foo", "reset sources", "rekey",
            "dump", "cyclelogs", "dfreq 0.5", "doffset -0.1", "dfreq", "manual on", "manual delete 1",
            "manual reset", "manual off", "manual foo", "smoothtime reset", "smoothtime activate", "smoothtime x",
            "writertc", "trimrtc", "add server 127.0.0.2 iburst minpoll 2 maxpoll 4",
            "add pool 127.0.0.3 maxsources 2", "add peer 127.0.0.4 key 1 prefer",
            "add server 127.0.0.5 port 12345 nts noselect xleave offset 0.25 maxdelay 0.1 minsamples 3",
            "add server 127.0.0.6 bogus", "add foo 127.0.0.1", "delete 127.0.0.2", "delete 10.9.9.9", "delete",
            "waitsync 1", "settime 12:00", "shutdown", "foo", "", "# comment", "retries 1", "timeout 50",
            "dns -n", "authhash MD5");

    record Run(String out, List<String> requests) {}

    static Run chronyc(String... args) throws Exception {
        synchronized (requests) {
            requests.clear();
        }
        List<String> cmd = new ArrayList<>(List.of(RealChronyd.CHRONYC.toString()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        synchronized (requests) {
            return new Run(out + "rc=" + p.exitValue(), new ArrayList<>(requests));
        }
    }

    static Run jchronyc(String... args) {
        synchronized (requests) {
            requests.clear();
        }
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bo, true, StandardCharsets.UTF_8);
        int rc = JchronycMain.run(args, ps, ps, new ByteArrayInputStream(new byte[0]));
        ps.flush();
        synchronized (requests) {
            return new Run(bo.toString(StandardCharsets.UTF_8) + "rc=" + rc, new ArrayList<>(requests));
        }
    }

    static String[] withCommand(List<String> opts, String command) {
        List<String> a = new ArrayList<>(opts);
        if (!command.isEmpty()) a.addAll(Arrays.asList(command.split(" ")));
        return a.toArray(String[]::new);
    }

    @Test
    void everyCommandOverUnixSocketPrintsWhatChronycPrints() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (String command : COMMANDS) {
            if (command.isEmpty()) continue;
            for (List<String> opts : List.of(List.of("-n", "-h", server.unixPath().toString()),
                    List.of("-c", "-h", server.unixPath().toString()))) {
                if (opts.contains("-c") && !isReport(command)) continue;
                Run expected = chronyc(withCommand(opts, command));
                Run actual = jchronyc(withCommand(opts, command));
                if (!expected.out().equals(actual.out())) {
                    mismatches.add(opts + " " + command + "\n--- chronyc:\n" + expected.out() + "\n--- jchronyc:\n" + actual.out());
                } else if (!expected.requests().equals(actual.requests())) {
                    mismatches.add(opts + " " + command + " requests differ\n" + expected.requests() + "\n" + actual.requests());
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    static boolean isReport(String c) {
        return c.startsWith("tracking") || c.startsWith("sources") || c.startsWith("selectdata") || c.startsWith("activity")
                || c.startsWith("authdata") || c.startsWith("ntpdata") || c.startsWith("clients")
                || c.startsWith("serverstats") || c.startsWith("smoothing") || c.startsWith("rtcdata")
                || c.startsWith("manual list") || c.startsWith("sourcename") || c.startsWith("waitsync");
    }

    @Test
    void udpServesOnlyMonitoringCommandsAndOutputsMatch() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (String command : List.of("tracking", "sources", "sourcestats", "activity", "rtcdata", "smoothing",
                "manual list", "sourcename 127.0.0.1", "serverstats", "ntpdata", "selectdata", "clients", "makestep",
                "burst 1/1", "dump")) {
            List<String> opts = List.of("-n", "-h", "127.0.0.1", "-p", String.valueOf(server.udpPort()));
            Run expected = chronyc(withCommand(opts, command));
            Run actual = jchronyc(withCommand(opts, command));
            if (!expected.out().equals(actual.out())) {
                mismatches.add(command + "\n--- chronyc:\n" + expected.out() + "\n--- jchronyc:\n" + actual.out());
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(chronyc("-n", "-h", "127.0.0.1", "-p", String.valueOf(server.udpPort()), "serverstats").out())
                .isEqualTo("501 Not authorised\nrc=1");
    }

    @Test
    void compatibilityOptions() throws Exception {
        String sock = server.unixPath().toString();
        for (List<String> opts : List.of(List.of("-a", "-n", "-h", sock), List.of("-4", "-n", "-h", sock),
                List.of("-n", "-f", "/etc/chrony/chrony.conf", "-h", sock), List.of("-nc", "-h", sock),
                List.of("-d", "-n", "-h", sock))) {
            assertThat(jchronyc(withCommand(opts, "activity")).out()).as(opts.toString())
                    .isEqualTo(chronyc(withCommand(opts, "activity")).out());
        }
    }

    @Test
    void hostListFallsBackInOrder() throws Exception {
        for (String hosts : List.of("/nonexistent/chronyd.sock,127.0.0.1", "127.0.0.1,/nonexistent/x.sock",
                "/nonexistent/chronyd.sock")) {
            List<String> opts = List.of("-n", "-h", hosts, "-p", String.valueOf(server.udpPort()));
            assertThat(jchronyc(withCommand(opts, "tracking")).out()).as(hosts)
                    .isEqualTo(chronyc(withCommand(opts, "tracking")).out());
        }
    }

    @Test
    void namesResolvedAsChronycDoes() throws Exception {
        for (String command : List.of("sources", "sourcestats", "tracking", "clients", "-N sources", "-N selectdata")) {
            List<String> opts = new ArrayList<>(List.of("-h", server.unixPath().toString()));
            String c = command;
            if (c.startsWith("-N ")) {
                opts.add(0, "-N");
                c = c.substring(3);
            }
            assertThat(jchronyc(withCommand(opts, c)).out()).as(command).isEqualTo(chronyc(withCommand(opts, c)).out());
        }
    }

    @Test
    void multiAndInteractive() throws Exception {
        String sock = server.unixPath().toString();
        assertThat(jchronyc("-n", "-m", "-h", sock, "tracking", "activity", "foo", "sources").out())
                .isEqualTo(chronyc("-n", "-m", "-h", sock, "tracking", "activity", "foo", "sources").out());
        Process p = new ProcessBuilder(RealChronyd.CHRONYC.toString(), "-n", "-h", sock).redirectErrorStream(true).start();
        p.getOutputStream().write("tracking\nactivity\nquit\nsources\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bo, true, StandardCharsets.UTF_8);
        JchronycMain.run(new String[] {"-n", "-h", sock}, ps, ps,
                new ByteArrayInputStream("tracking\nactivity\nquit\nsources\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(bo.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }
}
