package org.jchrony.auth;

import java.nio.file.Path;
import java.util.Optional;
import org.jchrony.server.KeyTable;
import org.jchrony.server.SymmetricKeys;

/**
 * The daemon's current symmetric keys: the {@code keyfile} read at start and re-read by
 * {@code chronyc rekey} (chronyd replaces the whole table; a keyfile gone at rekey leaves no
 * keys). Sources and the server hold this object, so a rekey reaches them all at once: a source
 * whose key was missing starts sending, one whose key vanished stops (chronyd 4.3 sends nothing
 * with a missing key).
 * <p>Thread-safe: {@link #reload} may run on the core thread while server threads verify and
 * sign through the previous snapshot.
 */
public final class KeyRing implements AuthKeys {
    private final Path file;
    private volatile Keys current;

    /** No keyfile configured: no keys, {@link #reload} keeps it empty. */
    public static KeyRing none() {
        return new KeyRing(null, Keys.EMPTY);
    }

    /** Reads {@code file} now (problems logged as warnings) and remembers it for {@link #reload}. */
    public static KeyRing load(Path file) {
        return new KeyRing(file, KeyFile.loadAndLog(file));
    }

    /** A ring over keys already read (tests, or keys parsed elsewhere); reload re-reads {@code file} if non-null. */
    public KeyRing(Path file, Keys keys) {
        this.file = file;
        this.current = keys;
    }

    /** chronyc rekey: re-reads the keyfile (if any) and returns the new keys. */
    public Keys reload() {
        if (file == null) return current;
        Keys k = KeyFile.loadAndLog(file);
        current = k;
        return k;
    }

    public Optional<Path> file() { return Optional.ofNullable(file); }

    /** The current snapshot. */
    public Keys keys() { return current; }

    @Override
    public Optional<KeyInfo> info(long id) { return current.info(id); }

    /**
     * A view for one server thread: same keys (a reload is picked up at the next packet), but
     * signing and verifying use digest/cipher instances of its own, so server threads never wait
     * for each other's MACs. Use one view per thread (e.g. in the per-loop Responder initializer).
     */
    public SymmetricKeys threadConfinedView() {
        return new SymmetricKeys() {
            private Keys seen;
            private KeyTable table;

            private KeyTable table() {
                Keys k = current;
                if (k != seen) {
                    seen = k;
                    table = k.newTable();
                }
                return table;
            }

            @Override
            public boolean verify(long keyId, byte[] packet, int macStart, int macLength, int truncatedDigestLength) {
                return table().verify(keyId, packet, macStart, macLength, truncatedDigestLength);
            }

            @Override
            public int sign(long keyId, int version, byte[] packet, int length) {
                return table().sign(keyId, version, packet, length);
            }
        };
    }

    @Override
    public boolean verify(long keyId, byte[] packet, int macStart, int macLength, int truncatedDigestLength) {
        return current.verify(keyId, packet, macStart, macLength, truncatedDigestLength);
    }

    @Override
    public int sign(long keyId, int version, byte[] packet, int length) {
        return current.sign(keyId, version, packet, length);
    }
}
