package org.jchrony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jchrony.server.OracleSupport.Entry;
import org.jchrony.server.OracleSupport.Probe;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * Sends the request corpus (src/test/resources/packets/ntp-requests.hex) to Debian's chronyd 4.3
 * and to our {@link Responder} configured the same way, and compares the answers field by
 * field (timestamps by their relation to the request and the clock). Skipped without chrony.
 */
class ResponderOracleTest {

    /** Source address of corpus entry i: all from 127.0.0.1, or each from its own 127.0.1.x / 127.0.2.x. */
    private static String source(int i, boolean distinct) {
        return distinct ? "127.0." + (1 + i / 250) + "." + (1 + i % 250) : "127.0.0.1";
    }

    private static Map<String, String> runChronyd(List<String> conf, List<Entry> corpus) throws Exception {
        return runChronyd(conf, corpus, false);
    }

    private static Map<String, String> runChronyd(List<String> conf, List<Entry> corpus, boolean distinct) throws Exception {
        try (RealChronyd c = RealChronyd.start(conf)) {
            List<Probe> probes = new ArrayList<>();
            for (int i = 0; i < corpus.size(); i++) probes.add(new Probe(source(i, distinct), corpus.get(i).bytes()));
            long now = OracleSupport.nowNanos();
            List<byte[]> replies = OracleSupport.probeAll(c.ntpPort(), probes, 400);
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < corpus.size(); i++) {
                out.put(corpus.get(i).name(), OracleSupport.describe(replies.get(i), corpus.get(i).bytes(), now));
            }
            return out;
        }
    }

    private static Map<String, String> runOurs(ServerSnapshot snap, AccessList acl, ClientLog log, List<Entry> corpus) {
        return runOurs(snap, acl, log, corpus, false);
    }

    private static Map<String, String> runOurs(ServerSnapshot snap, AccessList acl, ClientLog log, List<Entry> corpus,
            boolean distinct) {
        Responder r = new Responder(new ServerSnapshotHolder(snap), OracleSupport::nowNanos, acl, log, null,
                new SplittableRandom(7));
        PeerAddress peer = new PeerAddress();
        Map<String, String> out = new LinkedHashMap<>();
        byte[] reply = new byte[2048];
        for (int i = 0; i < corpus.size(); i++) {
            Entry e = corpus.get(i);
            peer.setInet4(distinct ? 0x7f000000 | (1 + i / 250) << 8 | (1 + i % 250) : 0x7f000001, 40000);
            long now = OracleSupport.nowNanos();
            int n = r.handle(e.bytes(), e.bytes().length, peer, now, reply);
            out.put(e.name(), OracleSupport.describe(n == 0 ? null : java.util.Arrays.copyOf(reply, n), e.bytes(), now));
        }
        return out;
    }

    private static int chronydPrecision() throws Exception {
        try (RealChronyd c = RealChronyd.start(List.of("local stratum 10", "allow 127.0.0.1"));
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            byte[] req = OracleSupport.corpus().stream().filter(e -> e.name().equals("v4-mode3")).findFirst().orElseThrow().bytes();
            byte[] reply = OracleSupport.exchange(s, c.ntpPort(), req, 1000);
            assertThat(reply).isNotNull();
            return reply[3];
        }
    }

    private static AccessList allow127() {
        AccessList acl = new AccessList();
        acl.add(true, false, new byte[] {127, 0, 0, 0}, 8);
        return acl;
    }

    @Test
    void corpusAnsweredLikeChronydWithLocalStratum10() throws Exception {
        RealChronyd.assumeInstalled();
        List<Entry> corpus = OracleSupport.corpus();
        Map<String, String> chronyd = runChronyd(List.of("local stratum 10", "allow 127.0.0.0/8"), corpus);
        ClientLog log = ClientLog.unlimited(new SplittableRandom(1));
        Map<String, String> ours = runOurs(ServerSnapshot.localStratum(10, chronydPrecision()), allow127(), log, corpus);
        assertThat(ours).containsExactlyEntriesOf(chronyd);
        // sanity: the corpus has both answered and ignored requests
        assertThat(chronyd.values()).filteredOn(v -> v.equals("no reply")).hasSizeGreaterThan(20);
        assertThat(chronyd.values()).filteredOn(v -> !v.equals("no reply")).hasSizeGreaterThan(20);
    }

    @Test
    void corpusAnsweredLikeUnsynchronisedChronydWithoutLocal() throws Exception {
        RealChronyd.assumeInstalled();
        List<Entry> corpus = OracleSupport.corpus();
        Map<String, String> chronyd = runChronyd(List.of("allow 127.0.0.0/8"), corpus);
        ClientLog log = ClientLog.unlimited(new SplittableRandom(1));
        Map<String, String> ours = runOurs(ServerSnapshot.unsynchronised(chronydPrecision()), allow127(), log, corpus);
        assertThat(ours).containsExactlyEntriesOf(chronyd);
    }

    @Test
    void corpusAnsweredLikeChronydWithRatelimit() throws Exception {
        RealChronyd.assumeInstalled();
        // one request per source address, so only the advertised poll (>= interval) is affected
        List<Entry> corpus = OracleSupport.corpus();
        Map<String, String> chronyd = runChronyd(List.of("local stratum 10", "allow 127.0.0.0/8",
                "ratelimit interval 4 burst 2"), corpus, true);
        ClientLog log = new ClientLog(new RateLimit(4, 2, 2, 0), null, null, false, ClientLog.DEFAULT_LIMIT_BYTES,
                new SplittableRandom(1));
        Map<String, String> ours = runOurs(ServerSnapshot.localStratum(10, chronydPrecision()), allow127(), log, corpus, true);
        assertThat(ours).containsExactlyEntriesOf(chronyd);
        assertThat(chronyd.get("poll0")).contains("poll=4");
        assertThat(chronyd.get("poll10")).contains("poll=10");
    }

    @Test
    void noAllowMeansNoAnswers() throws Exception {
        RealChronyd.assumeInstalled();
        List<Entry> corpus = OracleSupport.corpus().subList(0, 40);
        Map<String, String> chronyd = runChronyd(List.of("local stratum 10"), corpus);
        Map<String, String> ours = runOurs(ServerSnapshot.localStratum(10, -26), new AccessList(),
                ClientLog.unlimited(new SplittableRandom(1)), corpus);
        assertThat(ours).containsExactlyEntriesOf(chronyd);
        assertThat(ours.values()).containsOnly("no reply");
    }
}
