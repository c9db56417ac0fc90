package org.jchrony.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * Against a silent daemon, jchronyc retries as chronyc does: the initial timeout doubled per
 * attempt, two retries, the attempt counter counting up and a new random sequence each time,
 * then "506 Cannot talk to daemon". (Initial timeout set to 100 ms with the timeout command.)
 */
class RetryTimingTest {
    record Seen(long atNanos, int attempt, int sequence) {}

    static List<Seen> record(Runnable client) throws Exception {
        List<Seen> seen = new ArrayList<>();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT.get()))) {
            s.setSoTimeout(100);
            Thread t = Thread.ofPlatform().start(client);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (t.isAlive() && System.nanoTime() < deadline) {
                byte[] b = new byte[1024];
                DatagramPacket p = new DatagramPacket(b, b.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                seen.add(new Seen(System.nanoTime(), (b[6] & 0xff) << 8 | (b[7] & 0xff),
                        (b[8] & 0xff) << 24 | (b[9] & 0xff) << 16 | (b[10] & 0xff) << 8 | (b[11] & 0xff)));
            }
            t.join();
        }
        return seen;
    }

    static final ThreadLocal<Integer> PORT = new ThreadLocal<>();

    static void check(List<Seen> seen) {
        assertThat(seen).hasSize(3);
        assertThat(seen.stream().map(Seen::attempt)).containsExactly(0, 1, 2);
        assertThat(seen.stream().map(Seen::sequence).distinct().count()).isEqualTo(3);
        double first = (seen.get(1).atNanos() - seen.get(0).atNanos()) / 1e6;
        double second = (seen.get(2).atNanos() - seen.get(1).atNanos()) / 1e6;
        assertThat(first).isBetween(90.0, 400.0);
        assertThat(second).isBetween(190.0, 600.0);
    }

    @Test
    void retriesLikeChronyc() throws Exception {
        RealChronyd.assumeInstalled();
        int port = org.jchrony.testutil.FreePorts.udp();
        PORT.set(port);
        String[] args = {"-m", "-h", "127.0.0.1", "-p", String.valueOf(port), "timeout 100", "tracking"};
        String[] chronycOut = new String[1];
        List<Seen> c = record(() -> {
            try {
                List<String> cmd = new ArrayList<>(List.of(RealChronyd.CHRONYC.toString()));
                cmd.addAll(List.of(args));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                chronycOut[0] = new String(p.getInputStream().readAllBytes());
                p.waitFor();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        String[] jOut = new String[1];
        List<Seen> j = record(() -> jOut[0] = ChronycOutputParityTest.jchronyc(args).out());
        check(c);
        check(j);
        assertThat(jOut[0]).isEqualTo(chronycOut[0] + "rc=1").startsWith("506 Cannot talk to daemon\n");
    }
}
