package org.jchrony.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jchrony.config.Directive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chronyd's log files ({@code logdir}, {@code log ...}, {@code logbanner}, {@code chronyc
 * cyclelogs}), as chronyd 4.3 writes them:
 * <ul>
 * <li>a file is opened on its first line, {@code LOGDIR/NAME.log}, appending, created 0644;</li>
 * <li>before the first line and then every {@code logbanner} lines, the banner: a line of '='
 *     as long as the column header, the header, the '=' line again; {@code logbanner 0} writes
 *     no banner at all (chronyd's behaviour);</li>
 * <li>every line is flushed at once;</li>
 * <li>{@link #reopen()} ({@code cyclelogs}) closes all files; the next line reopens its file
 *     (after logrotate moved it away) and starts with a banner again;</li>
 * <li>with {@code log} but no {@code logdir}: "logdir not specified" once, nothing written.</li>
 * </ul>
 * Never throws on I/O errors: the first failure of a file is logged, the file is disabled until
 * the next {@link #reopen()}. Thread-safe (synchronized); meant for the core loop.
 */
public final class LogFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogFiles.class);

    private final Path logDir;
    private final Set<LogFile> enabled;
    private final boolean rawMeasurements;
    private final int bannerInterval;
    private final Map<LogFile, Slot> slots = new EnumMap<>(LogFile.class);
    private boolean noLogDirWarned;

    private static final class Slot {
        OutputStream out;
        long writes;
        boolean disabled;
    }

    /**
     * @param logDir          {@code logdir} (null when not configured)
     * @param enabled         files enabled by {@code log}
     * @param rawMeasurements {@code log rawmeasurements}: every measurement, not only valid ones
     * @param bannerInterval  {@code logbanner} (chronyd's default 32; 0 = no banner; -N acts as N, as in chronyd)
     */
    public LogFiles(Path logDir, Set<LogFile> enabled, boolean rawMeasurements, int bannerInterval) {
        this.logDir = logDir;
        this.enabled = enabled.isEmpty() ? EnumSet.noneOf(LogFile.class) : EnumSet.copyOf(enabled);
        if (rawMeasurements) this.enabled.add(LogFile.MEASUREMENTS);
        this.rawMeasurements = rawMeasurements;
        this.bannerInterval = Math.abs(bannerInterval); // C's % makes chronyd treat -N as N
        for (LogFile f : this.enabled) slots.put(f, new Slot());
    }

    /** From the parsed configuration: {@code DaemonConfig.logDir()}, {@code logs()}, {@code logBanner()}. */
    public static LogFiles forConfig(Optional<String> logDir, Set<Directive.LogKind> kinds, int logBanner) {
        Set<LogFile> files = EnumSet.noneOf(LogFile.class);
        for (Directive.LogKind k : kinds) {
            switch (k) {
                case MEASUREMENTS, RAWMEASUREMENTS -> files.add(LogFile.MEASUREMENTS);
                case STATISTICS -> files.add(LogFile.STATISTICS);
                case TRACKING -> files.add(LogFile.TRACKING);
                case SELECTION -> files.add(LogFile.SELECTION);
                case REFCLOCKS -> files.add(LogFile.REFCLOCKS);
                case TEMPCOMP -> files.add(LogFile.TEMPCOMP);
                case RTC -> files.add(LogFile.RTC);
            }
        }
        return new LogFiles(logDir.filter(s -> !s.isEmpty()).map(Path::of).orElse(null), files,
                kinds.contains(Directive.LogKind.RAWMEASUREMENTS), logBanner);
    }

    /** Whether {@code file} is enabled by {@code log} (callers can skip building entries). */
    public boolean enabled(LogFile file) {
        return enabled.contains(file);
    }

    /**
     * Whether a measurement should be logged: with {@code log measurements} only those that
     * passed all tests, with {@code log rawmeasurements} every one (as chronyd).
     */
    public boolean wantsMeasurement(boolean passedAllTests) {
        return enabled.contains(LogFile.MEASUREMENTS) && (rawMeasurements || passedAllTests);
    }

    /** Appends {@code entry} to its file when that file is enabled. */
    public void write(LogEntry entry) {
        if (!enabled.contains(entry.file())) return;
        writeLine(entry.file(), LogFormat.format(entry));
    }

    /** Appends one preformatted line (no newline) to {@code file} when enabled, with banners. */
    public synchronized void writeLine(LogFile file, String line) {
        Slot slot = slots.get(file);
        if (slot == null || slot.disabled) return;
        if (logDir == null) {
            if (!noLogDirWarned) {
                LOG.warn("logdir not specified");
                noLogDirWarned = true;
            }
            slot.disabled = true;
            return;
        }
        Path path = logDir.resolve(file.fileName());
        try {
            if (slot.out == null) slot.out = open(path);
            StringBuilder sb = new StringBuilder(line.length() + 512);
            if (bannerInterval > 0 && slot.writes % bannerInterval == 0) sb.append(file.banner()).append('\n');
            slot.writes++;
            sb.append(line).append('\n');
            slot.out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            slot.out.flush();
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not write to {} : {} (log disabled until cyclelogs)", path, e.getMessage());
            closeQuietly(slot);
            slot.disabled = true;
        }
    }

    /** {@code chronyc cyclelogs}: closes every file; each is reopened (with a banner) on its next line. */
    public synchronized void reopen() {
        for (Slot slot : slots.values()) {
            closeQuietly(slot);
            slot.writes = 0;
            slot.disabled = false;
        }
        noLogDirWarned = false;
    }

    @Override
    public synchronized void close() {
        for (Slot slot : slots.values()) closeQuietly(slot);
    }

    private static OutputStream open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        return Channels.newOutputStream(ch);
    }

    private static void closeQuietly(Slot slot) {
        if (slot.out == null) return;
        try {
            slot.out.close();
        } catch (IOException e) {
            LOG.debug("closing log file: {}", e.getMessage());
        }
        slot.out = null;
    }
}
