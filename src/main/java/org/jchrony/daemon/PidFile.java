package org.jchrony.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * chronyd's pid file: refuses to start while the process named in it is alive, otherwise
 * (re)writes it atomically; removed at exit.
 */
public final class PidFile {
    private final Path path;

    public PidFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Writes our pid, or throws with chronyd's wording if another instance still runs. */
    public void acquire(long ourPid) throws DaemonException {
        Long other = readLivePid();
        if (other != null && other != ourPid) {
            throw new DaemonException("Another chronyd may already be running (pid=" + other + "), check " + path);
        }
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            Files.writeString(tmp, ourPid + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DaemonException("Could not open " + path + " : " + e.getMessage());
        }
    }

    /** The pid written in the file if that process is alive, else null. */
    Long readLivePid() {
        try {
            String s = Files.readString(path, StandardCharsets.US_ASCII).trim();
            long pid = Long.parseLong(s);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid).orElse(null);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    public void release(long ourPid) {
        try {
            String s = Files.readString(path, StandardCharsets.US_ASCII).trim();
            if (s.equals(Long.toString(ourPid))) Files.deleteIfExists(path);
        } catch (IOException | RuntimeException e) {
            // nothing to remove
        }
    }
}
