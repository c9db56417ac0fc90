package org.jchrony.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGeneratorFactory;
import org.jchrony.clock.NullClockDriver;
import org.jchrony.discipline.LocalClock;
import org.jchrony.ntp.NtpPacket;
import org.jchrony.ntp.NtpTimestamp;
import org.jchrony.sim.SimScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NtpSourceTest {
    static final long T0 = 1_790_000_000_000_000_000L;

    SimScheduler sched;
    NullClockDriver driver;
    List<NtpPacket> sent;
    List<Long> sentAt;
    List<String> events;
    SourceAddress addr;

    @BeforeEach
    void setUp() throws Exception {
        sched = new SimScheduler(T0);
        driver = new NullClockDriver(sched::now);
        sent = new ArrayList<>();
        sentAt = new ArrayList<>();
        events = new ArrayList<>();
        addr = new SourceAddress(InetAddress.getByName("192.0.2.1"), 123);
    }

    NtpSource source(SourceOptions opts) {
        return source(opts, NtpSource.Kind.SERVER);
    }

    NtpSource source(SourceOptions opts, NtpSource.Kind kind) {
        Transport t = (pkt, len, dst) -> {
            try {
                sent.add(NtpPacket.decode(pkt, 0, len));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            sentAt.add(sched.now());
            return sched.now();
        };
        NtpSource.Listener l = new NtpSource.Listener() {
            @Override public void sampleAdded(NtpSource s) { events.add("sample"); }
            @Override public void reachabilityChanged(NtpSource s) { events.add("reach:" + s.reach()); }
            @Override public void demobilised(NtpSource s, String reason) { events.add("demob:" + reason); }
        };
        return new NtpSource("s", addr, kind, opts, new LocalClock(driver), sched,
                RandomGeneratorFactory.of("L64X128MixRandom").create(42), t, l);
    }

    /** A reply from a server whose clock is {@code serverAheadSeconds} ahead, with the given one-way delay. */
    byte[] reply(NtpPacket req, long reqSentAt, double serverAheadSeconds, double oneWaySeconds, int stratum, int leap,
                 int refId) {
        long ahead = Math.round(serverAheadSeconds * 1e9);
        long oneWay = Math.round(oneWaySeconds * 1e9);
        long rx = reqSentAt + oneWay + ahead;
        long tx = rx + 10_000;
        return new NtpPacket(leap, 4, 4, stratum, req.pollLog2(), -20, 0, 0, refId, 0, req.transmitTime(),
                NtpTimestamp.fromUnixNanos(rx), NtpTimestamp.fromUnixNanos(tx), null).encode();
    }

    /** Runs until the next request, answers it after a round trip of 2 x oneWay. */
    boolean exchange(NtpSource s, double serverAhead, double oneWay) {
        int n = sent.size();
        long limit = sched.now() + 2000_000_000_000L;
        while (sent.size() == n && sched.now() < limit) sched.runUntil(sched.now() + 10_000_000L);
        if (sent.size() == n) return false;
        NtpPacket req = sent.getLast();
        long at = sentAt.getLast();
        byte[] r = reply(req, at, serverAhead, oneWay, 1, 0, 0x47505300);
        sched.runUntil(at + Math.round(2 * oneWay * 1e9) + 10_000);
        return s.handleResponse(r, 0, r.length, sched.now());
    }

    @Test
    void requestIsMinimalWithRandomTransmitTimestamp() {
        NtpSource s = source(SourceOptions.defaults());
        s.start();
        sched.runUntil(T0 + 1_000_000_000L);
        assertThat(sent).hasSize(1);
        NtpPacket req = sent.getFirst();
        assertThat(req.mode()).isEqualTo(3);
        assertThat(req.version()).isEqualTo(4);
        assertThat(req.pollLog2()).isEqualTo(6);
        assertThat(req.stratum()).isZero();
        assertThat(req.precisionLog2()).isEqualTo(32); // chronyd 4.3's request byte
        assertThat(req.leap()).isZero();
        assertThat(req.rootDelay()).isZero();
        assertThat(req.referenceId()).isZero();
        assertThat(req.originTime()).isZero();
        assertThat(req.receiveTime()).isZero();
        assertThat(req.referenceTime()).isZero();
        long txAsTime = NtpTimestamp.toUnixNanos(req.transmitTime(), T0);
        assertThat(Math.abs(txAsTime - sched.now())).isGreaterThan(10_000_000_000L); // not our clock
    }

    @Test
    void validResponseGivesSampleWithOffsetAndDelay() {
        NtpSource s = source(SourceOptions.defaults());
        s.start();
        assertThat(exchange(s, 0.25, 0.002)).isTrue();
        assertThat(events).contains("sample");
        var sample = s.stats().last();
        // server 0.25 s ahead => local clock is 0.25 s behind
        assertThat(sample.offsetSeconds()).isCloseTo(-0.25, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(sample.peerDelaySeconds()).isCloseTo(0.004, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s.reach()).isEqualTo(1);
        assertThat(s.lastTests().allOk()).isTrue();
        assertThat(s.lastTests().render()).isEqualTo("111 111 1111");
        NtpData nd = s.ntpData();
        assertThat(nd.stratum()).isEqualTo(1);
        assertThat(nd.refId()).isEqualTo(0x47505300);
        // ntpdata and measurements.log carry theta (positive = local clock slow), the opposite sign of
        // the sample: chronyd 4.3 -x following a server 0.3 s ahead showed ntpdata "Offset : +0.300032377
        // seconds" and measurements.log 3.000e-01, while its sources/sourcestats showed -300ms
        assertThat(nd.offsetSeconds()).isCloseTo(+0.25, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(nd.responseTimeSeconds()).isCloseTo(10e-6, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(nd.totalTx()).isEqualTo(1);
        assertThat(nd.totalValidRx()).isEqualTo(1);
        assertThat(nd.totalGoodRx()).isEqualTo(1);
    }

    @Test
    void bogusOriginAndDuplicatesAreRejected() {
        NtpSource s = source(SourceOptions.defaults());
        s.start();
        sched.runUntil(T0 + 1_000_000_000L);
        NtpPacket req = sent.getLast();
        NtpPacket wrong = new NtpPacket(0, 4, 4, 1, 6, -20, 0, 0, 0, 0, req.transmitTime() + 1,
                NtpTimestamp.fromUnixNanos(sched.now()), NtpTimestamp.fromUnixNanos(sched.now()), null);
        byte[] w = wrong.encode();
        assertThat(s.handleResponse(w, 0, w.length, sched.now())).isFalse();
        assertThat(s.lastTests().originMatches()).isFalse();
        byte[] good = reply(req, sentAt.getLast(), 0, 0.001, 1, 0, 0);
        assertThat(s.handleResponse(good, 0, good.length, sched.now() + 2_000_000)).isTrue();
        assertThat(s.handleResponse(good, 0, good.length, sched.now() + 3_000_000)).isFalse(); // duplicate
        assertThat(s.stats().size()).isEqualTo(1);
        // wrong mode
        byte[] client = new NtpPacket(0, 4, 3, 1, 6, -20, 0, 0, 0, 0, 0, 0, 1, null).encode();
        assertThat(s.handleResponse(client, 0, client.length, sched.now())).isFalse();
        // truncated
        assertThat(s.handleResponse(good, 0, 40, sched.now())).isFalse();
    }

    @Test
    void unsynchronisedServerIsNeitherReachableNorSampled() {
        NtpSource s = source(SourceOptions.defaults());
        s.start();
        sched.runUntil(T0 + 1_000_000_000L);
        byte[] r = reply(sent.getLast(), sentAt.getLast(), 0, 0.001, 16, 3, 0);
        assertThat(s.handleResponse(r, 0, r.length, sched.now() + 2_000_000)).isTrue();
        // as chronyd 4.3: reach 0, tests "111 101 0000", no measurement
        assertThat(s.reach()).isZero();
        assertThat(s.stats().size()).isZero();
        assertThat(s.lastTests().render()).isEqualTo("111 101 0000");
        assertThat(s.ntpData().offsetSeconds()).isZero();
        assertThat(s.ntpData().totalValidRx()).isEqualTo(1);
        assertThat(s.ntpData().totalGoodRx()).isZero();
        assertThat(s.lastStratum()).isZero();
    }

    @Test
    void maxDelayRejectsSlowResponses() {
        NtpSource s = source(SourceOptions.defaults().withDelayLimits(0.01, 0, 0));
        s.start();
        assertThat(exchange(s, 0, 0.001)).isTrue();
        assertThat(exchange(s, 0, 0.1)).isTrue();
        assertThat(s.lastTests().delayOk()).isFalse();
        assertThat(s.stats().size()).isEqualTo(1);
    }

    @Test
    void iburstSendsFourQuickRequestsThenPollsAtMinpoll() {
        NtpSource s = source(SourceOptions.defaults().withIburst(true));
        s.start();
        sched.runUntil(T0 + 10_000_000_000L);
        assertThat(sent).hasSize(4);
        for (int i = 1; i < 4; i++) {
            assertThat(sentAt.get(i) - sentAt.get(i - 1)).isEqualTo(2_000_000_000L);
        }
        sched.runUntil(T0 + 60_000_000_000L);
        assertThat(sent).hasSize(4);
        sched.runUntil(T0 + 75_000_000_000L);
        assertThat(sent).hasSize(5);
        assertThat(sentAt.get(4) - sentAt.get(3)).isEqualTo(64_000_000_000L);
    }

    @Test
    void iburstIntervalIsAQuarterPollAtLowMinpoll() {
        NtpSource s = source(SourceOptions.defaults().withIburst(true).withPoll(2, 2));
        s.start();
        sched.runUntil(T0 + 3_500_000_000L);
        assertThat(sent).hasSize(4);
        assertThat(sentAt.get(1) - sentAt.get(0)).isEqualTo(1_000_000_000L);
        sched.runUntil(sentAt.get(3) + 4_000_000_000L);
        assertThat(sent).hasSize(5);
    }

    @Test
    void reachRegisterShiftsPerRequest() {
        NtpSource s = source(SourceOptions.defaults().withPoll(4, 4));
        s.start();
        assertThat(exchange(s, 0, 0.001)).isTrue();
        assertThat(s.reach()).isEqualTo(1);
        for (int i = 0; i < 3; i++) sched.runUntil(sched.now() + 16_000_000_000L);
        assertThat(s.reach()).isEqualTo(0b1000);
        for (int i = 0; i < 5; i++) sched.runUntil(sched.now() + 16_000_000_000L);
        assertThat(s.reach()).isZero();
        assertThat(events).contains("reach:0");
        assertThat(s.reachable()).isFalse();
    }

    @Test
    void pollIncreasesTowardsMaxpollWhileSamplesAreLinear() {
        NtpSource s = source(SourceOptions.defaults().withPoll(4, 8));
        s.start();
        for (int i = 0; i < 40; i++) exchange(s, 0.001, 0.001);
        assertThat(s.pollLog2()).isEqualTo(8);
        assertThat(sent.getLast().pollLog2()).isEqualTo(8);
    }

    byte[] kod(NtpPacket req, int code) {
        return new NtpPacket(3, 4, 4, 0, req.pollLog2(), -20, 0, 0, code, 0, req.transmitTime(),
                NtpTimestamp.fromUnixNanos(sched.now()), NtpTimestamp.fromUnixNanos(sched.now() + 1), null).encode();
    }

    @Test
    void kodRateSpacesRequestsLikeChronyd() {
        NtpSource s = source(SourceOptions.defaults().withPoll(1, 6).withIburst(true));
        s.start();
        for (int i = 0; i < 4; i++) {
            int n = sent.size();
            while (sent.size() == n) sched.runUntil(sched.now() + 10_000_000L);
            byte[] rate = kod(sent.getLast(), 0x52415445);
            assertThat(s.handleResponse(rate, 0, rate.length, sched.now())).isTrue();
        }
        assertThat(s.kodRateCount()).isEqualTo(4);
        assertThat(s.reach()).isZero();
        for (int i = 1; i < sentAt.size(); i++) {
            assertThat(sentAt.get(i) - sentAt.get(i - 1)).isGreaterThanOrEqualTo(8_000_000_000L);
        }
        assertThat(sent.getLast().pollLog2()).isEqualTo(1);
        assertThat(s.stats().size()).isZero();
    }

    @Test
    void kodDenyIsIgnoredByDefaultAndDemobilisesOnRequest() {
        NtpSource s = source(SourceOptions.defaults().withPoll(4, 10));
        s.start();
        sched.runUntil(T0 + 1_000_000_000L);
        byte[] deny = kod(sent.getLast(), 0x44454e59);
        assertThat(s.handleResponse(deny, 0, deny.length, sched.now())).isTrue();
        assertThat(s.demobilised()).isFalse();
        sched.runUntil(sched.now() + 40_000_000_000L);
        assertThat(sent).hasSize(3);

        s.setDemobiliseOnDeny(true);
        byte[] rstr = kod(sent.getLast(), 0x52535452);
        assertThat(s.handleResponse(rstr, 0, rstr.length, sched.now())).isTrue();
        assertThat(s.demobilised()).isTrue();
        assertThat(events).contains("demob:RSTR");
        int n = sent.size();
        sched.runUntil(sched.now() + 3600_000_000_000L);
        assertThat(sent).hasSize(n);
    }

    @Test
    void offlineStopsPollingAndOnlineResumesWithIburst() {
        NtpSource s = source(SourceOptions.defaults().withIburst(true).withOffline(true));
        s.start();
        sched.runUntil(T0 + 600_000_000_000L);
        assertThat(sent).isEmpty();
        s.setOnline(true);
        sched.runUntil(sched.now() + 7_000_000_000L);
        assertThat(sent).hasSize(4);
        s.setOnline(false);
        sched.runUntil(sched.now() + 600_000_000_000L);
        assertThat(sent).hasSize(4);
    }

    @Test
    void burstCommandSendsUntilEnoughGoodSamples() {
        NtpSource s = source(SourceOptions.defaults().withPoll(10, 10));
        s.start();
        assertThat(exchange(s, 0, 0.001)).isTrue();
        int before = sent.size();
        s.burst(2, 6);
        assertThat(exchange(s, 0, 0.001)).isTrue();
        assertThat(exchange(s, 0, 0.001)).isTrue();
        long t = sched.now();
        sched.runUntil(t + 100_000_000_000L);
        assertThat(sent.size() - before).isEqualTo(2);
    }

    @Test
    void refIdOfIpv4IsTheAddress() throws Exception {
        assertThat(NtpSource.refIdOf(InetAddress.getByName("192.0.2.1"))).isEqualTo(0xc0000201);
        assertThat(NtpSource.refIdOf(InetAddress.getByName("::1"))).isNotZero();
    }

    @Test
    void offsetOptionAndFilterShapeSamples() {
        NtpSource s = source(SourceOptions.defaults().withPoll(4, 4).withCorrections(0, 0.001, 0).withFilter(3));
        s.start();
        assertThat(exchange(s, 0.010, 0.001)).isTrue();
        assertThat(exchange(s, 0.030, 0.001)).isTrue();
        assertThat(s.stats().size()).isZero(); // filter collects 3 measurements
        assertThat(exchange(s, 0.020, 0.001)).isTrue();
        assertThat(s.stats().size()).isEqualTo(1);
        // median of 10/30/20 ms = 20 ms ahead, plus 1 ms offset option => local 21 ms behind
        assertThat(s.stats().last().offsetSeconds()).isCloseTo(-0.021, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void minstratumRaisesTheStratumUsedInSelection() {
        NtpSource s = source(SourceOptions.defaults().withCorrections(0, 0, 5));
        assertThat(s.minStratum()).isEqualTo(5);
    }

    @Test
    void burstOptionRetriesQuicklyUntilAGoodSample() {
        NtpSource s = source(SourceOptions.defaults().withPoll(6, 6).withPresendAndBurst(0, true));
        s.start();
        sched.runUntil(T0 + 10_000_000_000L);
        // no answers: the poll and three retries 2 s apart
        assertThat(sent).hasSize(4);
        assertThat(sentAt.get(1) - sentAt.get(0)).isEqualTo(2_000_000_000L);
        sched.runUntil(sentAt.get(3) + 64_500_000_000L);
        assertThat(sent).hasSize(5);
        // answered at once: no retries
        NtpPacket req = sent.getLast();
        byte[] r = reply(req, sentAt.getLast(), 0, 0.001, 1, 0, 0);
        sched.runUntil(sentAt.getLast() + 2_000_000L);
        assertThat(s.handleResponse(r, 0, r.length, sched.now())).isTrue();
        sched.runUntil(sched.now() + 60_000_000_000L);
        assertThat(sent).hasSize(5);
    }

    @Test
    void presendSendsAnExtraRequestBeforeLongPolls() {
        NtpSource s = source(SourceOptions.defaults().withPoll(6, 6).withPresendAndBurst(6, false));
        s.start();
        sched.runUntil(T0 + 1_000_000_000L);
        assertThat(sent).hasSize(1);
        sched.runUntil(T0 + 63_000_000_000L);
        assertThat(sent).hasSize(2); // presend 2 s before the poll
        long presendAt = sentAt.get(1);
        sched.runUntil(T0 + 66_000_000_000L);
        assertThat(sent).hasSize(3);
        assertThat(sentAt.get(2) - presendAt).isEqualTo(2_000_000_000L);
        assertThat(s.requests()).isEqualTo(2); // the presend does not count as a poll
    }

    @Test
    void peerSendsSymmetricActiveAndAcceptsPassiveReplies() {
        NtpSource s = source(SourceOptions.defaults(), NtpSource.Kind.PEER);
        s.start();
        sched.runUntil(T0 + 1_000_000_000L);
        NtpPacket req = sent.getLast();
        assertThat(req.mode()).isEqualTo(1);
        long rx = sentAt.getLast() + 1_000_000;
        byte[] r = new NtpPacket(0, 4, 2, 2, 6, -20, 0, 0, 0x0a000001, 0, req.transmitTime(),
                NtpTimestamp.fromUnixNanos(rx), NtpTimestamp.fromUnixNanos(rx + 10_000), null).encode();
        assertThat(s.handleResponse(r, 0, r.length, sentAt.getLast() + 2_010_000)).isTrue();
        assertThat(s.stats().size()).isEqualTo(1);
        // a server-mode reply is not a peer's answer
        NtpSource srv = source(SourceOptions.defaults());
        srv.start();
        sched.runUntil(sched.now() + 1_000_000_000L);
        assertThat(srv.handleResponse(r, 0, r.length, sched.now())).isFalse();
    }

    @Test
    void sourceAddressFromTheSocketLayersPeerAddress() throws Exception {
        var peer = new org.jchrony.server.PeerAddress();
        peer.setInet4(0xc0000201, 123);
        assertThat(SourceAddress.fromPeer(peer)).isEqualTo(addr);
    }
}
