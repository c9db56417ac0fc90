package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.jchrony.testutil.FreePorts;
import org.jchrony.testutil.RealChronyd;
import org.jchrony.testutil.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NTS (RFC 8915) against Debian's chronyd 4.3 (+NTS) on loopback, with a CA and server
 * certificate made at test time ({@link TestCa}):
 * <ul>
 * <li>real chronyd, {@code server localhost nts ntsport P} trusting the test CA, follows bin/jchronyd
 *     serving NTS ({@code ntsserverkey}/{@code ntsservercert}): NTS-KE, then authenticated NTP;</li>
 * <li>bin/jchronyd, {@code server localhost nts ntsport P} with {@code ntstrustedcerts}, follows real
 *     chronyd serving NTS; its chronyc authdata shows the NTS session as chronyd's does;</li>
 * </ul>
 */
class NtsInteropIT {
    static final Pattern GOOD = Pattern.compile("Total good RX   : ([3-9]|[1-9][0-9]+)\n");

    @Test
    void realChronydFollowsJchronydOverNts(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        TestCa ca = TestCa.create(dir);
        int ntsPort = FreePorts.tcp();
        try (RunningJchronyd j = RunningJchronyd.start(List.of("allow 127.0.0.1", "local stratum 8",
                "ntsserverkey " + ca.serverKey(), "ntsservercert " + ca.serverChain(), "ntsport " + ntsPort,
                "ntsdumpdir " + dir));
             RealChronyd c = RealChronyd.start(List.of("ntstrustedcerts " + ca.caCert(),
                     "server localhost nts ntsport " + ntsPort + " minpoll -2 maxpoll -2 iburst"))) {
            String ntpdata = AuthInteropIT.await(() -> c.chronyc("-n", "ntpdata"), t -> GOOD.matcher(t).find(), 25);
            assertThat(ntpdata).as(j.log() + "\n----\n" + c.log()).contains("Authenticated   : Yes").containsPattern(GOOD);
            String authdata = c.chronyc("-n", "authdata");
            assertThat(authdata).as(authdata).containsPattern("127\\.0\\.0\\.1 +NTS +1 +15 +256 ");
            assertThat(j.chronyc("serverstats")).containsPattern("NTS-KE connections accepted *: *1")
                    .containsPattern("Authenticated NTP packets *: *[1-9]");
        }
    }

    @Test
    void jchronydFollowsRealChronydOverNts(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        TestCa ca = TestCa.create(dir);
        int ntsPort = FreePorts.tcp();
        try (RealChronyd ref = RealChronyd.start(List.of("allow 127.0.0.1", "local stratum 3",
                "ntsserverkey " + ca.serverKey(), "ntsservercert " + ca.serverChain(), "ntsport " + ntsPort,
                "ntsdumpdir " + dir));
             RunningJchronyd j = RunningJchronyd.start(List.of("ntstrustedcerts " + ca.caCert(), "nosystemcert",
                     "server localhost nts ntsport " + ntsPort + " minpoll -2 maxpoll -2 iburst"))) {
            String ntpdata = AuthInteropIT.await(() -> j.chronyc("-n", "ntpdata"), t -> GOOD.matcher(t).find(), 25);
            assertThat(ntpdata).as(j.log() + "\n----\n" + ref.log()).contains("Authenticated   : Yes").containsPattern(GOOD)
                    .contains("NTP tests       : 111 111 1111");
            String authdata = j.chronyc("-n", "authdata");
            // Name/IP, Mode, KeyID, Type, KLen, Last, Atmp, NAK, Cook, CLen
            assertThat(authdata).as(authdata).containsPattern("127\\.0\\.0\\.1 +NTS +1 +15 +256 +[0-9]+ +0 +0 +[1-8] +[0-9]+");
            assertThat(ref.chronyc("serverstats")).containsPattern("NTS-KE connections accepted *: *1")
                    .containsPattern("Authenticated NTP packets *: *[1-9]");
            assertThat(j.chronyc("-n", "sources")).containsPattern("\\^[*+] 127\\.0\\.0\\.1");
        }
    }
}
