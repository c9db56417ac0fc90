package org.jchrony.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LoggingTest {
    @TempDir Path dir;

    @AfterEach
    void restore() {
        Logging.configure(Logging.Target.STDERR, Level.WARN, null, null);
    }

    @Test
    void targetIsChosenAsChronydChooses() {
        assertThat(Logging.target(1, Path.of("/x"), true, "8:9")).isEqualTo(Logging.Target.STDERR);
        assertThat(Logging.target(0, Path.of("/x"), true, "8:9")).isEqualTo(Logging.Target.FILE);
        assertThat(Logging.target(0, null, true, "8:9")).isEqualTo(Logging.Target.JOURNAL);
        assertThat(Logging.target(0, null, false, "8:9")).isEqualTo(Logging.Target.SYSLOG);
        assertThat(Logging.target(0, null, true, null)).isEqualTo(Logging.Target.SYSLOG);
    }

    @Test
    void levelsFollowDashL() {
        assertThat(Logging.level(0, 0)).isEqualTo(Level.INFO);
        assertThat(Logging.level(1, 0)).isEqualTo(Level.WARN);
        assertThat(Logging.level(2, 0)).isEqualTo(Level.ERROR);
        assertThat(Logging.level(3, 0)).isEqualTo(Level.ERROR);
        assertThat(Logging.level(0, 2)).isEqualTo(Level.DEBUG);
    }

    @Test
    void fileLinesLookLikeChronyds() throws Exception {
        Path log = dir.resolve("j.log");
        Logging.configure(Logging.Target.FILE, Level.INFO, log, null);
        LoggerFactory.getLogger("t").info("chronyd version {} starting", "0.1");
        LoggerFactory.getLogger("t").debug("not shown");
        assertThat(Files.readAllLines(log)).singleElement().asString()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ chronyd version 0.1 starting");
    }

    @Test
    void syslogAndJournalFormats() {
        List<String> got = new ArrayList<>();
        Logging.configure(Logging.Target.SYSLOG, Level.INFO, null, b -> got.add(new String(b)));
        LoggerFactory.getLogger("t").warn("Can't synchronise: no selectable sources");
        assertThat(got).containsExactly("<28>chronyd[" + ProcessHandle.current().pid() + "]: Can't synchronise: no selectable sources");
        LoggingEvent e = new LoggingEvent();
        e.setLevel(Level.ERROR);
        e.setMessage("Fatal error : x\ny");
        assertThat(Logging.journalLine(e)).isEqualTo("<3>Fatal error : x y\n");
    }
}
