package org.jchrony.clock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * chronyd's driftfile: one line "frequency-ppm skew-ppm", each as {@code %20.6f} separated by a
 * space (the layout chronyd 4.3 writes). The frequency is the one {@code chronyc tracking}
 * reports: how fast the uncorrected clock runs, negative = slow. Observed with Debian's chronyd
 * synchronising to a source 50 ppm fast: tracking "40.476 ppm slow", driftfile "-40.302417".
 * It is therefore the negation of the {@link ClockDriver} correction (positive = speed up):
 * use {@link Drift#driverCorrectionPpm()} and {@link Drift#fromDriver}.
 *
 * <p>Read at start to set the initial frequency; written atomically (temporary file in the same
 * directory, then rename) so a crash never leaves a truncated file.
 */
public final class Driftfile {
    /** Contents of a driftfile. */
    public record Drift(double freqPpm, double skewPpm) {
        /** The correction to give {@link ClockDriver#setFrequencyPpm}. */
        public double driverCorrectionPpm() {
            return -freqPpm;
        }

        /** From the driver's current correction and the discipline's skew. */
        public static Drift fromDriver(double driverCorrectionPpm, double skewPpm) {
            return new Drift(-driverCorrectionPpm, skewPpm);
        }
    }

    private final Path path;

    public Driftfile(Path path) {
        this.path = path;
    }

    public Path path() { return path; }

    /** Reads the file; empty if it does not exist or cannot be parsed (chronyd then starts at 0 ppm). */
    public Optional<Drift> read() {
        try {
            if (!Files.isRegularFile(path)) return Optional.empty();
            String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
            String[] parts = text.split("\\s+");
            if (parts.length < 1 || parts[0].isEmpty()) return Optional.empty();
            double freq = Double.parseDouble(parts[0]);
            double skew = parts.length > 1 ? Double.parseDouble(parts[1]) : 1e6;
            if (!Double.isFinite(freq) || !Double.isFinite(skew)) return Optional.empty();
            return Optional.of(new Drift(freq, skew));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Writes {@code drift} atomically. */
    public void write(Drift drift) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = dir.resolve(path.getFileName() + ".tmp");
        String line = String.format(Locale.ROOT, "%20.6f %20.6f%n", drift.freqPpm(), drift.skewPpm());
        Files.writeString(tmp, line, StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
