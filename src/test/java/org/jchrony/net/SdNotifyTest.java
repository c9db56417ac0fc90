package org.jchrony.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdNotifyTest {
    @TempDir
    Path dir;

    static String next(UnixDatagramSocket s) throws Exception {
        byte[] buf = new byte[512];
        UnixDatagramSocket.Received r = s.receive(buf, 1000);
        return r == null ? null : new String(buf, 0, r.length(), StandardCharsets.UTF_8);
    }

    @Test
    void sendsReadyAndStatusToAPathSocket() throws Exception {
        try (UnixDatagramSocket systemd = UnixDatagramSocket.open()) {
            systemd.bind(dir.resolve("notify"));
            try (SdNotify n = new SdNotify(dir.resolve("notify").toString())) {
                assertThat(n.enabled()).isTrue();
                assertThat(n.status("Synchronised to 127.0.0.1")).isTrue();
                assertThat(n.ready()).isTrue();
                assertThat(n.stopping()).isTrue();
            }
            assertThat(next(systemd)).isEqualTo("STATUS=Synchronised to 127.0.0.1");
            assertThat(next(systemd)).isEqualTo("READY=1");
            assertThat(next(systemd)).isEqualTo("STOPPING=1");
        }
    }

    @Test
    void abstractSocketAndDisabled() throws Exception {
        String name = "@jchrony-notify-" + ProcessHandle.current().pid();
        try (UnixDatagramSocket systemd = UnixDatagramSocket.open(); SdNotify n = new SdNotify(name)) {
            systemd.bind(Path.of(name));
            assertThat(n.ready()).isTrue();
            assertThat(next(systemd)).isEqualTo("READY=1");
        }
        try (SdNotify none = new SdNotify(null)) {
            assertThat(none.enabled()).isFalse();
            assertThat(none.ready()).isFalse();
        }
        try (SdNotify missing = new SdNotify(dir.resolve("gone").toString())) {
            assertThat(missing.ready()).isFalse(); // logged, not thrown
        }
    }
}
