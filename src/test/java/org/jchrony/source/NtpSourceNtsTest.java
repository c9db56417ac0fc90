package org.jchrony.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGeneratorFactory;
import org.jchrony.auth.NtsAuthenticator;
import org.jchrony.auth.SourceAuth;
import org.jchrony.clock.NullClockDriver;
import org.jchrony.discipline.LocalClock;
import org.jchrony.ntp.NtpPacket;
import org.jchrony.ntp.NtpTimestamp;
import org.jchrony.sim.SimScheduler;
import org.junit.jupiter.api.Test;

/**
 * A source with {@code nts}: no request before NTS-KE is done, a poll as soon as it is, requests
 * to the address and port the NTS-KE server named, responses accepted only when the
 * authenticator says so, NAKs counted, authdata in NTS mode.
 */
class NtpSourceNtsTest {
    static final long T0 = 1_790_000_000_000_000_000L;

    /** A stand-in for the daemon's NTS client. */
    static final class FakeNts implements NtsAuthenticator {
        boolean ready;
        Runnable waiting;
        int result = OK;
        int prepared;

        @Override
        public boolean prepare(InetAddress address, Runnable onReady) {
            prepared++;
            if (!ready) waiting = onReady;
            return ready;
        }

        @Override
        public InetAddress ntpAddress(InetAddress sourceAddress) {
            return InetAddress.ofLiteral("198.51.100.7");
        }

        @Override
        public int ntpPort() {
            return 4123;
        }

        @Override
        public int appendRequest(byte[] buf, int length) {
            Arrays.fill(buf, length, length + 40, (byte) 0x55);
            return length + 40;
        }

        @Override
        public int checkResponse(byte[] buf, int off, int len) {
            return result;
        }

        @Override
        public Report report() {
            return new Report(1, 0, 3, 7, 100, 0);
        }
    }

    @Test
    void waitsForKeysThenPollsTheNamedServerAndTrustsOnlyAuthenticResponses() throws Exception {
        SimScheduler sched = new SimScheduler(T0);
        List<byte[]> sent = new ArrayList<>();
        List<SourceAddress> to = new ArrayList<>();
        Transport t = (pkt, len, dst) -> {
            sent.add(Arrays.copyOf(pkt, len));
            to.add(dst);
            return sched.now();
        };
        NtpSource.Listener l = new NtpSource.Listener() {
            @Override public void sampleAdded(NtpSource s) { }
            @Override public void reachabilityChanged(NtpSource s) { }
            @Override public void demobilised(NtpSource s, String reason) { }
        };
        FakeNts nts = new FakeNts();
        NtpSource s = new NtpSource("nts.example", new SourceAddress(InetAddress.ofLiteral("192.0.2.1"), 123),
                NtpSource.Kind.SERVER, SourceOptions.defaults().withAuth(SourceAuth.nts(nts)),
                new LocalClock(new NullClockDriver(sched::now)), sched, RandomGeneratorFactory.of("L64X128MixRandom").create(7), t, l);
        s.start();
        sched.runUntil(T0 + 10_000_000_000L);
        assertThat(sent).isEmpty();
        assertThat(nts.prepared).isGreaterThanOrEqualTo(1);

        nts.ready = true;
        nts.waiting.run();
        sched.runUntil(sched.now() + 1_000_000L);
        assertThat(sent).hasSize(1);
        assertThat(to.getFirst()).isEqualTo(new SourceAddress(InetAddress.ofLiteral("198.51.100.7"), 4123));
        assertThat(sent.getFirst()).hasSize(48 + 40);

        NtpPacket r = NtpPacket.decode(sent.getFirst(), 0, 48);
        long at = sched.now();
        byte[] reply = new NtpPacket(0, 4, 4, 2, r.pollLog2(), -20, 0, 0, 0x7f7f0101, 0, r.transmitTime(),
                NtpTimestamp.fromUnixNanos(at + 1_000_000), NtpTimestamp.fromUnixNanos(at + 1_010_000), null).encode();
        nts.result = NtsAuthenticator.NAK;
        assertThat(s.handleResponse(reply, 0, reply.length, at + 2_000_000)).isFalse();
        nts.result = NtsAuthenticator.BAD;
        assertThat(s.handleResponse(reply, 0, reply.length, at + 2_000_000)).isFalse();
        nts.result = NtsAuthenticator.OK;
        assertThat(s.handleResponse(reply, 0, reply.length, at + 2_000_000)).isTrue();
        assertThat(s.lastResponseAuthenticated()).isTrue();
        AuthData a = s.authData();
        assertThat(a.mode()).isEqualTo(AuthData.MODE_NTS);
        assertThat(a.keyType()).isEqualTo(15);
        assertThat(a.keyLengthBits()).isEqualTo(256);
        assertThat(a.rejectedRx()).isEqualTo(2);
        assertThat(a.cryptoNakRx()).isEqualTo(1);
        assertThat(a.authenticatedRx()).isEqualTo(1);
        assertThat(a.nts().cookies()).isEqualTo(7);
        // reports keep the source's address (with the NTS-KE port), so chronyc finds the source by it
        assertThat(s.ntpData().remote()).isEqualTo(new SourceAddress(InetAddress.ofLiteral("192.0.2.1"), 4123));
    }
}
