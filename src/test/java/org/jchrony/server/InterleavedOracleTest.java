package org.jchrony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jchrony.ntp.NtpTimestamp;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * The server side of the interleaved mode: the request sequence of an {@code xleave} client
 * (origin = one of the server's receive timestamps) against Debian's chronyd and our
 * Responder. Which responses are interleaved, what their origin is and which transmit time they
 * carry must agree, and so must serverstats' interleaved/held counters. Skipped without chrony.
 */
class InterleavedOracleTest {

    /** Request i: origin = rx of response {@code originFrom[i]} (-1: zero), receive/transmit distinct. */
    private static final int[] ORIGIN_FROM = {-1, 0, 1, 1, 2, -1, 5, 6, 6};

    private static byte[] request(int i, List<byte[]> replies) {
        byte[] r = new byte[48];
        r[0] = 4 << 3 | 3;
        r[2] = 6;
        long origin = ORIGIN_FROM[i] < 0 ? 0 : OracleSupport.getLong(replies.get(ORIGIN_FROM[i]), 32);
        long rx = ORIGIN_FROM[i] < 0 ? 0 : 0xE0D1C2B300000000L + i * 0x1000L;
        long tx = 0xE0D1C2B400000000L + i * 0x1000L;
        for (int k = 0; k < 8; k++) {
            r[24 + k] = (byte) (origin >>> (56 - 8 * k));
            r[32 + k] = (byte) (rx >>> (56 - 8 * k));
            r[40 + k] = (byte) (tx >>> (56 - 8 * k));
        }
        return r;
    }

    private static List<String> run(Function<byte[], byte[]> exchange) {
        List<byte[]> requests = new ArrayList<>();
        List<byte[]> replies = new ArrayList<>();
        exchange.apply(request(0, replies)); // warm-up: a freshly started chronyd answers its first requests slowly
        for (int i = 0; i < ORIGIN_FROM.length; i++) {
            byte[] req = request(i, replies);
            requests.add(req);
            byte[] reply = exchange.apply(req);
            assertThat(reply).as("reply %d", i).isNotNull();
            replies.add(reply);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            byte[] req = requests.get(i);
            byte[] rep = replies.get(i);
            long origin = OracleSupport.getLong(rep, 24);
            long rx = OracleSupport.getLong(rep, 32);
            long tx = OracleSupport.getLong(rep, 40);
            String kind = origin == OracleSupport.getLong(req, 40) ? "basic"
                    : origin == OracleSupport.getLong(req, 32) ? "interleaved" : "origin?";
            String txRel;
            if (kind.equals("interleaved")) {
                // the transmit time of the response whose receive timestamp the request named
                byte[] earlier = replies.get(ORIGIN_FROM[i]);
                double d = NtpTimestamp.diffSeconds(OracleSupport.getLong(earlier, 32), tx);
                boolean beforeOwnRx = NtpTimestamp.diffSeconds(tx, rx) > 0;
                txRel = d >= -1e-6 && d < 0.1 && beforeOwnRx ? "tx=sent time of reply " + ORIGIN_FROM[i] : "tx? " + d;
            } else {
                double d = NtpTimestamp.diffSeconds(rx, tx);
                txRel = d >= -1e-6 && d < 0.1 ? "tx=now" : "tx? " + d;
            }
            out.add(i + " " + kind + " " + txRel + " rxLsb=" + (rx & 1));
        }
        return out;
    }

    @Test
    void interleavedResponsesLikeChronyd() throws Exception {
        RealChronyd.assumeInstalled();
        List<String> theirs;
        String serverstats;
        try (RealChronyd c = RealChronyd.start(List.of("local stratum 10", "allow 127.0.0.0/8"));
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            theirs = run(req -> {
                try {
                    return OracleSupport.exchange(s, c.ntpPort(), req, 1000);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            serverstats = c.chronyc("serverstats");
        }
        AccessList acl = new AccessList();
        acl.add(true, false, new byte[] {127, 0, 0, 0}, 8);
        ClientLog log = ClientLog.unlimited(new SplittableRandom(1));
        Responder r = new Responder(new ServerSnapshotHolder(ServerSnapshot.localStratum(10, -26)),
                OracleSupport::nowNanos, acl, log, null, new SplittableRandom(2));
        PeerAddress peer = new PeerAddress();
        peer.setInet4(0x7f000001, 40000);
        List<String> ours = run(req -> {
            byte[] out = new byte[1024];
            int n = r.handle(req, req.length, peer, OracleSupport.nowNanos(), out);
            if (n > 0) r.onTransmitted(out, n, OracleSupport.nowNanos()); // as the socket layer reports kernel TX stamps
            return n == 0 ? null : java.util.Arrays.copyOf(out, n);
        });
        assertThat(ours).containsExactlyElementsOf(theirs);
        assertThat(theirs).anyMatch(l -> l.contains("interleaved"));
        ServerStats st = log.serverStats();
        assertThat(st.ntpInterleavedHits()).isEqualTo(number(serverstats, "Interleaved NTP packets"));
        assertThat(st.ntpTimestamps()).isEqualTo(number(serverstats, "NTP timestamps held"));
        assertThat(r.counters().repliedInterleaved()).isEqualTo(theirs.stream().filter(l -> l.contains("interleaved")).count());
    }

    private static long number(String text, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\s*:\\s*(\\d+)").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return Long.parseLong(m.group(1));
    }
}
