package org.jchrony.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Random lines for directives whose parsing code is unchanged between chronyd 4.3 (installed
 * here) and 4.8: accepted by us exactly when accepted by {@code chronyd -x -p LINE}, and
 * printed the same. Host names are left out (chronyd would resolve them while parsing).
 */
class ChronydFuzzTest {
    private static final String[] DIRECTIVES = {
        "makestep", "maxchange", "fallbackdrift", "smoothtime", "mailonchange", "allow", "deny", "cmdallow", "cmddeny",
        "bindaddress", "bindacqaddress", "leapsecmode", "broadcast", "tempcomp", "maxupdateskew", "corrtimeratio",
        "rtcsync", "manual", "keyfile", "logdir", "MakeStep", "ALLOW"};
    private static final String[] TOKENS = {
        "1", "0", "3", "-1", "1.5", "-0.5", ".5", "1.", "+4", "1e3", "1e-3", "1E3", "1e", "1e+", "0x10", "0x1p3", "0x",
        "inf", "-inf", "INF", "nan", "infinity", "x", "1x", "12abc", "-", "+", ".", "",
        "10/8", "1.2.3", "1.2", "10", "1.2.3.4", "1.2.3.4/24", "1.2.3.4/0", "255.255.255.255", "256", "1.2.3.256",
        "01.2.3.4", "1.2.3.4.5", "::", "::1", "::/0", "2001:db8::/32", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8", ":::",
        "all", "/8", "1.2.3.4/", "1.2.3.4/x", "1.2.3.4/-1", "1.2.3/24x",
        "slew", "step", "system", "ignore", "SLEW", "leaponly", "LeapOnly", "/tmp/f", "root@localhost"};

    @Test
    void acceptsAndPrintsExactlyWhatChronydDoes() throws Exception {
        Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/chronyd")));
        SplittableRandom rnd = new SplittableRandom(20261126);
        List<String> mismatches = new ArrayList<>();
        int accepted = 0;
        int hostnames = 0;
        int n = 400;
        for (int i = 0; i < n; i++) {
            StringBuilder line = new StringBuilder(DIRECTIVES[rnd.nextInt(DIRECTIVES.length)]);
            int words = rnd.nextInt(5);
            for (int k = 0; k < words; k++) {
                line.append(rnd.nextInt(4) == 0 ? "  \t" : " ").append(TOKENS[rnd.nextInt(TOKENS.length)]);
            }
            String l = line.toString();
            ChronydOracleTest.Run real = ChronydOracleTest.chronyd(List.of(l));
            boolean chronydOk = real.exitCode() == 0;
            String ours;
            boolean ourOk;
            try {
                ParseResult r = ConfigParser.parseLines(List.of(l), "command line");
                if (r.directives().get(0) instanceof Directive.Access a && a.subnet().isHostname()) {
                    hostnames++;
                    continue; // chronyd resolves names while parsing; we leave that to the daemon
                }
                ours = r.toConfigText();
                ourOk = true;
            } catch (ConfigException e) {
                ours = e.getMessage();
                ourOk = false;
            }
            if (chronydOk != ourOk || (chronydOk && !real.stdout().equals(ours))) {
                mismatches.add("[" + l + "] chronyd " + (chronydOk ? "accepts" : "rejects: " + real.stderr().strip())
                        + " / we " + (ourOk ? "accept" : "reject: " + ours));
            }
            if (chronydOk) {
                accepted++;
            }
        }
        assertEquals(List.of(), mismatches);
        org.assertj.core.api.Assertions.assertThat(hostnames).isLessThan(n / 10);
        // the generator must exercise both outcomes
        org.assertj.core.api.Assertions.assertThat(accepted).isBetween(n / 10, n - n / 10);
    }

    private static final String[] SOURCE_OPTIONS = {
        "iburst", "burst", "prefer", "noselect", "trust", "require", "xleave", "offline", "auto_offline", "copy", "nts",
        "minpoll", "maxpoll", "polltarget", "presend", "minstratum", "version", "key", "port", "filter", "minsamples",
        "maxsamples", "certset", "ntsport", "maxsources", "maxdelay", "maxdelayratio", "maxdelaydevratio",
        "maxdelayquant", "mindelay", "asymmetry", "offset", "IBURST", "MinPoll", "bogus"};
    /** Values inside every option's 4.8 range, so only syntax decides (4.3 had no range checks). */
    private static final String[] SOURCE_VALUES = {
        "1", "2", "3", "+2", "0.5", "1e-3", ".5", "x", "1x", "2iburst", "3prefer", "", "0x", "1e", "inf", "1.5.2"};

    @Test
    void sourceLinesAcceptedExactlyWhenChronydAcceptsThem() throws Exception {
        Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/chronyd")));
        SplittableRandom rnd = new SplittableRandom(4_8);
        List<String> mismatches = new ArrayList<>();
        int accepted = 0;
        int n = 300;
        for (int i = 0; i < n; i++) {
            StringBuilder line = new StringBuilder(new String[] {"server", "pool", "peer", "Server"}[rnd.nextInt(4)]);
            line.append(" 192.0.2.").append(rnd.nextInt(1, 255));
            int opts = rnd.nextInt(4);
            for (int k = 0; k < opts; k++) {
                line.append(' ').append(SOURCE_OPTIONS[rnd.nextInt(SOURCE_OPTIONS.length)]);
                if (rnd.nextInt(3) > 0) {
                    line.append(' ').append(SOURCE_VALUES[rnd.nextInt(SOURCE_VALUES.length)]);
                }
            }
            String l = line.toString().strip();
            ChronydOracleTest.Run real = ChronydOracleTest.chronyd(List.of(l));
            boolean chronydOk = real.exitCode() == 0;
            String ours;
            boolean ourOk;
            try {
                ours = ConfigParser.parseLines(List.of(l), "command line").toConfigText();
                ourOk = true;
            } catch (ConfigException e) {
                ours = e.getMessage();
                ourOk = false;
            }
            if (chronydOk != ourOk || (chronydOk && !real.stdout().equals(ours))) {
                mismatches.add("[" + l + "] chronyd " + (chronydOk ? "accepts" : "rejects") + " / we "
                        + (ourOk ? "accept" : "reject: " + ours));
            }
            if (chronydOk) {
                accepted++;
            }
        }
        assertEquals(List.of(), mismatches);
        org.assertj.core.api.Assertions.assertThat(accepted).isBetween(n / 10, n - n / 10);
    }
}
