package org.jchrony.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jchrony.cmdmon.CommandHandler;
import org.jchrony.cmdmon.TestCommandServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * chronyc 4.8 (a build from the 4.8 tag, path in -Djchrony.chronyc48, default
 * /tmp/chrony48/chronyc; skipped when absent) against our {@link CommandHandler}: its newer
 * request forms are served (SERVER_STATS4, NTP_DATA2, LOCAL3, selectopts, offset).
 */
class Chronyc48Test {
    static Path chronyc48;

    @BeforeAll
    static void find() {
        chronyc48 = Path.of(System.getProperty("jchrony.chronyc48", "/tmp/chrony48/chronyc"));
        Assumptions.assumeTrue(Files.isExecutable(chronyc48), "no chronyc 4.8 build");
    }

    static String run(Path sock, String command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chronyc48.toString(), "-n", "-h", sock.toString()));
        cmd.addAll(Arrays.asList(command.split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out + "rc=" + p.exitValue();
    }

    @Test
    void newerClientIsServed() throws Exception {
        ChronycOutputParityTest.start();
        try {
            Path sock = ChronycOutputParityTest.server.unixPath();
            var target = ChronycOutputParityTest.target;
            String stats = run(sock, "serverstats");
            assertThat(stats).startsWith("NTP packets received       : 123456\n")
                    .contains("NTP timestamp span         : 4294967295\n")
                    .contains("NTP hardware TX timestamps : 0\n").endsWith("rc=0");
            assertThat(run(sock, "ntpdata 127.0.0.1")).contains("Total good RX   : 97\nTotal kernel TX : 0\n");
            for (String c : List.of("local stratum 5 activate 0.5 waitsynced 100 waitunsynced 300",
                    "selectopts 127.0.0.1 +prefer -noselect", "offset 127.0.0.1 0.125", "tracking", "sources", "activity")) {
                assertThat(run(sock, c)).as(c).endsWith("rc=0").doesNotContainPattern("(?m)^5\\d\\d ");
            }
            assertThat(target.calls).contains("local true 5 1.0 false", "selectopts 127.0.0.1 0 3 2",
                    "offset 127.0.0.1 0.125");
            // the 4.3-compatible reports print as jchronyc prints them
            for (String c : List.of("tracking", "activity", "smoothing", "rtcdata", "manual list")) {
                List<String> args = new ArrayList<>(List.of("-n", "-h", sock.toString()));
                args.addAll(Arrays.asList(c.split(" ")));
                assertThat(run(sock, c)).as(c).isEqualTo(ChronycOutputParityTest.jchronyc(args.toArray(String[]::new)).out());
            }
        } finally {
            ChronycOutputParityTest.stop();
        }
    }
}
