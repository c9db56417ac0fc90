package org.jchrony.clock;

import java.io.IOException;
import java.nio.file.Path;

/** Child process of {@link DriftfileFullDiskTest}: writes a driftfile, prints "OK" or "FAILED message". */
public final class DriftfileWriter {
    private DriftfileWriter() {}

    public static void main(String[] args) {
        try {
            new Driftfile(Path.of(args[0])).write(new Driftfile.Drift(1.0, 0.1));
            System.out.println("OK");
        } catch (IOException e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(1);
        }
    }
}
