package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jchrony.testutil.FreePorts;
import org.jchrony.testutil.RealChronyd;
import org.jchrony.testutil.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching between Debian's chronyd 4.3 and bin/jchronyd with the same {@code ntsdumpdir} keeps
 * the NTS state, as restarting chronyd does:
 * <ul>
 * <li>server: a real chronyd client holds cookies from a real chronyd server; the server is
 *     replaced by jchronyd (same ports, same ntsdumpdir/ntskeys), then by chronyd again; the client
 *     keeps getting authenticated answers and neither server sees an NTS-KE connection;</li>
 * <li>client: a real chronyd with {@code pool localhost nts} saves its cookies
 *     (ntsdumpdir/127.0.0.1.nts); jchronyd started with the same configuration uses them, saves
 *     them back at exit, and chronyd started again uses those: the NTS server sees one NTS-KE in
 *     all.</li>
 * </ul>
 */
class NtsDumpDirIT {
    private static final Pattern GOOD_RX = Pattern.compile("Total good RX   : ([0-9]+)\n");
    private static final Pattern KE_ACCEPTED = Pattern.compile("NTS-KE connections accepted *: *([0-9]+)");

    static int number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Test
    void serverKeysSurviveChronydToJchronydAndBack(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        TestCa ca = TestCa.create(dir);
        Path dump = Files.createDirectory(dir.resolve("ntsdump"));
        int ntpPort = FreePorts.udp();
        int ntsPort = FreePorts.tcp();
        List<String> server = List.of("port " + ntpPort, "allow 127.0.0.1", "local stratum 3", "ntsserverkey " + ca.serverKey(),
                "ntsservercert " + ca.serverChain(), "ntsport " + ntsPort, "ntsdumpdir " + dump);
        RealChronyd first = RealChronyd.start(server);
        try (RealChronyd client = RealChronyd.start(List.of("ntstrustedcerts " + ca.caCert(),
                "server localhost nts ntsport " + ntsPort + " minpoll 1 maxpoll 1 iburst"))) {
            String ntpdata;
            try {
                ntpdata = AuthInteropIT.await(() -> client.chronyc("-n", "ntpdata"), t -> number(GOOD_RX, t) >= 3, 25);
                assertThat(ntpdata).as(client.log() + "\n----\n" + first.log()).contains("Authenticated   : Yes");
                assertThat(number(KE_ACCEPTED, first.chronyc("serverstats"))).isEqualTo(1);
            } finally {
                first.close(); // SIGTERM: chronyd writes ntskeys
            }
            assertThat(Files.readString(dump.resolve("ntskeys"))).startsWith("NKS0\n15 ");
            double age = Double.parseDouble(Files.readString(dump.resolve("ntskeys")).split("\n")[1].split(" ")[1]);
            int before = number(GOOD_RX, client.chronyc("-n", "ntpdata"));
            try (RunningJchronyd j = RunningJchronyd.start(server)) {
                String after = AuthInteropIT.await(() -> client.chronyc("-n", "ntpdata"), t -> number(GOOD_RX, t) >= before + 3, 30);
                assertThat(number(GOOD_RX, after)).as(j.log() + "\n----\n" + client.log()).isGreaterThanOrEqualTo(before + 3);
                String stats = j.chronyc("serverstats");
                assertThat(number(KE_ACCEPTED, stats)).as(stats).isZero();
                assertThat(stats).containsPattern("Authenticated NTP packets *: *[1-9]");
            }
            // written at exit as chronyd does: same keys, the time since the last rotation kept counting
            String[] lines = Files.readString(dump.resolve("ntskeys")).split("\n");
            assertThat(lines[0]).isEqualTo("NKS0");
            assertThat(Double.parseDouble(lines[1].split(" ")[1])).isGreaterThan(age + 1);
            int middle = number(GOOD_RX, client.chronyc("-n", "ntpdata"));
            try (RealChronyd again = RealChronyd.start(server)) {
                String after = AuthInteropIT.await(() -> client.chronyc("-n", "ntpdata"), t -> number(GOOD_RX, t) >= middle + 3, 30);
                assertThat(number(GOOD_RX, after)).as(again.log() + "\n----\n" + client.log()).isGreaterThanOrEqualTo(middle + 3);
                assertThat(number(KE_ACCEPTED, again.chronyc("serverstats"))).isZero();
            }
            // the client never needed a new NTS-KE (Atmp 0, NAK 0)
            assertThat(client.chronyc("-n", "authdata")).containsPattern("127\\.0\\.0\\.1 +NTS +1 +15 +256 +[0-9]+ +0 +0 ");
        }
    }

    @Test
    void poolCookiesSurviveChronydToJchronydAndBack(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        TestCa ca = TestCa.create(dir);
        Path dump = Files.createDirectory(dir.resolve("ntsdump"));
        int ntsPort = FreePorts.tcp();
        try (RealChronyd server = RealChronyd.start(List.of("allow 127.0.0.1", "local stratum 3", "ntsserverkey " + ca.serverKey(),
                "ntsservercert " + ca.serverChain(), "ntsport " + ntsPort))) {
            List<String> client = List.of("ntstrustedcerts " + ca.caCert(), "nosystemcert", "ntsdumpdir " + dump,
                    "pool localhost nts ntsport " + ntsPort + " minpoll -1 maxpoll -1 iburst maxsources 1");
            try (RealChronyd c = RealChronyd.start(client)) {
                String ntpdata = AuthInteropIT.await(() -> c.chronyc("-n", "ntpdata"), t -> number(GOOD_RX, t) >= 3, 25);
                assertThat(ntpdata).as(c.log()).contains("Authenticated   : Yes");
            }
            String chronydFile = Files.readString(dump.resolve("127.0.0.1.nts"));
            assertThat(chronydFile).startsWith("NNC0\nlocalhost\n");
            int ke = number(KE_ACCEPTED, server.chronyc("serverstats"));
            assertThat(ke).isPositive();

            try (RunningJchronyd j = RunningJchronyd.start(client)) {
                String ntpdata = AuthInteropIT.await(() -> j.chronyc("-n", "ntpdata"), t -> number(GOOD_RX, t) >= 3, 30);
                assertThat(ntpdata).as(j.log()).contains("Authenticated   : Yes");
                assertThat(number(KE_ACCEPTED, server.chronyc("serverstats"))).isEqualTo(ke);
            }
            String ours = Files.readString(dump.resolve("127.0.0.1.nts"));
            assertThat(ours).startsWith("NNC0\nlocalhost\n").isNotEqualTo(chronydFile);
            // the same keys (line 5), fresh cookies
            assertThat(ours.split("\n")[4]).isEqualTo(chronydFile.split("\n")[4]);

            try (RealChronyd c = RealChronyd.start(client)) {
                String ntpdata = AuthInteropIT.await(() -> c.chronyc("-n", "ntpdata"), t -> number(GOOD_RX, t) >= 3, 25);
                assertThat(ntpdata).as(c.log()).contains("Authenticated   : Yes");
                assertThat(number(KE_ACCEPTED, server.chronyc("serverstats"))).isEqualTo(ke);
            }
        }
    }
}
