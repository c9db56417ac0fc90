package org.jchrony.clock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jchrony.discipline.LeapSecondsList;
import org.jchrony.discipline.LeapTable;
import org.jchrony.discipline.LeapTzif;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the leap-second data chrony.conf points at, for {@link org.jchrony.discipline.LeapSecondPlanner}:
 * {@code leapsectz ZONE} (a TZif file under the tz database directory, $TZDIR or
 * /usr/share/zoneinfo; normally {@code right/UTC}) or {@code leapseclist FILE} (leap-seconds.list).
 * When both are given the list wins. The parsing is pure ({@link LeapTzif}, {@link LeapSecondsList});
 * this class only reads the bytes and logs problems. Call it at start and once a day (chronyd
 * re-checks the zone daily, so an updated tz package is picked up without a restart).
 */
public final class LeapFiles {
    private static final Logger log = LoggerFactory.getLogger(LeapFiles.class);
    public static final Path DEFAULT_TZDIR = Path.of("/usr/share/zoneinfo");

    private LeapFiles() {}

    /** The table from {@code leapSecList} or else {@code leapSecTz}; empty when neither is set or readable. */
    public static Optional<LeapTable> load(Optional<String> leapSecTz, Optional<String> leapSecList) {
        String tzdir = System.getenv("TZDIR");
        return load(leapSecTz, leapSecList, tzdir == null || tzdir.isEmpty() ? DEFAULT_TZDIR : Path.of(tzdir));
    }

    public static Optional<LeapTable> load(Optional<String> leapSecTz, Optional<String> leapSecList, Path tzdir) {
        if (leapSecList.isPresent()) {
            Optional<LeapTable> t = readList(Path.of(leapSecList.get()));
            if (t.isPresent()) return t;
        }
        if (leapSecTz.isPresent()) {
            return readTz(tzdir, leapSecTz.get());
        }
        return Optional.empty();
    }

    /** A leap-seconds.list file; empty (and a warning) if it cannot be read or is invalid. */
    public static Optional<LeapTable> readList(Path file) {
        try {
            return Optional.of(LeapSecondsList.parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString()));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Could not read leap second list {} : {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** A zone of the tz database; empty (and a warning) if missing, invalid or without leap seconds. */
    public static Optional<LeapTable> readTz(Path tzdir, String zone) {
        Path file = zone.startsWith("/") ? Path.of(zone) : tzdir.resolve(zone);
        try {
            LeapTable t = LeapTzif.parse(Files.readAllBytes(file), file.toString());
            if (t.leaps().isEmpty()) {
                log.warn("Timezone {} has no leap seconds", zone);
            }
            return Optional.of(t);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Could not read timezone {} : {}", zone, e.getMessage());
            return Optional.empty();
        }
    }
}
