package org.jchrony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * {@code ratelimit interval 1 burst 4 leak 2}: a burst of requests from one address against
 * Debian's chronyd and against our Responder/ClientLog fed with the same request times. Both must
 * answer the burst, then only a leaked share, advertise poll = max(request poll, interval), and
 * count hits and drops (chronyc serverstats / clients) consistently. Skipped without chrony.
 */
class RateLimitOracleTest {
    private static final int REQUESTS = 40;
    private static final int BURST = 4;

    @Test
    void burstThenLeakLikeChronyd() throws Exception {
        RealChronyd.assumeInstalled();
        byte[] request = OracleSupport.corpus().stream().filter(e -> e.name().equals("poll0")).findFirst().orElseThrow().bytes();
        List<Boolean> theirs = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<Integer> theirPolls = new ArrayList<>();
        String serverstats;
        String clients;
        try (RealChronyd c = RealChronyd.start(List.of("local stratum 10", "allow 127.0.0.0/8",
                "ratelimit interval 1 burst 4 leak 2"));
                DatagramSocket warm = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.10"), 0));
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.9"), 0))) {
            // a freshly started chronyd answers its first request slowly: warm it up from another address
            assertThat(OracleSupport.exchange(warm, c.ntpPort(), request, 2000)).isNotNull();
            // send the burst without waiting (each request has its own transmit timestamp), then
            // match the replies by origin timestamp, so slow replies are not mistaken for drops
            InetAddress server = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < REQUESTS; i++) {
                byte[] req = numbered(request, i);
                times.add(OracleSupport.nowNanos());
                s.send(new java.net.DatagramPacket(req, req.length, server, c.ntpPort()));
                Thread.sleep(2);
            }
            boolean[] answered = new boolean[REQUESTS];
            int[] polls = new int[REQUESTS];
            s.setSoTimeout(300);
            byte[] buf = new byte[1024];
            while (true) {
                java.net.DatagramPacket dp = new java.net.DatagramPacket(buf, buf.length);
                try {
                    s.receive(dp);
                } catch (java.net.SocketTimeoutException e) {
                    break;
                }
                int i = (int) (OracleSupport.getLong(buf, 24) - OracleSupport.getLong(request, 40));
                if (i >= 0 && i < REQUESTS) {
                    answered[i] = true;
                    polls[i] = buf[2];
                }
            }
            for (int i = 0; i < REQUESTS; i++) {
                theirs.add(answered[i]);
                if (answered[i]) theirPolls.add(polls[i]);
            }
            serverstats = c.chronyc("serverstats");
            clients = c.chronyc("-n", "clients");
        }

        ClientLog log = new ClientLog(new RateLimit(1, 4, 2, 0), null, null, false, ClientLog.DEFAULT_LIMIT_BYTES,
                new SplittableRandom(3));
        AccessList acl = new AccessList();
        acl.add(true, false, new byte[] {127, 0, 0, 0}, 8);
        Responder r = new Responder(new ServerSnapshotHolder(ServerSnapshot.localStratum(10, -26)),
                OracleSupport::nowNanos, acl, log, null, new SplittableRandom(5));
        PeerAddress peer = new PeerAddress();
        peer.setInet4(0x7f000009, 40000);
        List<Boolean> ours = new ArrayList<>();
        List<Integer> ourPolls = new ArrayList<>();
        byte[] out = new byte[1024];
        for (int i = 0; i < REQUESTS; i++) {
            byte[] req = numbered(request, i);
            int n = r.handle(req, req.length, peer, times.get(i), out);
            ours.add(n > 0);
            if (n > 0) ourPolls.add((int) out[2]);
        }

        for (List<Boolean> answers : List.of(theirs, ours)) {
            assertThat(answers.subList(0, BURST)).containsOnly(true);
            long answered = answers.stream().filter(a -> a).count();
            // the leak answers about 1 in 4 of the rest; bounds hold with overwhelming probability
            assertThat(answered).isBetween((long) BURST + 1, (long) BURST + 22);
        }
        assertThat(ourPolls).containsOnly(1);
        assertThat(theirPolls).containsOnly(1);

        long theirAnswered = theirs.stream().filter(a -> a).count();
        long ourAnswered = ours.stream().filter(a -> a).count();
        assertThat(number(serverstats, "NTP packets received")).isEqualTo(REQUESTS + 1); // + warm-up
        assertThat(number(serverstats, "NTP packets dropped")).isEqualTo(REQUESTS - theirAnswered);
        ServerStats stats = log.serverStats();
        assertThat(stats.ntpHits()).isEqualTo(REQUESTS);
        assertThat(stats.ntpDrops()).isEqualTo(REQUESTS - ourAnswered);

        // chronyc clients: "127.0.0.9  <hits> <drops> <int> <intl> <last> ..."
        Matcher m = Pattern.compile("127\\.0\\.0\\.9\\s+(\\d+)\\s+(\\d+)\\s+(-?\\d+|-)\\s+(-?\\d+|-)\\s+(\\d+)").matcher(clients);
        assertThat(m.find()).as(clients).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(REQUESTS);
        assertThat(Long.parseLong(m.group(2))).isEqualTo(REQUESTS - theirAnswered);
        ClientAccessReport row = null;
        for (int i = 0; i < log.tableSize() && row == null; i++) row = log.report(i, false, 0, times.getLast());
        assertThat(row).isNotNull();
        assertThat(row.address()).containsExactly(127, 0, 0, 9);
        assertThat(row.ntpHits()).isEqualTo(REQUESTS);
        assertThat(row.ntpDrops()).isEqualTo(REQUESTS - ourAnswered);
        int theirInterval = Integer.parseInt(m.group(3));
        assertThat(row.ntpIntervalLog2()).isBetween(theirInterval - 1, theirInterval + 1);
        assertThat(row.lastNtpHitAgoSeconds()).isZero();
    }

    /** The request with its transmit timestamp advanced by {@code i} (to match replies to requests). */
    private static byte[] numbered(byte[] request, int i) {
        byte[] r = request.clone();
        long tx = OracleSupport.getLong(request, 40) + i;
        for (int k = 0; k < 8; k++) r[40 + k] = (byte) (tx >>> (56 - 8 * k));
        return r;
    }

    private static long number(String text, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\s*:\\s*(\\d+)").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return Long.parseLong(m.group(1));
    }
}
