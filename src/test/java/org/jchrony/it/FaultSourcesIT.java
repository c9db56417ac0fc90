package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Upstream faults, through the real daemon (bin/jchronyd -d -x) following small NTP servers
 * written here ({@link FakeNtpServer}) on loopback: a server that stops answering and comes back,
 * KoD RATE/DENY/RSTR, a falseticker among three, spoofed and replayed replies. In every case the
 * daemon keeps answering its own NTP clients.
 */
class FaultSourcesIT {
    static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    /** A pausable NTP server with a configurable offset and misbehaviours, on 127.0.0.1:free port. */
    static final class FakeNtpServer implements AutoCloseable {
        enum Mode { NORMAL, SILENT, KOD, SPOOF_AND_REPLAY }

        final DatagramSocket socket;
        final Thread thread;
        volatile Mode mode = Mode.NORMAL;
        volatile String kiss = "RATE";
        volatile double offsetSeconds;
        final List<Long> requestNanos = new CopyOnWriteArrayList<>();
        private byte[] previousReply;

        FakeNtpServer() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = Thread.ofPlatform().daemon().name("fake-ntp-" + socket.getLocalPort()).start(this::serve);
        }

        int port() { return socket.getLocalPort(); }

        static long ntpNow(double offsetSeconds) {
            long nanos = System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L;
            nanos += (long) (offsetSeconds * 1e9);
            long sec = Math.floorDiv(nanos, 1_000_000_000L) + NTP_EPOCH_OFFSET;
            long frac = (Math.floorMod(nanos, 1_000_000_000L) << 32) / 1_000_000_000L;
            return sec << 32 | frac;
        }

