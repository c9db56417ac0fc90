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
 * The NTS server's cookie keys, as chronyd 4.3 keeps them: a current AEAD_AES_SIV_CMAC_256 key
 * that encrypts new cookies, the two previous ones still accepted (so cookies handed out before a
 * rotation stay valid for about two more rotations), and the next key, made in advance and also
 * accepted, which becomes current at the next {@code ntsrotate}. Each key has a 32-bit id carried
 * in its cookies; ids go up by one per rotation.
 *
 * <p>With {@code ntsdumpdir} the keys are kept in chronyd's own file, {@value #CHRONYD_FILE}, so
 * switching between chronyd and jchronyd keeps the cookies clients hold valid. Its format, as
 * chronyd 4.3 writes it: the line {@code NKS0}; a line with the AEAD id (15) and the seconds since
 * the last rotation ({@link #loadedAgeSeconds()} after reading); then one line per key, {@code IDHEX KEYHEX}
 * (8 and 64 upper-case hex digits), oldest first, the current key second to last and the next key
 * last. jchrony's previous own file {@value #DUMP_FILE} is read only when chronyd's is absent.
 *
 * <p>Thread-safe: the key list is an immutable value behind a volatile reference, read by the
 * NTS-KE thread and the NTP server threads, replaced by {@link #rotate}.
 */
public final class NtsServerKeys {
    /** Keys accepted besides the next one: the current and two previous. */
    public static final int KEPT = 3;
    /** chronyd's file in {@code ntsdumpdir}. */
    public static final String CHRONYD_FILE = "ntskeys";
    /** jchrony's earlier own file, read when chronyd's is absent. */
    public static final String DUMP_FILE = "jchrony-ntskeys";
    private static final String DUMP_HEADER = "jchrony NTS server keys 1";
    private static final String CHRONYD_HEADER = "NKS0";
    private static final int AEAD_SIV_CMAC_256 = 15;

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

    /** Current first, then the previous ones; the last element is the next key. */
    private record State(List<Key> kept, Key next) {}

    private volatile State state;
    private double loadedAgeSeconds;

    private NtsServerKeys(List<Key> kept, Key next) {
        this.state = new State(List.copyOf(kept), next);
    }

    private static Key randomKey(int id, RandomGenerator random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return new Key(id, k);
    }

    /** A fresh set, as chronyd makes at start: a random current key, two older ones and the next one, ids consecutive. */
    public static NtsServerKeys generate(RandomGenerator random) {
        int id = random.nextInt();
        return new NtsServerKeys(List.of(randomKey(id, random), randomKey(id - 1, random), randomKey(id - 2, random)),
                randomKey(id + 1, random));
    }

    /** The given keys, newest first (for tests); the next key is made with {@code random}. */
    public static NtsServerKeys of(List<Key> newestFirst, RandomGenerator random) {
        if (newestFirst.isEmpty()) throw new IllegalArgumentException("no keys");
        return new NtsServerKeys(newestFirst.subList(0, Math.min(KEPT, newestFirst.size())),
                randomKey(newestFirst.getFirst().id() + 1, random));
    }

    /** The given keys, newest first (for tests and the dump); the next key is random. */
    public static NtsServerKeys of(List<Key> newestFirst) {
        return of(newestFirst, new java.security.SecureRandom());
    }

    /** The next key becomes current (a new next key gets id + 1) and the oldest beyond {@value #KEPT} is forgotten. */
    public synchronized void rotate(RandomGenerator random) {
        State old = state;
        List<Key> kept = new ArrayList<>();
        kept.add(old.next);
        for (Key o : old.kept) if (kept.size() < KEPT && o.id() != old.next.id()) kept.add(o);
        state = new State(List.copyOf(kept), randomKey(old.next.id() + 1, random));
    }

    public Key current() {
        return state.kept.getFirst();
    }

    /** The key made in advance for the next rotation (accepted too, as chronyd). */
    public Key next() {
        return state.next;
    }

    public Optional<Key> find(int id) {
        State s = state;
        for (Key k : s.kept) if (k.id() == id) return Optional.of(k);
        if (s.next.id() == id) return Optional.of(s.next);
        return Optional.empty();
    }

    /** The kept keys, current first (without the next key). */
    public List<Key> keys() {
        return state.kept;
    }

    /** Seconds since the last rotation, as the file read said (0 for keys not read from chronyd's file). */
    public double loadedAgeSeconds() {
        return loadedAgeSeconds;
    }

    /** {@link #toChronydText(double)} with 0 s since the last rotation. */
    public String toChronydText() {
        return toChronydText(0);
    }

    /** The keys in chronyd's format (see the class comment), {@code ageSeconds} after the last rotation. */
    public String toChronydText(double ageSeconds) {
        State s = state;
        HexFormat hex = HexFormat.of().withUpperCase();
        StringBuilder sb = new StringBuilder(CHRONYD_HEADER).append('\n');
        sb.append(AEAD_SIV_CMAC_256).append(' ')
                .append(String.format(java.util.Locale.ROOT, "%.1f", Math.max(0, ageSeconds))).append('\n');
        for (Key k : s.kept.reversed()) sb.append(hex.toHexDigits(k.id())).append(' ').append(hex.formatHex(k.key)).append('\n');
        sb.append(hex.toHexDigits(s.next.id())).append(' ').append(hex.formatHex(s.next.key)).append('\n');
        return sb.toString();
    }

    /** Keys from chronyd's format; empty if malformed, of another AEAD, or with fewer than two keys. */
    public static Optional<NtsServerKeys> parseChronydText(String text) {
        try {
            String[] lines = text.split("\n");
            if (lines.length < 4 || !lines[0].trim().equals(CHRONYD_HEADER)) return Optional.empty();
            String[] head = lines[1].trim().split("\\s+");
            if (head.length < 1 || Integer.parseInt(head[0]) != AEAD_SIV_CMAC_256) return Optional.empty();
            List<Key> oldestFirst = new ArrayList<>();
            for (int i = 2; i < lines.length; i++) {
                if (lines[i].isBlank()) continue;
                String[] w = lines[i].trim().split("\\s+");
                if (w.length != 2 || w[0].length() != 8) return Optional.empty();
                oldestFirst.add(new Key(HexFormat.fromHexDigits(w[0]), HexFormat.of().parseHex(w[1])));
            }
            if (oldestFirst.size() < 2) return Optional.empty();
            Key next = oldestFirst.getLast();
            List<Key> kept = oldestFirst.subList(0, oldestFirst.size() - 1).reversed();
            NtsServerKeys keys = new NtsServerKeys(kept.subList(0, Math.min(KEPT, kept.size())), next);
            if (head.length > 1) {
                double age = Double.parseDouble(head[1]);
                if (Double.isFinite(age) && age > 0) keys.loadedAgeSeconds = age;
            }
            return Optional.of(keys);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@link #save(Path, double)} with 0 s since the last rotation. */
    public void save(Path dir) throws IOException {
        save(dir, 0);
    }

    /** Writes the keys to {@code dir}/{@value #CHRONYD_FILE} in chronyd's format (mode 0600, replaced atomically). */
    public void save(Path dir, double ageSeconds) throws IOException {
        Path tmp = dir.resolve(CHRONYD_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, toChronydText(ageSeconds), StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(CHRONYD_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The keys saved in {@code dir}: chronyd's file, else jchrony's earlier one, if there and well-formed. */
    public static Optional<NtsServerKeys> load(Path dir) {
        Path c = dir.resolve(CHRONYD_FILE);
        try {
            if (Files.isRegularFile(c)) return parseChronydText(Files.readString(c, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
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
