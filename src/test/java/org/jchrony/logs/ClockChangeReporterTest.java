package org.jchrony.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClockChangeReporterTest {
    @Test
    void logsChronydsWarningAboveTheThresholdWithTheCorrectionsSign() {
        ClockChangeReporter r = new ClockChangeReporter(1.0, null, 0);
        assertThat(r.clockUpdated(0.5)).isEqualTo(ClockChangeReporter.Report.NONE);
        assertThat(r.clockUpdated(1.0)).isEqualTo(ClockChangeReporter.Report.NONE);
        // local clock 2.5 s ahead: chronyd says the clock is wrong by -2.5 s
        assertThat(r.clockUpdated(2.5).logMessage()).isEqualTo("System clock wrong by -2.500000 seconds");
        assertThat(r.clockUpdated(-1.25).logMessage()).isEqualTo("System clock wrong by 1.250000 seconds");
        assertThat(r.clockUpdated(-1.25).mailMessage()).isNull();
    }

    @Test
    void mailonchangeIsReportedInTheLog() {
        ClockChangeReporter r = new ClockChangeReporter(1000, "root@localhost", 0.5);
        assertThat(r.clockUpdated(0.4)).isEqualTo(ClockChangeReporter.Report.NONE);
        ClockChangeReporter.Report rep = r.clockUpdated(-0.75);
        assertThat(rep.logMessage()).isNull();
        assertThat(rep.mailMessage()).contains("root@localhost").contains("0.750").contains("0.500");
    }

    @Test
    void fromConfiguration() {
        var mail = new org.jchrony.config.Directive.MailOnChange(null, "ops@example.org", 0.25);
        ClockChangeReporter r = ClockChangeReporter.forConfig(1.0, java.util.Optional.of(mail));
        assertThat(r.clockUpdated(0.3).mailMessage()).contains("ops@example.org");
        assertThat(ClockChangeReporter.forConfig(1.0, java.util.Optional.empty()).clockUpdated(0.3))
                .isEqualTo(ClockChangeReporter.Report.NONE);
    }
}
