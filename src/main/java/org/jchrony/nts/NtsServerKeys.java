package org.jchrony.nts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The NTS server's cookie keys, as chronyd keeps them: a current AEAD_AES_SIV_CMAC_256 key that
 * encrypts new cookies, replaced every {@code ntsrotate} seconds, and the previous ones
 * ({@value #KEPT} in all) still accepted, so cookies handed out before a rotation stay valid for
 * about two more rotations. Each key has a 32-bit id carried in its cookies. With
 * {@code ntsdumpdir} the keys are saved after each rotation and read back at start (our own
 * file, {@value #DUMP_FILE}: chronyd's {@code ntskeys} is left alone).
 *
 * <p>Thread-safe: the key list is an immutable value behind a volatile reference, read by the
 * NTS-KE thread and the NTP server threads, replaced by {@link #rotate}.
 */
public final class NtsServerKeys {
    public static final int KEPT = 3;
    public static final String DUMP_FILE = "jchrony-ntskeys";
    private static final String DUMP_HEADER = "jchrony NTS server keys 1";

    /** One key: its id and its 32 bytes. */
    public record Key(int id, byte[] key) {
        public Key {
            if (key.length != 32) throw new IllegalArgumentException("NTS server key must be 32 bytes");
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }
    }

    private volatile List<Key> keys;

    private NtsServerKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /** A fresh set with one random key. */
    public static NtsServerKeys generate(RandomGenerator random) {
        NtsServerKeys k = new NtsServerKeys(List.of());
        k.rotate(random);
        return k;
    }

    /** The given keys, newest first (for tests and the dump). */
    public static NtsServerKeys of(List<Key> newestFirst) {
        if (newestFirst.isEmpty()) throw new IllegalArgumentException("no keys");
        return new NtsServerKeys(newestFirst.subList(0, Math.min(KEPT, newestFirst.size())));
    }

    /** Adds a new current key (id = previous id + 1, random at first) and forgets the oldest beyond {@value #KEPT}. */
    public synchronized void rotate(RandomGenerator random) {
        List<Key> old = keys;
        int id = old.isEmpty() ? random.nextInt() : old.getFirst().id() + 1;
        byte[] k = new byte[32];
        random.nextBytes(k);
        List<Key> next = new ArrayList<>();
        next.add(new Key(id, k));
        for (Key o : old) if (next.size() < KEPT && o.id() != id) next.add(o);
        keys = List.copyOf(next);
    }

    public Key current() {
        return keys.getFirst();
    }

    public Optional<Key> find(int id) {
        for (Key k : keys) if (k.id() == id) return Optional.of(k);
        return Optional.empty();
    }

    public List<Key> keys() {
        return keys;
    }

    /** Writes the keys to {@code dir}/{@value #DUMP_FILE} (mode 0600, replaced atomically). */
    public void save(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder(DUMP_HEADER).append('\n');
        for (Key k : keys) sb.append(Integer.toUnsignedString(k.id())).append(' ').append(HexFormat.of().formatHex(k.key)).append('\n');
        Path tmp = dir.resolve(DUMP_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, sb.toString(), StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(DUMP_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The keys saved in {@code dir}, if the file is there and well-formed. */
    public static Optional<NtsServerKeys> load(Path dir) {
        Path f = dir.resolve(DUMP_FILE);
        try {
            if (!Files.isRegularFile(f)) return Optional.empty();
            List<String> lines = Files.readAllLines(f, StandardCharsets.US_ASCII);
            if (lines.isEmpty() || !lines.getFirst().equals(DUMP_HEADER)) return Optional.empty();
            List<Key> keys = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) continue;
                String[] w = line.trim().split(" ");
                if (w.length != 2) return Optional.empty();
                keys.add(new Key(Integer.parseUnsignedInt(w[0]), HexFormat.of().parseHex(w[1])));
            }
            return keys.isEmpty() ? Optional.empty() : Optional.of(of(keys));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
