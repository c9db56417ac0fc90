package org.jchrony.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.discipline.SourceStatsData;
import org.jchrony.sim.SimServer;
import org.jchrony.sim.Simulation;
import org.jchrony.source.SourceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tracking and statistics lines built from a running discipline's reports fit chronyd's layout. */
class LogsFromSimulationTest {
    @Test
    void trackingAndStatisticsLinesFromTheDisciplinesReports(@TempDir Path dir) throws Exception {
        Simulation sim = new Simulation(5, Simulation.ClockKind.NULL_DRIVER, 0.02, 10, 0,
                new Simulation.Net(0.001, 50e-6, 0, 0), DisciplineConfig.defaults());
        SimServer a = sim.server(0, 1, Simulation.always());
        sim.addSource(a, SourceOptions.defaults().withIburst(true));
        sim.start(1);
        try (LogFiles logs = new LogFiles(dir, EnumSet.of(LogFile.TRACKING, LogFile.STATISTICS), false, 4)) {
            for (int i = 0; i < 6; i++) {
                sim.runFor(300);
                long now = sim.scheduler.now();
                var t = sim.manager.tracking();
                logs.write(LogEntries.tracking(now, t, 1, 1e-6, 0, t.rootDelaySeconds() / 2 + t.rootDispersionSeconds()));
                for (SourceStatsData s : sim.manager.sourceStats()) logs.write(LogEntries.statistics(now, s, 0, 0, 0));
            }
        }
        for (LogFile f : List.of(LogFile.TRACKING, LogFile.STATISTICS)) {
            List<String> lines = Files.readAllLines(dir.resolve(f.fileName()));
            assertThat(lines).hasSize(6 + 2 * 3);
            var layout = f == LogFile.TRACKING ? ChronydLogOracleTest.TRACKING : ChronydLogOracleTest.STATISTICS;
            lines.stream().filter(l -> !l.startsWith("=") && !l.startsWith("   Date"))
                    .forEach(l -> assertThat(layout.matcher(l).matches()).as(l).isTrue());
            assertThat(lines.getLast()).contains(" 10.0.0.1 ");
        }
    }
}
