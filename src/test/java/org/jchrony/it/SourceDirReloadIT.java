package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * `sourcedir` + `chronyc reload sources`, the path by which DHCP-provided servers reach
 * chronyd on Debian (/run/chrony-dhcp/*.sources): sources appear and disappear on reload.
 */
class SourceDirReloadIT {

    @Test
    void reloadAddsAndRemovesSourcesFromSourcedirFiles() throws Exception {
        Path sourcesDir = Files.createTempDirectory("jchrony-sources");
        Files.writeString(sourcesDir.resolve("a.sources"), "server 127.0.0.5 port 9 minpoll 2\n");
        try (RunningJchronyd j = RunningJchronyd.start(List.of("sourcedir " + sourcesDir))) {
            assertThat(j.chronyc("-n", "sources")).contains("127.0.0.5").doesNotContain("127.0.0.6");

            Files.writeString(sourcesDir.resolve("b.sources"), "server 127.0.0.6 port 9 minpoll 2\n");
            Files.delete(sourcesDir.resolve("a.sources"));
            assertThat(j.chronyc("reload", "sources")).contains("200 OK");
            assertThat(j.chronyc("-n", "sources")).contains("127.0.0.6").doesNotContain("127.0.0.5");

            // unchanged files: nothing added twice, nothing removed
            assertThat(j.chronyc("reload", "sources")).contains("200 OK");
            String sources = j.chronyc("-n", "sources");
            assertThat(sources.split("127\\.0\\.0\\.6", -1)).hasSize(2);
            assertThat(j.chronyc("refresh")).contains("200 OK");
        } finally {
            try (var files = Files.walk(sourcesDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
