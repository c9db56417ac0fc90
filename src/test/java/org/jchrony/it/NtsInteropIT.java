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
 * <li>our NTS client objects ({@code NtsKeClient}, {@code NtsClientSession}) against real chronyd's NTS
 *     server packet by packet: chronyd answers our requests and its answers verify; a request with
 *     a damaged cookie gets chronyd's NTS NAK, which we recognise; a request without authenticator
 *     gets nothing;</li>
 * <li>authselectmode: jchronyd's selection options (chronyc selectdata) equal chronyd's for the same
 *     sources in each mode.</li>
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

    @Test
    void ourClientAgainstRealChronydPacketByPacketIncludingItsNak(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        TestCa ca = TestCa.create(dir);
        int ntsPort = FreePorts.tcp();
        var group = new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.nio.NioIoHandler.newFactory());
        try (RealChronyd ref = RealChronyd.start(List.of("allow 127.0.0.1", "local stratum 3",
                "ntsserverkey " + ca.serverKey(), "ntsservercert " + ca.serverChain(), "ntsport " + ntsPort));
             java.net.DatagramSocket udp = new java.net.DatagramSocket()) {
            udp.setSoTimeout(2000);
            var ke = new org.jchrony.net.NtsKeClient(group, org.jchrony.nts.NtsTls.clientContext(List.of(ca.caCert()), true));
            var session = new org.jchrony.nts.NtsClientSession(new java.security.SecureRandom());
            var result = new java.util.concurrent.CompletableFuture<String>();
            ke.exchange(java.net.InetAddress.getLoopbackAddress(), "localhost", ntsPort, org.jchrony.nts.NtsClientSession.keRequest(),
                    r -> result.complete(switch (r) {
                        case org.jchrony.net.NtsKeClient.Result.Failure f -> f.reason();
                        case org.jchrony.net.NtsKeClient.Result.Response resp ->
                                session.acceptKeResponse(resp.records(), resp.exporter()).orElse("ok");
                    }));
            assertThat(result.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ok");
            assertThat(session.cookies()).isEqualTo(8);
            assertThat(session.ntpPort()).isEqualTo(ref.ntpPort());

            java.net.InetAddress lo = java.net.InetAddress.getLoopbackAddress();
            for (int i = 0; i < 3; i++) {
                byte[] req = new byte[1200];
                req[0] = 0x23;
                req[40] = (byte) (i + 1);
                int len = session.appendRequest(req, 48);
                udp.send(new java.net.DatagramPacket(req, len, lo, ref.ntpPort()));
                byte[] in = new byte[2048];
                var p = new java.net.DatagramPacket(in, in.length);
                udp.receive(p);
                assertThat(session.checkResponse(in, 0, p.getLength())).as("reply %d", i).isEqualTo(org.jchrony.nts.NtsClientSession.OK);
                assertThat(session.cookies()).isEqualTo(8);
            }
            // a damaged cookie: chronyd's NTS NAK
            byte[] req = new byte[1200];
            req[0] = 0x23;
            int len = session.appendRequest(req, 48);
            req[48 + 36 + 4 + 20] ^= 0x55;
            udp.send(new java.net.DatagramPacket(req, len, lo, ref.ntpPort()));
            byte[] in = new byte[2048];
            var p = new java.net.DatagramPacket(in, in.length);
            udp.receive(p);
            assertThat(new String(in, 12, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("NTSN");
            assertThat(session.checkResponse(in, 0, p.getLength())).isEqualTo(org.jchrony.nts.NtsClientSession.NAK);
            assertThat(session.ready()).isFalse();
            // no authenticator: silence
            byte[] bare = java.util.Arrays.copyOf(req, 48 + 36 + 4 + 100);
            bare[48 + 36 + 4 + 20] ^= 0x55;
            udp.send(new java.net.DatagramPacket(bare, bare.length, lo, ref.ntpPort()));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> udp.receive(new java.net.DatagramPacket(new byte[2048], 2048)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Name, Auth, COpts and EOpts of each line of chronyc -n selectdata. */
    static List<String> selectOptions(String selectdata) {
        List<String> out = new java.util.ArrayList<>();
        for (String line : selectdata.split("\n")) {
            String[] w = line.trim().split(" +");
            if (w.length > 6 && w[1].matches("127\\.0\\.0\\.[0-9]+")) out.add(w[1] + " " + w[2] + " " + w[3] + " " + w[4]);
        }
        return out;
    }

    @Test
    void authSelectModeGivesChronydsSelectionOptions(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        Path keyFile = dir.resolve("chrony.keys");
        java.nio.file.Files.write(keyFile, List.of("1 SHA1 ASCII:key-one-sha1"));
        try (RealChronyd srv = RealChronyd.start(List.of("allow 127.0.0.0/8", "local stratum 3", "keyfile " + keyFile))) {
            for (String mode : List.of("mix", "prefer", "require", "ignore")) {
                List<String> lines = List.of("keyfile " + keyFile, "authselectmode " + mode,
                        "server 127.0.0.1 port " + srv.ntpPort() + " key 1 minpoll -2 maxpoll -2 iburst",
                        "server 127.0.0.2 port " + srv.ntpPort() + " minpoll -2 maxpoll -2 iburst",
                        "server 127.0.0.3 port " + srv.ntpPort() + " minpoll -2 maxpoll -2 iburst noselect");
                try (RealChronyd c = RealChronyd.start(lines); RunningJchronyd j = RunningJchronyd.start(lines)) {
                    Thread.sleep(1500);
                    String theirs = c.chronyc("-n", "selectdata");
                    String ours = j.chronyc("-n", "selectdata");
                    assertThat(selectOptions(theirs)).as(mode + "\n" + theirs).hasSize(3);
                    assertThat(selectOptions(ours)).as(mode + "\n" + ours + "\n" + theirs).isEqualTo(selectOptions(theirs));
                }
            }
        }
    }

    @Test
    void clientKeysAndCookiesSurviveARestartWithNtsdumpdir(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        TestCa ca = TestCa.create(dir);
        int ntsPort = FreePorts.tcp();
        Path dump = java.nio.file.Files.createDirectory(dir.resolve("dump"));
        List<String> client = List.of("ntstrustedcerts " + ca.caCert(), "nosystemcert", "ntsdumpdir " + dump,
                "server localhost nts ntsport " + ntsPort + " minpoll -2 maxpoll -2 iburst");
        try (RealChronyd ref = RealChronyd.start(List.of("allow 127.0.0.1", "local stratum 3",
                "ntsserverkey " + ca.serverKey(), "ntsservercert " + ca.serverChain(), "ntsport " + ntsPort))) {
            try (RunningJchronyd j = RunningJchronyd.start(client)) {
                String ntpdata = AuthInteropIT.await(() -> j.chronyc("-n", "ntpdata"), t -> GOOD.matcher(t).find(), 25);
                assertThat(ntpdata).as(j.log()).containsPattern(GOOD);
            }
            try (var files = java.nio.file.Files.list(dump)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly("127.0.0.1.nts"); // chronyd's name: the NTS-KE server's address
            }
            try (RunningJchronyd j = RunningJchronyd.start(client)) {
                String ntpdata = AuthInteropIT.await(() -> j.chronyc("-n", "ntpdata"), t -> GOOD.matcher(t).find(), 25);
                assertThat(ntpdata).as(j.log()).contains("Authenticated   : Yes").containsPattern(GOOD);
                // no second NTS-KE: the restored session is number 1, done before the restart
                assertThat(j.chronyc("-n", "authdata")).containsPattern("127\\.0\\.0\\.1 +NTS +1 +15 +256 ");
            }
            assertThat(ref.chronyc("serverstats")).containsPattern("NTS-KE connections accepted *: *1\n");
            // and Debian's chronyd started with the same configuration uses what jchronyd saved
            try (RealChronyd c = RealChronyd.start(client)) {
                String ntpdata = AuthInteropIT.await(() -> c.chronyc("-n", "ntpdata"), t -> GOOD.matcher(t).find(), 25);
                assertThat(ntpdata).as(c.log()).contains("Authenticated   : Yes").containsPattern(GOOD);
            }
            assertThat(ref.chronyc("serverstats")).containsPattern("NTS-KE connections accepted *: *1\n");
        }
    }

    @Test
    void certsetChoosesTheTrustedCertificates(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        TestCa ca = TestCa.create(dir);
        int ntsPort = FreePorts.tcp();
        try (RealChronyd ref = RealChronyd.start(List.of("allow 127.0.0.1", "local stratum 3",
                "ntsserverkey " + ca.serverKey(), "ntsservercert " + ca.serverChain(), "ntsport " + ntsPort))) {
            // the test CA is in set 1: a source using set 1 trusts the server
            try (RunningJchronyd j = RunningJchronyd.start(List.of("ntstrustedcerts 1 " + ca.caCert(), "nosystemcert",
                    "server localhost nts ntsport " + ntsPort + " certset 1 minpoll -2 maxpoll -2 iburst"))) {
                String ntpdata = AuthInteropIT.await(() -> j.chronyc("-n", "ntpdata"), t -> GOOD.matcher(t).find(), 25);
                assertThat(ntpdata).as(j.log()).contains("Authenticated   : Yes").containsPattern(GOOD);
            }
            // a source using the default set 0 (no system CAs) does not, and sends no NTP request
            try (RunningJchronyd j = RunningJchronyd.start(List.of("ntstrustedcerts 1 " + ca.caCert(), "nosystemcert",
                    "server localhost nts ntsport " + ntsPort + " minpoll -2 maxpoll -2 iburst"))) {
                String log = AuthInteropIT.await(j::log, t -> t.contains("NTS-KE with localhost"), 15);
                assertThat(log).contains("NTS-KE with localhost (127.0.0.1:" + ntsPort + ") failed");
                assertThat(j.chronyc("-n", "authdata")).containsPattern("127\\.0\\.0\\.1 +NTS +0 +15 +256 +- +[1-9]");
            }
        }
    }

    @Test
    void poolMembersEachGetTheirOwnNtsSession(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        TestCa ca = TestCa.create(dir);
        int ntsPort = FreePorts.tcp();
        try (RealChronyd ref = RealChronyd.start(List.of("allow 127.0.0.1", "local stratum 3",
                "ntsserverkey " + ca.serverKey(), "ntsservercert " + ca.serverChain(), "ntsport " + ntsPort));
             RunningJchronyd j = RunningJchronyd.start(List.of("ntstrustedcerts " + ca.caCert(), "nosystemcert",
                     "pool localhost nts ntsport " + ntsPort + " maxsources 1 minpoll -2 maxpoll -2 iburst"))) {
            String ntpdata = AuthInteropIT.await(() -> j.chronyc("-n", "ntpdata"), t -> GOOD.matcher(t).find(), 25);
            assertThat(ntpdata).as(j.log()).contains("Authenticated   : Yes").containsPattern(GOOD);
            assertThat(j.chronyc("-n", "authdata")).containsPattern("(127\\.0\\.0\\.1|::1) +NTS +1 +15 +256 ");
        }
    }

    @Test
    void ntpGoesToTheServerNamedByTheNtsKeServer(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        TestCa ca = TestCa.create(dir);
        int ntsPort = FreePorts.tcp();
        // chronyd's NTS-KE answers with an NTPv4 Server record naming 127.0.0.2 (its NTP socket is a wildcard)
        try (RealChronyd ref = RealChronyd.start(List.of("allow 127.0.0.0/8", "local stratum 3", "ntsntpserver 127.0.0.2",
                "ntsserverkey " + ca.serverKey(), "ntsservercert " + ca.serverChain(), "ntsport " + ntsPort));
             RunningJchronyd j = RunningJchronyd.start(List.of("ntstrustedcerts " + ca.caCert(), "nosystemcert",
                     "server localhost nts ntsport " + ntsPort + " minpoll -2 maxpoll -2 iburst"))) {
            String ntpdata = AuthInteropIT.await(() -> j.chronyc("-n", "ntpdata"), t -> GOOD.matcher(t).find(), 25);
            assertThat(ntpdata).as(j.log()).contains("Authenticated   : Yes").containsPattern(GOOD)
                    .contains("Remote port     : " + ref.ntpPort());
            assertThat(j.log()).doesNotContain("Could not resolve");
        }
    }
}
