package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Predicate;
import org.jchrony.ntp.NtpPacket;
import org.jchrony.ntp.NtpTimestamp;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * jchronyd among real peers on loopback: it follows Debian's chronyd, Debian's chronyd follows
 * it, Debian's chronyc reads it, and a plain NTP client gets its time.
 */
class InteropIT {

    private static String await(java.util.concurrent.Callable<String> probe, Predicate<String> done, long seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            last = probe.call();
            if (done.test(last)) return last;
            Thread.sleep(250);
        }
        return last;
    }

    @Test
    void jchronydFollowsRealChronydAndServesItsTime() throws Exception {
        RealChronyd.assumeInstalled();
        try (RealChronyd ref = RealChronyd.start(List.of("allow 127.0.0.0/8", "local stratum 3"));
             RunningJchronyd j = RunningJchronyd.start(List.of(
                     "server 127.0.0.1 port " + ref.ntpPort() + " minpoll -2 maxpoll -2 iburst",
                     "makestep 0.1 3", "allow 127.0.0.1"))) {
            String tracking = await(() -> j.chronyc("tracking"), t -> t.contains("Stratum         : 4"), 30);
            assertThat(tracking).as(j.log()).contains("Reference ID    : 7F000001").contains("Stratum         : 4")
                    .contains("Leap status     : Normal");
            assertThat(j.chronyc("-n", "sources")).containsPattern("\\^\\* 127\\.0\\.0\\.1 +3 +-2 ");

            NtpPacket reply = query(j.ntpPort());
            assertThat(reply.stratum()).isEqualTo(4);
            assertThat(reply.referenceId()).isEqualTo(0x7F000001);
            assertThat(reply.leap()).isZero();
            long served = NtpTimestamp.toUnixNanos(reply.transmitTime(), System.currentTimeMillis() * 1_000_000L);
            assertThat(Math.abs(served - System.currentTimeMillis() * 1_000_000L)).isLessThan(50_000_000L);
            assertThat(j.log()).contains("Selected source 127.0.0.1");
        }
    }

    @Test
    void realChronydFollowsJchronyd() throws Exception {
        RealChronyd.assumeInstalled();
        try (RunningJchronyd j = RunningJchronyd.start(List.of("allow 127.0.0.1", "local stratum 8"));
             RealChronyd client = RealChronyd.start(List.of(
                     "server 127.0.0.1 port " + j.ntpPort() + " minpoll -2 maxpoll -2 iburst", "makestep 0.1 3"))) {
            String tracking = await(() -> client.chronyc("tracking"), t -> t.contains("Stratum         : 9"), 30);
            assertThat(tracking).as(j.log()).contains("Reference ID    : 7F000001").contains("Stratum         : 9");
            String sources = client.chronyc("-n", "sources");
            assertThat(sources).containsPattern("\\^\\* 127\\.0\\.0\\.1 +8 ");
        }
    }

    @Test
    void realChronycAndJchronycReadJchronydOverBothTransports() throws Exception {
        RealChronyd.assumeInstalled();
        try (RunningJchronyd j = RunningJchronyd.start(List.of("allow 127.0.0.1", "local stratum 10"))) {
            String viaSocket = j.chronyc("tracking");
            assertThat(viaSocket).contains("Reference ID    : 7F7F0101 ()").contains("Stratum         : 10");
            String viaUdp = RunningJchronyd.run(List.of("/usr/bin/chronyc", "-h", "127.0.0.1", "-p",
                    Integer.toString(j.cmdPort()), "tracking"));
            assertThat(viaUdp).contains("Stratum         : 10");
            String ours = RunningJchronyd.run(List.of(JchronydProcess.CLIENT.toString(), "-h", j.socketPath().toString(), "tracking"));
            assertThat(ours).contains("Reference ID    : 7F7F0101 ()").contains("Stratum         : 10");
            // privileged commands: refused over UDP, accepted over the socket
            String udpMakestep = RunningJchronyd.run(List.of("/usr/bin/chronyc", "-h", "127.0.0.1", "-p",
                    Integer.toString(j.cmdPort()), "makestep"));
            assertThat(udpMakestep).contains("501 Not authorised");
            assertThat(j.chronyc("makestep")).contains("200 OK");
        }
    }

    private static NtpPacket query(int port) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            byte[] req = new byte[48];
            req[0] = 0x23;
            s.send(new DatagramPacket(req, 48, InetAddress.getLoopbackAddress(), port));
            byte[] buf = new byte[512];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return NtpPacket.decode(buf, 0, p.getLength());
        }
    }
}
