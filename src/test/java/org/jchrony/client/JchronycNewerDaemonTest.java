package org.jchrony.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jchrony.cmdmon.*;
import org.jchrony.server.DatagramHandler;
import org.junit.jupiter.api.Test;

/**
 * jchronyc against a daemon that, like chronyd 4.4+, rejects chronyc 4.3's SERVER_STATS,
 * NTP_DATA and LOCAL2 forms: it switches to the newer forms and prints chronyc 4.8's longer
 * reports. Also JSON output and the -e end marker.
 */
class JchronycNewerDaemonTest {
    static String run(Path sock, String... cmd) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bo, true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("-n", "-h", sock.toString()));
        args.addAll(List.of(cmd));
        int rc = JchronycMain.run(args.toArray(String[]::new), ps, ps, new ByteArrayInputStream(new byte[0]));
        return bo.toString(StandardCharsets.UTF_8) + "rc=" + rc;
    }

    @Test
    void switchesToNewerFormsAndPrintsThem() throws Exception {
        Path dir = Files.createTempDirectory("jchronyc-new-");
        InMemoryTarget target = new InMemoryTarget();
        target.serverStats = new ServerStatsReport(5000000000L, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
        IpAddr a = IpAddr.parse("127.0.0.1");
        target.sources.add(new SourceReport(a, 6, 2, 0, 0, 0, 0377, 12, 1e-6, 1e-6, 1e-6));
        target.ntpData.add(new NtpDataReport(a, a, 123, 0, 4, 4, 1, 6, -20, 0, 0, 0, Timespec.ZERO, 0, 0, 0, 0, 0,
                0, 'K', 'K', 1, 2, 3, 4, 5, 6, 7, 8));
        CommandHandler handler = new CommandHandler(target, p -> false);
        List<Integer> seenLengths = new ArrayList<>();
        DatagramHandler newer = (in, len, peer, rx, out) -> {
            int cmd = (in[4] & 0xff) << 8 | (in[5] & 0xff);
            seenLengths.add(len);
            boolean old = (cmd == Candm.REQ_SERVER_STATS && len < 196) || (cmd == Candm.REQ_NTP_DATA && len < 172);
            if (old || cmd == Candm.REQ_LOCAL2) {
                byte[] fake = in.clone();
                fake[4] = (byte) 0xff; // unknown → INVALID / emulate 4.8's rejection
                int n = handler.handle(fake, len, peer, rx, out);
                out[4] = in[4];
                out[5] = in[5];
                if (old) out[9] = (byte) Status.BAD_PKT_LENGTH.code();
                return n;
            }
            return handler.handle(in, len, peer, rx, out);
        };
        try (TestCommandServer server = new TestCommandServer(newer, dir.resolve("chronyd.sock"))) {
            String stats = run(server.unixPath(), "serverstats");
            assertThat(stats).contains("NTP packets received       : 5000000000\n")
                    .contains("NTP hardware TX timestamps : 17\n").endsWith("rc=0");
            assertThat(seenLengths).containsExactly(72, 196);
            String csv = run(server.unixPath(), "-c", "serverstats");
            assertThat(csv).isEqualTo("5000000000,4,3,6,7,2,5,8,9,10,11,12,13,14,15,16,17\nrc=0");
            String ntp = run(server.unixPath(), "ntpdata", "127.0.0.1");
            assertThat(ntp).contains("Total good RX   : 4\nTotal kernel TX : 5\nTotal kernel RX : 6\nTotal HW TX     : 7\n"
                    + "Total HW RX     : 8\n");
            assertThat(run(server.unixPath(), "local", "stratum", "3", "orphan")).isEqualTo("200 OK\nrc=0");
            assertThat(target.calls).contains("local true 3 1.0 true");
            assertThat(run(server.unixPath(), "selectopts", "127.0.0.1", "+prefer", "-noselect")).isEqualTo("200 OK\nrc=0");
            assertThat(run(server.unixPath(), "selectopts", "GPS", "+trust")).isEqualTo("200 OK\nrc=0");
            assertThat(run(server.unixPath(), "offset", "127.0.0.1", "0.25")).isEqualTo("200 OK\nrc=0");
            assertThat(run(server.unixPath(), "selectopts", "127.0.0.1", "prefer")).isEqualTo("Invalid syntax for selectopts command\nrc=1");
            assertThat(target.calls).contains("selectopts 127.0.0.1 0 3 2", "selectopts [UNSPEC] " + 0x47505300 + " 4 4",
                    "offset 127.0.0.1 0.25");
            String json = run(server.unixPath(), "-j", "sources");
            assertThat(json).startsWith("{\"type\":\"source\",\"address\":\"127.0.0.1\",\"pollLog2\":6,\"stratum\":2,")
                    .endsWith("}\nrc=0");
            assertThat(run(server.unixPath(), "-j", "sourcename", "10.1.1.1"))
                    .isEqualTo("{\"type\":\"status\",\"value\":\"503 No such source\"}\nrc=1");
            assertThat(run(server.unixPath(), "-e", "-m", "activity", "rekey"))
                    .isEqualTo("200 OK\n0 sources online\n0 sources offline\n0 sources doing burst (return to online)\n"
                            + "0 sources doing burst (return to offline)\n0 sources with unknown address\n.\n200 OK\n.\nrc=0");
        }
    }
}
