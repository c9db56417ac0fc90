package org.jchrony.clock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chronyd's driftfile: one line "frequency-ppm skew-ppm", each as {@code %20.6f} separated by a
 * space (the layout chronyd 4.3 writes). The frequency is the one {@code chronyc tracking}
 * reports: how fast the uncorrected clock runs, negative = slow. Observed with Debian's chronyd
 * synchronising to a source 50 ppm fast: tracking "40.476 ppm slow", driftfile "-40.302417".
 * It is therefore the negation of the {@link ClockDriver} correction (positive = speed up):
 * use {@link Drift#driverCorrectionPpm()} and {@link Drift#fromDriver}.
 *
 * <p>Read at start to set the initial frequency; written atomically (temporary file in the same
 * directory, fsync, rename, directory fsync) so neither a crash nor a power loss nor a full disk
 * ever leaves a truncated file.
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

    private static final Logger LOG = LoggerFactory.getLogger("chronyd");
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

    /**
     * Writes {@code drift} so that the file is always either the old or the new contents, also
     * across a crash or a power loss: a temporary file in the same directory, written and
     * fsync'ed, renamed over the driftfile, then the directory fsync'ed (so the rename itself is
     * on disk). On failure (full disk, read-only file system, permission denied) the temporary
     * file is removed, the old driftfile is left as it was, and the exception's message is
     * {@code "PATH : reason"}.
     */
    public void write(Drift drift) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = dir.resolve(path.getFileName() + ".tmp");
        byte[] line = String.format(Locale.ROOT, "%20.6f %20.6f%n", drift.freqPpm(), drift.skewPpm())
                .getBytes(StandardCharsets.US_ASCII);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file cannot be removed either (read-only file system): nothing more to do
            }
            throw new IOException(path + " : " + reason(e), e);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the file itself is complete and renamed
        }
    }

    /**
     * {@link #write}, logging a failure as one line naming the file and the reason ("Could not
     * write driftfile PATH : No space left on device, kept the previous one"); while the same
     * failure repeats it is not logged again (chronyd rewrites the file every hour).
     *
     * @return whether the file was written
     */
    public boolean save(Drift drift) {
        try {
            write(drift);
            lastFailure = null;
            return true;
        } catch (IOException e) {
            String message = e.getMessage();
            if (!message.equals(lastFailure)) {
                LOG.warn("Could not write driftfile {}, kept the previous one", message);
            } else {
                LOG.debug("Could not write driftfile {} (again)", message);
            }
            lastFailure = message;
            return false;
        }
    }

    private String lastFailure;

    /** errno-like reason: "No space left on device", "Read-only file system", "Permission denied". */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) return fse.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