        private void serve() {
            byte[] buf = new byte[1024];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket in = new DatagramPacket(buf, buf.length);
                    socket.receive(in);
                    long rx = ntpNow(offsetSeconds);
                    requestNanos.add(System.nanoTime());
                    if (in.getLength() < 48 || (buf[0] & 7) != 3) continue;
                    Mode m = mode;
                    if (m == Mode.SILENT) continue;
                    long origin = ByteBuffer.wrap(buf, 40, 8).getLong();
                    int version = (buf[0] >>> 3) & 7;
                    if (m == Mode.KOD) {
                        byte[] r = reply(version, 3, 0, ByteBuffer.wrap(kiss.getBytes(StandardCharsets.US_ASCII)).getInt(), origin, rx, ntpNow(offsetSeconds));
                        send(r, in);
                        continue;
                    }
                    byte[] good = reply(version, 0, 1, 0x47505300, origin, rx, ntpNow(offsetSeconds));
                    if (m == Mode.SPOOF_AND_REPLAY) {
                        // a reply 0.5 s off with the wrong origin timestamp, then the previous genuine reply again
                        send(reply(version, 0, 1, 0x47505300, origin ^ 0x10000L, ntpNow(offsetSeconds + 0.5), ntpNow(offsetSeconds + 0.5)), in);
                        if (previousReply != null) send(previousReply, in);
                    }
                    send(good, in);
                    if (m == Mode.SPOOF_AND_REPLAY) send(good, in); // duplicate of the genuine reply
                    previousReply = good;
                } catch (IOException e) {
                    if (socket.isClosed()) return;
                }
            }
        }

        private void send(byte[] r, DatagramPacket to) throws IOException {
            socket.send(new DatagramPacket(r, r.length, to.getSocketAddress()));
        }

        static byte[] reply(int version, int leap, int stratum, int refId, long origin, long rx, long tx) {
            ByteBuffer b = ByteBuffer.allocate(48);
            b.put((byte) (leap << 6 | version << 3 | 4)).put((byte) stratum).put((byte) 0).put((byte) -20);
            b.putInt(0).putInt(0x00000010).putInt(refId);
            b.putLong(rx - (1L << 32)).putLong(origin).putLong(rx).putLong(tx);
            return b.array();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    static String serverLine(FakeNtpServer s) {
        return "server 127.0.0.1 port " + s.port() + " iburst minpoll 0 maxpoll 0";
    }

    /** One NTP client request to the daemon; the reply or null after the timeout. */
    static byte[] query(int port, String fromAddress, int timeoutMillis) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(fromAddress), 0))) {
            s.setSoTimeout(timeoutMillis);
            byte[] req = new byte[48];
            req[0] = 0x23;
            ByteBuffer.wrap(req, 40, 8).putLong(FakeNtpServer.ntpNow(0));
            s.send(new DatagramPacket(req, 48, InetAddress.getByName("127.0.0.1"), port));
            byte[] buf = new byte[1024];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return java.util.Arrays.copyOf(buf, p.getLength());
        }
    }

    static void assertServes(RunningJchronyd d) throws IOException {
        byte[] r = query(d.ntpPort(), "127.0.0.1", 2000);
        assertThat(r).as("daemon still answers NTP clients").isNotNull();
        assertThat(r.length).isEqualTo(48);
        assertThat(r[0] & 7).isEqualTo(4);
    }

    static boolean await(Duration timeout, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(250);
        }
        return cond.getAsBoolean();
    }

    /** {@code chronyc -c -n sources} rows as fields: mode, state, address, stratum, poll, reach, lastrx, offset, measured, error. */
    static List<String[]> sources(RunningJchronyd d) {
        try {
            List<String[]> rows = new ArrayList<>();
            for (String l : d.chronyc("-c", "-n", "sources").split("\n")) {
                String[] f = l.split(",");
                if (f.length >= 10) rows.add(f);
            }
            return rows;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String[] source(RunningJchronyd d, int port) {
        // every fake server is 127.0.0.1; with several, tell them apart by order of the config lines
        List<String[]> rows = sources(d);
        return rows.isEmpty() ? null : rows.get(0);
    }

    static int reach(String[] row) {
        return Integer.parseInt(row[5], 8);
    }

    static final List<String> BASE = List.of("allow 127.0.0.0/8", "makestep 0.1 3");

    @Test
    @Timeout(60)
    void serverStopsAnsweringAndComesBack() throws Exception {
        try (FakeNtpServer up = new FakeNtpServer()) {
            List<String> conf = new ArrayList<>(BASE);
            conf.add(serverLine(up));
            try (RunningJchronyd d = RunningJchronyd.start(conf)) {
                assertThat(await(Duration.ofSeconds(15), () -> "*".equals(source(d, up.port())[1])))
                        .as("synchronised to the fake server: %s", d.chronyc("-n", "sources")).isTrue();
                up.mode = FakeNtpServer.Mode.SILENT;
                assertThat(await(Duration.ofSeconds(12), () -> (reach(source(d, up.port())) & 0x7) == 0))
                        .as("reach loses the last polls while the server is silent: %s", d.chronyc("-n", "sources")).isTrue();
                assertServes(d);
                up.mode = FakeNtpServer.Mode.NORMAL;
                assertThat(await(Duration.ofSeconds(12), () -> {
                    String[] s = source(d, up.port());
                    return (reach(s) & 1) == 1 && "*".equals(s[1]);
                })).as("source back and selected: %s", d.chronyc("-n", "sources")).isTrue();
                assertServes(d);
                assertThat(d.log()).doesNotContain("Exception");
            }
        }
    }

    @Test
    @Timeout(60)
    void kodRateSpacesRequestsAndKodDenyRstrAreNotSamples() throws Exception {
        try (FakeNtpServer rate = new FakeNtpServer(); FakeNtpServer deny = new FakeNtpServer();
                FakeNtpServer rstr = new FakeNtpServer()) {
            rate.mode = deny.mode = rstr.mode = FakeNtpServer.Mode.KOD;
            rate.kiss = "RATE";
            deny.kiss = "DENY";
            rstr.kiss = "RSTR";
            List<String> conf = new ArrayList<>(BASE);
            conf.add(serverLine(rate));
            conf.add(serverLine(deny));
            conf.add(serverLine(rstr));
            try (RunningJchronyd d = RunningJchronyd.start(conf)) {
                Thread.sleep(12_000);
                assertServes(d);
                // RATE: after the first kiss, requests at least ~8 s apart (chronyd 4.3), so at most 3 in 12 s
                assertThat(rate.requestNanos.size()).as("requests to the RATE server").isBetween(1, 3);
                if (rate.requestNanos.size() >= 2) {
                    assertThat(rate.requestNanos.get(1) - rate.requestNanos.get(0)).isGreaterThan(7_000_000_000L);
                }
                // DENY/RSTR: unauthenticated kisses are not samples; chronyd 4.3 keeps polling
                assertThat(deny.requestNanos.size()).as("requests to the DENY server").isGreaterThanOrEqualTo(5);
                assertThat(rstr.requestNanos.size()).as("requests to the RSTR server").isGreaterThanOrEqualTo(5);
                for (String[] row : sources(d)) {
                    assertThat(row[1]).as("no KoD source is selected: %s", String.join(",", row)).isNotEqualTo("*");
                }
                String tracking = d.chronyc("-n", "tracking");
                assertThat(tracking).contains("Leap status     : Not synchronised");
                assertThat(d.log()).contains("Received KoD RATE from 127.0.0.1").doesNotContain("Exception");
            }
        }
    }

    @Test
    @Timeout(90)
    void oneOfThreeTurnsFalseticker() throws Exception {
        try (FakeNtpServer a = new FakeNtpServer(); FakeNtpServer b = new FakeNtpServer(); FakeNtpServer c = new FakeNtpServer()) {
            List<String> conf = new ArrayList<>(BASE);
            conf.add(serverLine(a));
            conf.add(serverLine(b));
            conf.add(serverLine(c));
            try (RunningJchronyd d = RunningJchronyd.start(conf)) {
                assertThat(await(Duration.ofSeconds(20), () -> sources(d).stream().anyMatch(r -> "*".equals(r[1]))))
                        .as("synchronised: %s", d.chronyc("-n", "sources")).isTrue();
                c.offsetSeconds = 0.5;
                boolean marked = await(Duration.ofSeconds(40), () -> {
                    List<String[]> rows = sources(d);
                    return rows.size() == 3 && "x".equals(rows.get(2)[1]) && ("*".equals(rows.get(0)[1]) || "*".equals(rows.get(1)[1]));
                });
                String table = d.chronyc("-n", "sources");
                assertThat(marked).as("the jumped source is a falseticker, another one selected: %s", table).isTrue();
                String tracking = d.chronyc("-n", "tracking");
                double last = Double.parseDouble(tracking.replaceAll("(?s).*Last offset\\s*:\\s*([-+0-9.e]+) seconds.*", "$1"));
                assertThat(Math.abs(last)).as("the discipline did not follow the falseticker: %s", tracking).isLessThan(0.05);
                byte[] r = query(d.ntpPort(), "127.0.0.1", 2000);
                assertThat(r).isNotNull();
                long served = ByteBuffer.wrap(r, 40, 8).getLong();
                double diff = ((served - FakeNtpServer.ntpNow(0)) >> 16) / 65536.0;
                assertThat(Math.abs(diff)).as("served time still follows the truechimers").isLessThan(0.05);
            }
        }
    }

    @Test
    @Timeout(60)
    void spoofedAndReplayedRepliesAreIgnored() throws Exception {
        try (FakeNtpServer up = new FakeNtpServer()) {
            up.mode = FakeNtpServer.Mode.SPOOF_AND_REPLAY;
            List<String> conf = new ArrayList<>(BASE);
            conf.add(serverLine(up));
            try (RunningJchronyd d = RunningJchronyd.start(conf)) {
                assertThat(await(Duration.ofSeconds(15), () -> "*".equals(source(d, up.port())[1])))
                        .as("synchronised despite the noise: %s", d.chronyc("-n", "sources")).isTrue();
                Thread.sleep(4000);
                String ntpdata = d.chronyc("-n", "ntpdata", "127.0.0.1");
                long tx = field(ntpdata, "Total TX");
                long rx = field(ntpdata, "Total RX");
                long valid = field(ntpdata, "Total valid RX");
                assertThat(rx).as(ntpdata).isGreaterThanOrEqualTo(3 * valid - 4);
                assertThat(valid).as("one valid reply per request: %s", ntpdata).isBetween(tx - 2, tx);
                String tracking = d.chronyc("-n", "tracking");
                double last = Double.parseDouble(tracking.replaceAll("(?s).*Last offset\\s*:\\s*([-+0-9.e]+) seconds.*", "$1"));
                assertThat(Math.abs(last)).as("the spoofed 0.5 s replies never became samples: %s", tracking).isLessThan(0.05);
                assertServes(d);
            }
        }
    }

    static long field(String report, String name) {
        for (String l : report.split("\n")) {
            if (l.startsWith(name + " ") || l.startsWith(name + ":")) {
                return Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError(name + " not in " + report);
    }
}
