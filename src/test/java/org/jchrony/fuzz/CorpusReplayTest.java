package org.jchrony.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the saved fuzz corpora ({@code src/test/resources/fuzz/TARGET/*}, raw inputs kept by
 * bench/fuzz.sh from Jazzer runs plus hand-made seeds) through {@link FuzzTargets}: every input
 * that ever grew coverage, and every past finding, is re-checked in each build in a few seconds.
 */
class CorpusReplayTest {
    static final Path ROOT = Path.of("src/test/resources/fuzz");

    static final Map<String, Consumer<byte[]>> TARGETS = Map.of(
            "ntpPacket", FuzzTargets::ntpPacket,
            "responder", FuzzTargets::responder,
            "command", FuzzTargets::command,
            "candmReply", FuzzTargets::candmReply,
            "config", FuzzTargets::config,
            "keyFile", FuzzTargets::keyFile);

    @TestFactory
    Stream<DynamicTest> replaySavedCorpora() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : TARGETS.entrySet()) {
            Path dir = ROOT.resolve(e.getKey());
            assertThat(dir).as("corpus directory for %s", e.getKey()).isDirectory();
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            assertThat(files).as("corpus of %s", e.getKey()).isNotEmpty();
            tests.add(DynamicTest.dynamicTest(e.getKey() + " (" + files.size() + " inputs)", () -> {
                for (Path f : files) {
                    try {
                        e.getValue().accept(Files.readAllBytes(f));
                    } catch (Throwable t) {
                        throw new AssertionError("corpus input " + f + " fails", t);
                    }
                }
            }));
        }
        return tests.stream();
    }
}
