package org.jchrony.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jchrony.cmdmon.CommandHandler;
import org.jchrony.cmdmon.MirrorTargetAccess;
import org.jchrony.cmdmon.TestCommandServer;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * Against real chronyd 4.3 (two identically configured daemons D1 and D2 syncing to a third):
 * (c) jchronyc on D2 prints what Debian's chronyc prints on D1, for every command in sequence;
 * (b) Debian's chronyc through our {@link CommandHandler} (answering from D2's state via a
 * mirroring target, over our Unix socket and UDP) prints what it prints on D1.
 * Numbers that depend on timing are masked.
 */
class RealChronydParityTest {
    static final List<String> SEQUENCE = List.of(
            "tracking", "sources", "sources -v", "sourcestats", "sourcestats -v", "selectdata", "selectdata -v",
            "activity", "authdata", "authdata -v", "ntpdata", "ntpdata 127.0.0.1", "sourcename 127.0.0.1",
            "sourcename 10.1.1.1", "clients", "clients -k", "serverstats", "smoothing", "rtcdata", "manual list",
            "waitsync 1", "makestep", "makestep 0.1 3", "burst 4/4", "burst 1/2 127.0.0.1", "burst 1/2 10.0.0.0/8",
            "offline 127.0.0.1", "activity", "online", "onoffline", "allow 10.0.0.0/8", "allow all 10.1.0.0/16",
            "deny 10.2.0.0/16", "deny all 10.3.0.0/16", "cmdallow 10.4.0.0/16", "cmdallow all 10.5.0.0/16",
            "cmddeny 10.6.0.0/16", "cmddeny all 10.7.0.0/16", "allow 1.2.3.4/40", "accheck 127.0.0.1",
            "accheck 10.2.0.1", "cmdaccheck 127.0.0.1", "cmdaccheck 10.4.0.1", "local stratum 10", "local off",
            "maxdelay 127.0.0.1 0.5", "maxdelay 10.9.9.9 0.5", "maxdelayratio 127.0.0.1 2.5",
            "maxdelaydevratio 127.0.0.1 10", "minpoll 127.0.0.1 -2", "maxpoll 127.0.0.1 -2",
            "polltarget 127.0.0.1 7", "minstratum 127.0.0.1 0", "maxupdateskew 1000", "reselect",
            "reselectdist 0.0001", "refresh", "reload sources", "reset sources", "rekey", "dump", "cyclelogs",
            "dfreq 0.5", "doffset -0.1", "manual on", "manual list", "manual delete 5", "manual reset",
            "manual off", "settime 12:00", "smoothtime reset", "smoothtime activate", "smoothing", "writertc",
            "trimrtc", "add server 127.0.0.2 iburst minpoll 2 maxpoll 4", "add server 127.0.0.2",
            "add pool 127.0.0.3 maxsources 2", "add peer 127.0.0.4 key 1 prefer", "activity", "sources",
            "delete 127.0.0.2", "delete 10.9.9.9", "sources -a", "sourcestats -a", "selectdata -a", "tracking");

    /**
     * Commands whose output depends on whether a daemon has resynchronised since `reset sources`
     * (late in SEQUENCE): two daemons resynchronise at different moments, so these are not
     * compared after it. The CSV and UDP rounds run after both have resynchronised.
     */
    static final java.util.Set<String> SYNC_DEPENDENT = java.util.Set.of(
            "tracking", "sources", "sources -a", "sourcestats -a", "selectdata -a");

