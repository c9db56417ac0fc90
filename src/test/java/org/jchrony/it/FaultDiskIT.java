package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jchrony.testutil.FreePorts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driftfile on a full disk, through the real daemon (bin/jchronyd -d -x): a 16 KiB tmpfs is
 * mounted for the test (root / CAP_SYS_ADMIN; skipped where mount is refused; tagged "system"),
 * holds an old driftfile and is filled up. The daemon reads the old frequency, serves, and at
 * SIGTERM cannot write: it logs one line naming the file and ENOSPC, exits 0, and the old file is
 * still whole, with no temporary file left.
 */
@Tag("system")
class FaultDiskIT {
    @TempDir Path tmp;

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Test
    @Timeout(90)
    void driftfileOnAFullDiskKeepsTheOldFileAndTheDaemonExitsCleanly() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=16k,mode=0700", "tmpfs", mnt.toString()) == 0;
        Assumptions.assumeTrue(mounted, "mount not permitted here (needs root / CAP_SYS_ADMIN)");
        try {
            Path drift = mnt.resolve("drift");
            String old = String.format("%20.6f %20.6f%n", -23.456789, 0.5);
            Files.writeString(drift, old);
            try (var out = Files.newOutputStream(mnt.resolve("filler"))) {
                byte[] block = new byte[1024];
                for (int i = 0; i < 1024; i++) out.write(block);
            } catch (java.io.IOException e) {
                assertThat(e.getMessage()).contains("No space left on device");
            }
            int port = FreePorts.udp();
            Path conf = tmp.resolve("chrony.conf");
            Files.write(conf, List.of("port " + port, "bindaddress 127.0.0.1", "cmdport 0", "allow 127.0.0.1",
                    "local stratum 10", "pidfile " + tmp.resolve("d.pid"), "driftfile " + drift));
            Path log = tmp.resolve("d.log");
            Process p = new ProcessBuilder(JchronydProcess.LAUNCHER.toString(), "-d", "-x", "-f", conf.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                assertThat(FaultDaemonIT.serveWithin(port, p)).as(Files.readString(log)).isTrue();
            } finally {
                FaultDaemonIT.stop(p);
            }
            String text = Files.readString(log);
            assertThat(p.exitValue()).as(text).isZero();
            assertThat(text).contains("Frequency -23.457 +/- 0.500 ppm read from " + drift).contains("chronyd exiting");
            assertThat(text.lines().filter(l -> l.contains("Could not write"))).as(text).hasSize(1).first().asString()
                    .contains("Could not write driftfile " + drift + " : No space left on device, kept the previous one");
            assertThat(Files.readString(drift)).isEqualTo(old);
            try (var files = Files.list(mnt)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("drift", "filler");
            }
        } finally {
            if (run("umount", mnt.toString()) != 0) run("umount", "-l", mnt.toString());
        }
    }
}
