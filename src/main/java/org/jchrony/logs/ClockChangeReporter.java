package org.jchrony.logs;

import java.util.Locale;
import java.util.Optional;
import org.jchrony.config.Directive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chronyd's {@code logchange} and {@code mailonchange}: at every clock update whose offset is
 * larger than {@code logchange} (default 1 second), the warning "System clock wrong by X
 * seconds" (X = the correction to apply: positive when the clock is behind). With
 * {@code mailonchange ADDRESS THRESHOLD}, chronyd mails ADDRESS through sendmail when the offset
 * exceeds THRESHOLD; jchrony sends no mail and logs the notification it would have sent instead.
 * Pure logic plus an slf4j logger; call it on the core loop.
 */
public final class ClockChangeReporter {
    private static final Logger LOG = LoggerFactory.getLogger(ClockChangeReporter.class);

    /** What was reported for one update (for tests and callers that want to act). */
    public record Report(String logMessage, String mailMessage) {
        public static final Report NONE = new Report(null, null);
    }

    private final double logChangeThresholdSeconds;
    private final String mailAddress;
    private final double mailThresholdSeconds;

    /**
     * @param logChangeThresholdSeconds {@code logchange} ({@code DaemonConfig.logChangeSeconds()}, default 1.0)
     * @param mailAddress              {@code mailonchange} address, null when not configured
     * @param mailThresholdSeconds     {@code mailonchange} threshold
     */
    public ClockChangeReporter(double logChangeThresholdSeconds, String mailAddress, double mailThresholdSeconds) {
        this.logChangeThresholdSeconds = logChangeThresholdSeconds;
        this.mailAddress = mailAddress;
        this.mailThresholdSeconds = mailThresholdSeconds;
    }

    /** From the parsed configuration: {@code DaemonConfig.logChangeSeconds()} and {@code mailOnChange()}. */
    public static ClockChangeReporter forConfig(double logChangeSeconds, Optional<Directive.MailOnChange> mailOnChange) {
        return new ClockChangeReporter(logChangeSeconds, mailOnChange.map(Directive.MailOnChange::address).orElse(null),
                mailOnChange.map(Directive.MailOnChange::thresholdSeconds).orElse(0.0));
    }

    /**
     * Called at each clock update with the offset being corrected.
     *
     * @param fastBySeconds offset of the local clock (positive = ahead of the reference), as
     *                      {@code chronyc tracking}'s "Last offset"
     */
    public Report clockUpdated(double fastBySeconds) {
        double abs = Math.abs(fastBySeconds);
        String logMessage = null;
        String mailMessage = null;
        if (abs > logChangeThresholdSeconds) {
            logMessage = String.format(Locale.ROOT, "System clock wrong by %s seconds", CPrintf.f(-fastBySeconds, 0, 6));
            LOG.warn(logMessage);
        }
        if (mailAddress != null && abs > mailThresholdSeconds) {
            mailMessage = String.format(Locale.ROOT,
                    "mailonchange: not sending mail to %s (no mail support): an adjustment of %s seconds was started,"
                            + " which exceeded the reporting threshold of %s seconds",
                    mailAddress, CPrintf.f(-fastBySeconds, 0, 3), CPrintf.f(mailThresholdSeconds, 0, 3));
            LOG.warn(mailMessage);
        }
        return logMessage == null && mailMessage == null ? Report.NONE : new Report(logMessage, mailMessage);
    }
}
