package org.jchrony.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link MetricsSnapshot} as OpenMetrics 1.0.0 text or as Prometheus text format
 * 0.0.4. Every family has HELP and TYPE lines (and UNIT for seconds in OpenMetrics), names
 * start with {@code chrony_} and carry their unit; counters end in {@code _total}; OpenMetrics
 * output ends with {@code # EOF}. Pure: no I/O.
 */
public final class MetricsText {
    /** The two text formats served. */
    public enum Format {
        OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        PROMETHEUS("text/plain; version=0.0.4; charset=utf-8");

        private final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        public String contentType() { return contentType; }
    }

    enum Type { GAUGE, COUNTER, INFO }

    /** One family: {@code name} without the counter's {@code _total} or the info's {@code _info}. */
    record Family(String name, Type type, String unit, String help, List<Sample> samples) {}

    record Sample(Map<String, String> labels, double value) {}

    private MetricsText() {}

    /** The exposition text of {@code s} in {@code format}. */
    public static String render(MetricsSnapshot s, Format format) {
        StringBuilder sb = new StringBuilder(8192);
        for (Family f : families(s)) {
            if (f.samples().isEmpty()) continue;
            String exposed = switch (format) {
                case OPENMETRICS -> f.name();
                case PROMETHEUS -> f.name() + suffix(f.type());
            };
            sb.append("# HELP ").append(exposed).append(' ').append(escapeHelp(f.help())).append('\n');
            sb.append("# TYPE ").append(exposed).append(' ').append(typeWord(f.type(), format)).append('\n');
            if (format == Format.OPENMETRICS && f.unit() != null) {
                sb.append("# UNIT ").append(exposed).append(' ').append(f.unit()).append('\n');
            }
            for (Sample smp : f.samples()) {
                sb.append(f.name()).append(suffix(f.type()));
                if (!smp.labels().isEmpty()) {
                    sb.append('{');
                    boolean first = true;
                    for (Map.Entry<String, String> l : smp.labels().entrySet()) {
                        if (!first) sb.append(',');
                        first = false;
                        sb.append(l.getKey()).append("=\"").append(escapeLabel(l.getValue())).append('"');
                    }
                    sb.append('}');
                }
                sb.append(' ').append(number(smp.value())).append('\n');
            }
        }
        if (format == Format.OPENMETRICS) sb.append("# EOF\n");
        return sb.toString();
    }

    static List<Family> families(MetricsSnapshot s) {
        List<Family> out = new ArrayList<>();
        MetricsSnapshot.Tracking t = s.tracking();
        Map<String, String> none = Map.of();
        out.add(info("chrony_tracking_reference", "Reference the clock is synchronised to (chronyc tracking: Reference ID)",
                List.of(new Sample(labels("ref_id", String.format(Locale.ROOT, "%08X", t.referenceId()),
                        "address", t.referenceAddress(), "name", t.referenceName()), 1))));
        out.add(gauge("chrony_tracking_synchronised", null, "1 when the clock is synchronised, 0 otherwise",
                one(t.synchronised() ? 1 : 0)));
        out.add(gauge("chrony_tracking_stratum", null, "Stratum of this server (0 when not synchronised)", one(t.stratum())));
        out.add(gauge("chrony_tracking_leap_status", null,
                "Leap status: 0 normal, 1 insert second, 2 delete second, 3 not synchronised", one(t.leap())));
        out.add(gauge("chrony_tracking_reference_time_seconds", "seconds",
                "Unix time of the last clock update (chronyc tracking: Ref time), 0 never", one(t.referenceTimeSeconds())));
        out.add(gauge("chrony_tracking_system_time_offset_seconds", "seconds",
                "How far the system clock is ahead of NTP time (negative: behind), still being corrected",
                one(t.systemTimeOffsetSeconds())));
        out.add(gauge("chrony_tracking_last_offset_seconds", "seconds",
                "Offset measured at the last clock update (positive: local clock was ahead)", one(t.lastOffsetSeconds())));
        out.add(gauge("chrony_tracking_rms_offset_seconds", "seconds", "Long-term average (RMS) of the offset",
                one(t.rmsOffsetSeconds())));
        out.add(gauge("chrony_tracking_frequency_ppm", null,
                "Rate at which the system clock would gain (positive) or lose (negative) time without correction, in ppm (chronyc tracking: Frequency)",
                one(t.frequencyPpm())));
        out.add(gauge("chrony_tracking_residual_frequency_ppm", null,
                "Residual frequency of the reference, in ppm", one(t.residualFrequencyPpm())));
        out.add(gauge("chrony_tracking_skew_ppm", null, "Estimated error bound of the frequency, in ppm", one(t.skewPpm())));
        out.add(gauge("chrony_tracking_root_delay_seconds", "seconds",
                "Total round-trip delay to the stratum-1 source", one(t.rootDelaySeconds())));
        out.add(gauge("chrony_tracking_root_dispersion_seconds", "seconds",
                "Total dispersion accumulated up to the stratum-1 source", one(t.rootDispersionSeconds())));
        out.add(gauge("chrony_tracking_update_interval_seconds", "seconds",
                "Interval between the last two clock updates", one(t.updateIntervalSeconds())));

        List<Sample> state = new ArrayList<>();
        List<Sample> reach = new ArrayList<>();
        List<Sample> poll = new ArrayList<>();
        List<Sample> stratum = new ArrayList<>();
        List<Sample> age = new ArrayList<>();
        List<Sample> offset = new ArrayList<>();
        List<Sample> offsetErr = new ArrayList<>();
        List<Sample> nSamples = new ArrayList<>();
        List<Sample> nRuns = new ArrayList<>();
        List<Sample> span = new ArrayList<>();
        List<Sample> freq = new ArrayList<>();
        List<Sample> skew = new ArrayList<>();
        List<Sample> estOffset = new ArrayList<>();
        List<Sample> estOffsetErr = new ArrayList<>();
        List<Sample> stdDev = new ArrayList<>();
        for (MetricsSnapshot.Source src : s.sources()) {
            Map<String, String> id = labels("address", src.address(), "name", src.name());
            state.add(new Sample(labels("address", src.address(), "name", src.name(), "mode", src.mode(),
                    "state", src.state()), 1));
            reach.add(new Sample(id, src.reach()));
            poll.add(new Sample(id, Math.scalb(1.0, src.pollLog2())));
            stratum.add(new Sample(id, src.stratum()));
            if (src.lastSampleAgeSeconds() >= 0) {
                age.add(new Sample(id, src.lastSampleAgeSeconds()));
                offset.add(new Sample(id, src.lastOffsetSeconds()));
                offsetErr.add(new Sample(id, src.lastOffsetErrorSeconds()));
            }
            MetricsSnapshot.SourceStats st = src.stats();
            if (st != null) {
                nSamples.add(new Sample(id, st.samples()));
                nRuns.add(new Sample(id, st.runs()));
                span.add(new Sample(id, st.spanSeconds()));
                freq.add(new Sample(id, st.frequencyPpm()));
                skew.add(new Sample(id, st.skewPpm()));
                estOffset.add(new Sample(id, st.offsetSeconds()));
                estOffsetErr.add(new Sample(id, st.offsetErrorSeconds()));
                stdDev.add(new Sample(id, st.stdDevSeconds()));
            }
        }
        out.add(info("chrony_source_state", "Mode and selection state of each source (chronyc sources: M and S columns)",
                state));
        out.add(gauge("chrony_source_reach", null, "Reachability register of the last 8 polls (chronyc prints it in octal)",
                reach));
        out.add(gauge("chrony_source_poll_interval_seconds", "seconds", "Current polling interval of the source", poll));
        out.add(gauge("chrony_source_stratum", null, "Stratum of the source", stratum));
        out.add(gauge("chrony_source_last_sample_age_seconds", "seconds", "Time since the last good sample (LastRx)", age));
        out.add(gauge("chrony_source_last_offset_seconds", "seconds",
                "Offset of the last sample, adjusted for later clock corrections (positive: local clock ahead)", offset));
        out.add(gauge("chrony_source_last_offset_error_seconds", "seconds", "Error bound of the last sample's offset",
                offsetErr));
        out.add(gauge("chrony_sourcestats_samples", null, "Sample points kept for the source (NP)", nSamples));
        out.add(gauge("chrony_sourcestats_runs", null, "Runs of residuals with the same sign (NR)", nRuns));
        out.add(gauge("chrony_sourcestats_span_seconds", "seconds", "Interval covered by the samples (Span)", span));
        out.add(gauge("chrony_sourcestats_frequency_ppm", null, "Estimated residual frequency of the source, in ppm",
                freq));
        out.add(gauge("chrony_sourcestats_skew_ppm", null, "Estimated error bound of that frequency, in ppm", skew));
        out.add(gauge("chrony_sourcestats_offset_seconds", "seconds", "Estimated offset of the source (positive: local clock ahead)",
                estOffset));
        out.add(gauge("chrony_sourcestats_offset_error_seconds", "seconds", "Error of the estimated offset", estOffsetErr));
        out.add(gauge("chrony_sourcestats_std_dev_seconds", "seconds", "Estimated sample standard deviation (jitter)",
                stdDev));

        MetricsSnapshot.ServerCounters c = s.server();
        out.add(counter("chrony_serverstats_ntp_packets_received", "NTP requests received and accepted",
                c.ntpPacketsReceived()));
        out.add(counter("chrony_serverstats_ntp_packets_dropped", "NTP requests dropped by rate limiting",
                c.ntpPacketsDropped()));
        out.add(counter("chrony_serverstats_ntp_kod_rate_sent", "Rate-limited NTP requests answered with a RATE kiss-o'-death",
                c.ntpKodRateSent()));
        out.add(counter("chrony_serverstats_ntp_authenticated_packets_received", "Authenticated NTP requests received",
                c.ntpAuthenticated()));
        out.add(counter("chrony_serverstats_ntp_interleaved_packets_received", "Interleaved NTP requests received",
                c.ntpInterleaved()));
        out.add(counter("chrony_serverstats_ntske_connections_accepted", "NTS-KE connections accepted",
                c.ntsKeConnectionsAccepted()));
        out.add(counter("chrony_serverstats_ntske_connections_dropped", "NTS-KE connections dropped by rate limiting",
                c.ntsKeConnectionsDropped()));
        out.add(counter("chrony_serverstats_command_packets_received", "chronyc command requests received",
                c.commandPacketsReceived()));
        out.add(counter("chrony_serverstats_command_packets_dropped", "chronyc command requests dropped by rate limiting",
                c.commandPacketsDropped()));
        out.add(counter("chrony_serverstats_client_log_records_dropped", "Client records dropped from the full client log",
                c.clientLogRecordsDropped()));
        out.add(gauge("chrony_serverstats_client_log_records", null, "Client records held in the client log",
                c.clientLogRecords() >= 0 ? one(c.clientLogRecords()) : List.of()));
        out.add(gauge("chrony_serverstats_ntp_timestamps_held", null,
                "Server transmit timestamps held for interleaved mode", one(c.ntpTimestampsHeld())));
        out.add(gauge("chrony_serverstats_ntp_timestamp_span_seconds", "seconds",
                "Interval covered by the timestamps held for interleaved mode", one(c.ntpTimestampSpanSeconds())));
        return out;
    }

    private static Family gauge(String name, String unit, String help, List<Sample> samples) {
        return new Family(name, Type.GAUGE, unit, help, samples);
    }

    private static Family counter(String name, String help, long value) {
        return new Family(name, Type.COUNTER, null, help, one(Math.max(0, value)));
    }

    private static Family info(String name, String help, List<Sample> samples) {
        return new Family(name, Type.INFO, null, help, samples);
    }

    private static List<Sample> one(double v) {
        return List.of(new Sample(Map.of(), v));
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static String suffix(Type t) {
        return switch (t) {
            case GAUGE -> "";
            case COUNTER -> "_total";
            case INFO -> "_info";
        };
    }

    private static String typeWord(Type t, Format f) {
        return switch (t) {
            case GAUGE -> "gauge";
            case COUNTER -> "counter";
            case INFO -> f == Format.OPENMETRICS ? "info" : "gauge";
        };
    }

    /** Label values: backslash, double quote and newline escaped (both formats). */
    static String escapeLabel(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** A sample value: integers without a fraction, NaN and ±Inf spelled as both formats expect. */
    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
