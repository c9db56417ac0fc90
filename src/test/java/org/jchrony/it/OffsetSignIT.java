package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * The sign of each reported offset, against chronyd 4.3: both daemons (-x) follow a test server
 * whose clock is 0.3 s ahead, as a noselect source (so nothing corrects it away), and each
 * report is compared with chronyd's: ntpdata and measurements.log carry theta (+0.3 s: the local
 * clock is slow), sources and sourcestats the local clock's offset (-300ms).
 */
class OffsetSignIT {
    private static final double AHEAD = 0.3;
    private static final Pattern NTPDATA_OFFSET = Pattern.compile("Offset\\s+:\\s+([-+0-9.]+) seconds");

    /** Replies to every request as a stratum-1 server whose clock is {@link #AHEAD} s ahead. */
    private static Thread aheadServer(DatagramSocket socket) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[512];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (Exception e) {
                    return;
                }
                if (p.getLength() < 48) continue;
                double now = System.currentTimeMillis() / 1000.0 + AHEAD + 2208988800.0;
                ByteBuffer r = ByteBuffer.allocate(48);
                r.put((byte) 0x24).put((byte) 1).put(buf[2]).put((byte) -20).putInt(0).putInt(0).putInt(0x47505300);
                r.putLong(ntp(now - 1)).putLong(ByteBuffer.wrap(buf, 40, 8).getLong()).putLong(ntp(now)).putLong(ntp(now));
                try {
                    socket.send(new DatagramPacket(r.array(), 48, p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        }, "ahead-server");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long ntp(double seconds) {
        long s = (long) seconds;
        return (s << 32) | (long) ((seconds - s) * 4294967296.0);
    }

    private static double ntpdataOffset(String out) {
        Matcher m = NTPDATA_OFFSET.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static double lastMeasurementOffset(java.nio.file.Path log) throws Exception {
        List<String> lines = Files.readAllLines(log).stream().filter(l -> l.startsWith("20")).toList();
        assertThat(lines).isNotEmpty();
        return Double.parseDouble(lines.getLast().trim().split("\\s+")[11]);
    }

    @Test
    void reportsCarryChronydsSigns() throws Exception {
        RealChronyd.assumeInstalled();
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            server.setSoTimeout(200);
            aheadServer(server);
            String source = "server 127.0.0.1 port " + server.getLocalPort() + " minpoll -2 maxpoll -2 iburst noselect";
            java.nio.file.Path theirLogs = Files.createTempDirectory("sign-chronyd");
            java.nio.file.Path myLogs = Files.createTempDirectory("sign-jchronyd");
            try (RealChronyd chronyd = RealChronyd.start(List.of(source, "logdir " + theirLogs, "log measurements"));
                 RunningJchronyd ours = RunningJchronyd.start(List.of(source, "logdir " + myLogs, "log measurements"))) {
                Thread.sleep(4000);
                double theirs = ntpdataOffset(chronyd.chronyc("ntpdata"));
                double mine = ntpdataOffset(ours.chronyc("ntpdata"));
                assertThat(theirs).as("chronyd's ntpdata").isCloseTo(AHEAD, org.assertj.core.data.Offset.offset(0.01));
                assertThat(mine).as("our ntpdata").isCloseTo(AHEAD, org.assertj.core.data.Offset.offset(0.01));

                String theirStats = chronyd.chronyc("-c", "sourcestats");
                String myStats = ours.chronyc("-c", "sourcestats");
                double theirEst = Double.parseDouble(theirStats.strip().split(",")[6]);
                double myEst = Double.parseDouble(myStats.strip().split(",")[6]);
                assertThat(theirEst).as(theirStats).isCloseTo(-AHEAD, org.assertj.core.data.Offset.offset(0.01));
                assertThat(myEst).as(myStats).isCloseTo(-AHEAD, org.assertj.core.data.Offset.offset(0.01));

                // the noselect source itself: '?' in sources, 'N' with no interval in selectdata
                assertThat(chronyd.chronyc("-c", "sources")).startsWith("^,?,");
                assertThat(ours.chronyc("-c", "sources")).startsWith("^,?,");
                assertThat(chronyd.chronyc("-c", "selectdata")).startsWith("N,").contains(",0.000000000,0.000000000,");
                assertThat(ours.chronyc("-c", "selectdata")).startsWith("N,").contains(",0.000000000,0.000000000,");

                assertThat(lastMeasurementOffset(theirLogs.resolve("measurements.log")))
                        .isCloseTo(AHEAD, org.assertj.core.data.Offset.offset(0.01));
                assertThat(lastMeasurementOffset(myLogs.resolve("measurements.log")))
                        .isCloseTo(AHEAD, org.assertj.core.data.Offset.offset(0.01));
            }
        }
    }
}