    /** Waits until the daemon behind {@code socket} has selected a source again. */
    static void awaitSync(String socket) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (chronyc(List.of("-h", socket), "sources").contains("^*")) return;
            Thread.sleep(200);
        }
    }

    static final List<String> CSV = List.of("tracking", "sources", "sourcestats", "selectdata", "activity",
            "authdata", "ntpdata", "clients", "serverstats", "smoothing", "manual list");

    static List<String> daemonConfig(RealChronyd upstream) {
        return List.of("server 127.0.0.1 port " + upstream.ntpPort() + " iburst minpoll -2 maxpoll -2",
                "allow 127.0.0.0/8", "smoothtime 400 0.001", "makestep 0.1 3", "keyfile /dev/null");
    }

    /** Masks what depends on timing: numbers (with sign and unit), fast/slow, dates, source states. */
    static String mask(String s) {
        return s.replaceAll("(?m)^([\\^=#])[*?x~+\\- ]", "$1S")
                .replaceAll("(?m)^\\S (?=\\S+ +[YN] [-NPTR]{5} )", "S ")
                .replaceAll("(?<![A-Za-z#])[+-]?\\d[\\d.]*(ns|us|ms|s|m|h|d|y)?(?![A-Za-z])", "N")
                .replaceAll("\\b(slow|fast)\\b", "F")
                .replaceAll("\\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\\b", "D")
                .replaceAll("[ =]+", "");
    }

    static String chronyc(List<String> opts, String command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RealChronyd.CHRONYC.toString()));
        cmd.addAll(opts);
        cmd.addAll(Arrays.asList(command.split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out + "rc=" + p.exitValue();
    }

    static String jchronyc(List<String> opts, String command) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bo, true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(opts);
        args.addAll(Arrays.asList(command.split(" ")));
        int rc = JchronycMain.run(args.toArray(String[]::new), ps, ps, new ByteArrayInputStream(new byte[0]));
        return bo.toString(StandardCharsets.UTF_8) + "rc=" + rc;
    }

    @Test
    void jchronycPrintsWhatChronycPrints() throws Exception {
        try (RealChronyd upstream = RealChronyd.start(List.of("local stratum 10", "allow 127.0.0.0/8"));
             RealChronyd d1 = RealChronyd.start(daemonConfig(upstream));
             RealChronyd d2 = RealChronyd.start(daemonConfig(upstream))) {
            // CSV and UDP rounds first, while both daemons are synchronised; the sequence ends with
            // reset sources/doffset, after which they resynchronise at different moments
            awaitSync(d1.socketPath().toString());
            awaitSync(d2.socketPath().toString());
            Thread.sleep(3000); // let both activate smoothtime and settle their polling
            List<String> mismatches = new ArrayList<>();
            int compared = 0;
            for (String command : CSV) {
                String expected = chronyc(List.of("-c", "-h", d1.socketPath().toString()), command);
                String actual = jchronyc(List.of("-c", "-h", d2.socketPath().toString()), command);
                compared++;
                if (!mask(expected).equals(mask(actual))) {
                    mismatches.add("-c " + command + "\n--- chronyc:\n" + expected + "\n--- jchronyc:\n" + actual);
                }
            }
            for (String command : List.of("tracking", "sources", "sourcestats", "activity", "serverstats", "makestep")) {
                String expected = chronyc(List.of("-h", "127.0.0.1", "-p", String.valueOf(d1.cmdPort())), command);
                String actual = jchronyc(List.of("-h", "127.0.0.1", "-p", String.valueOf(d2.cmdPort())), command);
                compared++;
                if (!mask(expected).equals(mask(actual))) {
                    mismatches.add("udp " + command + "\n--- chronyc:\n" + expected + "\n--- jchronyc:\n" + actual);
                }
            }
            boolean afterReset = false;
            for (String command : SEQUENCE) {
                if (command.equals("reset sources")) afterReset = true;
                if (afterReset && SYNC_DEPENDENT.contains(command)) continue;
                String expected = chronyc(List.of("-n", "-h", d1.socketPath().toString()), command);
                String actual = jchronyc(List.of("-n", "-h", d2.socketPath().toString()), command);
                compared++;
                if (!mask(expected).equals(mask(actual))) {
                    mismatches.add(command + "\n--- chronyc:\n" + expected + "\n--- jchronyc:\n" + actual);
                }
            }
            assertThat(compared).isGreaterThan(95);
            assertThat(mismatches).isEmpty();
        }
    }

    @Test
    void chronycThroughOurHandlerPrintsWhatItPrintsOnChronyd() throws Exception {
        try (RealChronyd upstream = RealChronyd.start(List.of("local stratum 10", "allow 127.0.0.0/8"));
             RealChronyd d1 = RealChronyd.start(daemonConfig(upstream));
             RealChronyd d2 = RealChronyd.start(daemonConfig(upstream));
             CandmClient mirror = new CandmClient(new UnixTransport(d2.socketPath()), new SplittableRandom());
             TestCommandServer ours = new TestCommandServer(
                     new CommandHandler(MirrorTargetAccess.create(mirror), p -> false), d2.dir().resolve("jchronyd.sock"))) {
            awaitSync(d1.socketPath().toString());
            awaitSync(d2.socketPath().toString());
            Thread.sleep(3000); // let both activate smoothtime and settle their polling
            List<String> mismatches = new ArrayList<>();
            boolean afterReset = false;
            for (String command : SEQUENCE) {
                if (command.equals("reset sources")) afterReset = true;
                if (afterReset && SYNC_DEPENDENT.contains(command)) continue;
                String expected = chronyc(List.of("-n", "-h", d1.socketPath().toString()), command);
                String actual = chronyc(List.of("-n", "-h", ours.unixPath().toString()), command);
                if (!mask(expected).equals(mask(actual))) {
                    mismatches.add(command + "\n--- chronyd:\n" + expected + "\n--- ours:\n" + actual);
                }
            }
            for (String command : List.of("tracking", "sources", "sourcestats", "activity", "serverstats", "makestep",
                    "manual list", "rtcdata", "smoothing", "sourcename 127.0.0.1", "ntpdata")) {
                if (SYNC_DEPENDENT.contains(command)) continue; // after reset sources in SEQUENCE
                String expected = chronyc(List.of("-n", "-h", "127.0.0.1", "-p", String.valueOf(d1.cmdPort())), command);
                String actual = chronyc(List.of("-n", "-h", "127.0.0.1", "-p", String.valueOf(ours.udpPort())), command);
                if (!mask(expected).equals(mask(actual))) {
                    mismatches.add("udp " + command + "\n--- chronyd:\n" + expected + "\n--- ours:\n" + actual);
                }
            }
            assertThat(mismatches).isEmpty();
        }
    }
}
