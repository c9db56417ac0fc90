package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jchrony.testutil.FreePorts;
import org.jchrony.testutil.RealChronyd;
import org.jchrony.testutil.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not part of the test suite (its name matches neither surefire's nor failsafe's
 * patterns): the NTS server cost of bin/jchronyd and Debian's chronyd in the same run, one client
 * sending one NTS request at a time over loopback. Run by {@code bench/nts-cost.sh}.
 */
class NtsCostBench {
    /** utime + stime of a process, in clock ticks (1/100 s). */
    static long cpuTicks(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Sends {@code n} NTS requests one at a time (new NTS-KE first); returns {median RTT µs, CPU ms of the server}. */
    static double[] ntsLoad(int kePort, int ntpPort, Path caCert, long serverPid, int n) throws Exception {
        var group = new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.nio.NioIoHandler.newFactory());
        try (java.net.DatagramSocket udp = new java.net.DatagramSocket()) {
            udp.setSoTimeout(1000);
            var ke = new org.jchrony.net.NtsKeClient(group, org.jchrony.nts.NtsTls.clientContext(List.of(caCert), true));
            var session = new org.jchrony.nts.NtsClientSession(new java.util.SplittableRandom(1));
            var done = new java.util.concurrent.CompletableFuture<String>();
            ke.exchange(java.net.InetAddress.getLoopbackAddress(), "localhost", kePort, org.jchrony.nts.NtsClientSession.keRequest(),
                    r -> done.complete(r instanceof org.jchrony.net.NtsKeClient.Result.Response resp
                            ? session.acceptKeResponse(resp.records(), resp.exporter()).orElse("ok") : r.toString()));
            assertThat(done.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ok");
            long[] rtt = new long[n];
            byte[] req = new byte[1200];
            byte[] in = new byte[2048];
            var lo = java.net.InetAddress.getLoopbackAddress();
            long cpu0 = cpuTicks(serverPid);
            int ok = 0;
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(req, (byte) 0);
                req[0] = 0x23;
                req[40] = (byte) i;
                req[41] = (byte) (i >> 8);
                int len = session.appendRequest(req, 48);
                long t0 = System.nanoTime();
                udp.send(new java.net.DatagramPacket(req, len, lo, ntpPort));
                var p = new java.net.DatagramPacket(in, in.length);
                udp.receive(p);
                rtt[i] = System.nanoTime() - t0;
                if (session.checkResponse(in, 0, p.getLength()) == org.jchrony.nts.NtsClientSession.OK) ok++;
            }
            long cpu1 = cpuTicks(serverPid);
            assertThat(ok).isEqualTo(n);
            java.util.Arrays.sort(rtt);
            return new double[] {rtt[n / 2] / 1e3, (cpu1 - cpu0) * 10.0};
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Prints median round trip and server CPU per 1000 replies of both daemons, two rounds. */
    @Test
    void ntsServerCostComparedWithChronyd(@TempDir Path dir) throws Exception {
        RealChronyd.assumeInstalled();
        TestCa ca = TestCa.create(dir);
        int jPort = FreePorts.tcp();
        int cPort = FreePorts.tcp();
        int n = Integer.getInteger("jchrony.ntsBench.n", 20000);
        try (RunningJchronyd j = RunningJchronyd.start(List.of("allow 127.0.0.1", "local stratum 8",
                "ntsserverkey " + ca.serverKey(), "ntsservercert " + ca.serverChain(), "ntsport " + jPort));
             RealChronyd c = RealChronyd.start(List.of("allow 127.0.0.1", "local stratum 8",
                     "ntsserverkey " + ca.serverKey(), "ntsservercert " + ca.serverChain(), "ntsport " + cPort))) {
            ntsLoad(jPort, j.ntpPort(), ca.caCert(), j.pid(), 2000); // warm-up
            ntsLoad(cPort, c.ntpPort(), ca.caCert(), c.pid(), 2000);
            for (int round = 0; round < 2; round++) {
                double[] jr = ntsLoad(jPort, j.ntpPort(), ca.caCert(), j.pid(), n);
                double[] cr = ntsLoad(cPort, c.ntpPort(), ca.caCert(), c.pid(), n);
                System.out.printf("NTSBENCH n=%d jchronyd: median RTT %.1f us, CPU %.1f ms/1000; chronyd: median RTT %.1f us,"
                        + " CPU %.1f ms/1000; loadavg %s%n", n, jr[0], jr[1] * 1000 / n, cr[0], cr[1] * 1000 / n,
                        java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
            }
        }
    }
}
