package org.jchrony.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
    @TempDir Path dir;

    @Test
    void writesAndRemovesOurPid() throws Exception {
        PidFile f = new PidFile(dir.resolve("sub/chronyd.pid"));
        f.acquire(4242);
        assertThat(Files.readString(f.path())).isEqualTo("4242\n");
        f.release(4242);
        assertThat(f.path()).doesNotExist();
    }

    @Test
    void refusesWhileTheRecordedProcessIsAlive() throws Exception {
        Path p = dir.resolve("chronyd.pid");
        long alive = ProcessHandle.current().pid();
        Files.writeString(p, alive + "\n");
        assertThatThrownBy(() -> new PidFile(p).acquire(alive + 1))
                .isInstanceOf(DaemonException.class)
                .hasMessage("Another chronyd may already be running (pid=" + alive + "), check " + p);
    }

    @Test
    void replacesAStalePidFile() throws Exception {
        Path p = dir.resolve("chronyd.pid");
        Files.writeString(p, "999999999\n"); // beyond pid_max: never alive
        new PidFile(p).acquire(7);
        assertThat(Files.readString(p)).isEqualTo("7\n");
        new PidFile(p).release(8); // not ours: left alone
        assertThat(p).exists();
    }
}
