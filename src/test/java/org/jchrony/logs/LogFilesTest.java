package org.jchrony.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jchrony.config.Directive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {
    private static final String RULE = "=".repeat(LogFile.TRACKING.columns().length());

    @Test
    void bannerBeforeTheFirstLineAndEveryNLines(@TempDir Path dir) throws Exception {
        try (LogFiles logs = new LogFiles(dir, EnumSet.of(LogFile.TRACKING), false, 2)) {
            for (int i = 0; i < 5; i++) logs.writeLine(LogFile.TRACKING, "line " + i);
        }
        List<String> lines = Files.readAllLines(dir.resolve("tracking.log"));
        String c = LogFile.TRACKING.columns();
        assertThat(lines).containsExactly(RULE, c, RULE, "line 0", "line 1", RULE, c, RULE, "line 2", "line 3",
                RULE, c, RULE, "line 4");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tracking.log"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void logbannerZeroWritesNoBannerAtAll(@TempDir Path dir) throws Exception {
        try (LogFiles logs = new LogFiles(dir, EnumSet.of(LogFile.STATISTICS), false, 0)) {
            logs.writeLine(LogFile.STATISTICS, "a");
            logs.writeLine(LogFile.STATISTICS, "b");
        }
        assertThat(Files.readAllLines(dir.resolve("statistics.log"))).containsExactly("a", "b");
    }

    @Test
    void appendsToAnExistingFileAndOnlyEnabledFilesAreWritten(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tracking.log"), "old\n");
        try (LogFiles logs = new LogFiles(dir, EnumSet.of(LogFile.TRACKING), false, 0)) {
            logs.writeLine(LogFile.TRACKING, "new");
            logs.writeLine(LogFile.SELECTION, "not enabled");
            assertThat(logs.enabled(LogFile.SELECTION)).isFalse();
        }
        assertThat(Files.readString(dir.resolve("tracking.log"))).isEqualTo("old\nnew\n");
        assertThat(dir.resolve("selection.log")).doesNotExist();
    }

    @Test
    void cyclelogsReopensAMovedFileWithAFreshBanner(@TempDir Path dir) throws Exception {
        try (LogFiles logs = new LogFiles(dir, EnumSet.of(LogFile.TRACKING), false, 32)) {
            logs.writeLine(LogFile.TRACKING, "before");
            Files.move(dir.resolve("tracking.log"), dir.resolve("tracking.log.1"));
            logs.writeLine(LogFile.TRACKING, "still to the moved file");
            logs.reopen();
            logs.writeLine(LogFile.TRACKING, "after");
        }
        String c = LogFile.TRACKING.columns();
        assertThat(Files.readAllLines(dir.resolve("tracking.log.1"))).containsExactly(RULE, c, RULE, "before",
                "still to the moved file");
        assertThat(Files.readAllLines(dir.resolve("tracking.log"))).containsExactly(RULE, c, RULE, "after");
    }

    @Test
    void ioErrorsAreSwallowedAndTheFileRetriedAfterCyclelogs(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-dir");
        try (LogFiles logs = new LogFiles(missing, EnumSet.of(LogFile.MEASUREMENTS), false, 0)) {
            assertThatCode(() -> {
                logs.writeLine(LogFile.MEASUREMENTS, "lost");
                logs.writeLine(LogFile.MEASUREMENTS, "lost too");
            }).doesNotThrowAnyException();
            Files.createDirectory(missing);
            logs.writeLine(LogFile.MEASUREMENTS, "disabled until cyclelogs");
            logs.reopen();
            logs.writeLine(LogFile.MEASUREMENTS, "written");
        }
        assertThat(Files.readAllLines(missing.resolve("measurements.log"))).containsExactly("written");
    }

    @Test
    void withoutLogdirNothingIsWritten(@TempDir Path dir) {
        LogFiles logs = LogFiles.forConfig(Optional.empty(), Set.of(Directive.LogKind.TRACKING), 32);
        assertThatCode(() -> logs.writeLine(LogFile.TRACKING, "x")).doesNotThrowAnyException();
        logs.close();
    }

    @Test
    void rawmeasurementsLogsEveryMeasurementMeasurementsOnlyValidOnes(@TempDir Path dir) {
        LogFiles valid = LogFiles.forConfig(Optional.of(dir.toString()), Set.of(Directive.LogKind.MEASUREMENTS), 32);
        assertThat(valid.wantsMeasurement(true)).isTrue();
        assertThat(valid.wantsMeasurement(false)).isFalse();
        LogFiles raw = LogFiles.forConfig(Optional.of(dir.toString()), Set.of(Directive.LogKind.RAWMEASUREMENTS), 32);
        assertThat(raw.wantsMeasurement(false)).isTrue();
        assertThat(raw.enabled(LogFile.MEASUREMENTS)).isTrue();
        LogFiles none = LogFiles.forConfig(Optional.of(dir.toString()), Set.of(Directive.LogKind.TRACKING), 32);
        assertThat(none.wantsMeasurement(true)).isFalse();
    }
}
