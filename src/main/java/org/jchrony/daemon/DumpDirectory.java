package org.jchrony.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jchrony.discipline.Sample;
import org.jchrony.config.IpAddress;
import org.jchrony.logs.LogFormat;
import org.jchrony.source.NtpSource;
import org.jchrony.source.SourceDump;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chronyd's {@code dumpdir}: at exit and on {@code chronyc dump} each NTP source's measurement
 * history goes to {@code DIR/ADDRESS.dat} (created 0644, the directory created when missing); with
 * {@code -r} the files are read back at start ("Loaded dump file for ADDRESS" / "Could not load
 * dump file for ADDRESS") into the sources known then, or into a source resolved later (a name,
 * a pool member) at its first sample; and at start every file that looks like a
 * dump file (an IP address or {@code refid:...} before {@code .dat}) is removed, with or without
 * {@code -r}, so that a stale history is never loaded by a later start.
 *
 * <p>Runs on the core thread (it reads the sources' statistics); the files are small.
 */
final class DumpDirectory {
    private static final Logger LOG = LoggerFactory.getLogger("chronyd");
    private static final String SUFFIX = ".dat";

    private final Path dir;
    /** Dump files read at start with -r, by address, until their source appears. */
    private final Map<String, String> pending = new HashMap<>();

    DumpDirectory(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The file of a source: its address as chronyd prints it, or null for one without a usable address. */
    Path fileOf(NtpSource source) {
        InetAddress a = source.address();
        if (a == null || a.isAnyLocalAddress()) return null;
        return dir.resolve(LogFormat.address(a) + SUFFIX);
    }

    /** Writes every source's history; sources without samples get no file. Returns how many were written. */
    int dump(Collection<NtpSource> sources) {
        if (!ensureDirectory()) return 0;
        int written = 0;
        for (NtpSource s : sources) {
            Path file = fileOf(s);
            if (file == null || s.stats().size() == 0) continue;
            SourceDump d = SourceDump.of(s.name(), s.lastResponseAuthenticated(), s.reach(), s.requests(),
                    s.stats().samples());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try {
                Files.writeString(tmp, d.format(), StandardCharsets.US_ASCII);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                written++;
            } catch (IOException | UnsupportedOperationException e) {
                LOG.error("Could not write {} : {}", file, e.getMessage());
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
        return written;
    }

    /**
     * chronyd -r, first step: reads every dump file of the directory into memory (keyed by the
     * address in its name), before {@link #removeDumpFiles()} deletes them.
     */
    void readPending() {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String base = baseName(f);
                if (base == null || base.startsWith("refid:") || !Files.isRegularFile(f)) continue;
                try {
                    pending.put(base, Files.readString(f, StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    LOG.warn("Could not load dump file for {}", base);
                }
            }
        } catch (IOException e) {
            LOG.debug("Could not list {}: {}", dir, e.getMessage());
        }
    }

    /**
     * chronyd -r: loads the read dump of each source, if there is one, into its statistics.
     * Returns how many were loaded.
     */
    int reload(Collection<NtpSource> sources, long nowNanos) {
        int loaded = 0;
        for (NtpSource s : sources) {
            if (apply(s, nowNanos)) loaded++;
        }
        return loaded;
    }

    /**
     * A source that was not known at start (a name or pool resolved later, as chronyd waits for
     * them before reloading) gets its dump with its first sample: the old samples go before the new.
     */
    void sampleAdded(NtpSource source, long nowNanos) {
        if (!pending.isEmpty()) apply(source, nowNanos);
    }

    private boolean apply(NtpSource s, long nowNanos) {
        InetAddress a = s.address();
        if (a == null || a.isAnyLocalAddress()) return false;
        String who = LogFormat.address(a);
        String text = pending.remove(who);
        if (text == null) return false;
        var dump = SourceDump.parse(text, s.name(), s.options().auth().enabled(), nowNanos);
        if (dump.isEmpty()) {
            LOG.warn("Could not load dump file for {}", who);
            return false;
        }
        List<Sample> samples = new ArrayList<>(dump.get().samples());
        long lastRestored = samples.getLast().timeNanos();
        for (Sample current : s.stats().samples()) {
            if (current.timeNanos() > lastRestored) samples.add(current);
        }
        s.stats().restore(samples);
        LOG.info("Loaded dump file for {}", who);
        return true;
    }

    /** Removes the files that look like dump files (chronyd does it at every start). */
    void removeDumpFiles() {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                if (baseName(f) == null) continue;
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.debug("Could not remove {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.debug("Could not list {}: {}", dir, e.getMessage());
        }
    }

    /** The address (or refid:...) a dump file is named after, or null for another file. */
    private static String baseName(Path f) {
        String name = f.getFileName().toString();
        if (!name.endsWith(SUFFIX)) return null;
        String base = name.substring(0, name.length() - SUFFIX.length());
        return base.startsWith("refid:") || IpAddress.parse(base).isPresent() ? base : null;
    }

    private boolean ensureDirectory() {
        if (Files.isDirectory(dir)) return true;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            return true;
        } catch (IOException e) {
            LOG.error("Could not create directory {} : {}", dir, e.getMessage());
            return false;
        }
    }
}
