package org.jchrony.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jchrony.server.KeyTable;
import org.jchrony.server.SymmetricKeys;

/**
 * An immutable set of symmetric keys as read from one keyfile, with the problems met while
 * reading it. Signs and verifies MACs through a {@link KeyTable} (chronyd's legacy MACs:
 * {@code H(key || packet)} or AES-CMAC), so it can be handed to the server's Responder and to
 * sources alike. Thread-safe (the table's methods are synchronized).
 */
public final class Keys implements AuthKeys {
    public static final Keys EMPTY = new Keys(List.of(), List.of());

    private final Map<Long, SymmetricKey> byId;
    private final List<KeyFileProblem> problems;
    private final KeyTable table = new KeyTable();

    /**
     * Keys in file order; for a duplicated id the first one is kept (as chronyd 4.3 does, after
     * logging "Detected duplicate key N").
     */
    public Keys(List<SymmetricKey> keys, List<KeyFileProblem> problems) {
        Map<Long, SymmetricKey> m = new LinkedHashMap<>();
        for (SymmetricKey k : keys) {
            if (m.putIfAbsent(k.id(), k) == null) table.add(k.id(), k.type().chronyName(), k.value());
        }
        this.byId = Collections.unmodifiableMap(m);
        this.problems = List.copyOf(problems);
    }

    /** Keys by id (first of duplicates). */
    public Map<Long, SymmetricKey> byId() { return byId; }

    public int size() { return byId.size(); }

    /** Lines skipped and why, in file order (duplicates last), each naming file:line. */
    public List<KeyFileProblem> problems() { return problems; }

    public Optional<SymmetricKey> key(long id) { return Optional.ofNullable(byId.get(id)); }

    @Override
    public Optional<KeyInfo> info(long id) {
        SymmetricKey k = byId.get(id);
        return k == null ? Optional.empty() : Optional.of(new KeyInfo(id, k.type(), k.lengthBits()));
    }

    @Override
    public boolean verify(long keyId, byte[] packet, int macStart, int macLength, int truncatedDigestLength) {
        return table.verify(keyId, packet, macStart, macLength, truncatedDigestLength);
    }

    @Override
    public int sign(long keyId, int version, byte[] packet, int length) {
        return table.sign(keyId, version, packet, length);
    }

    /** A new table with these keys (its own digest/cipher instances), for one thread's exclusive use. */
    public KeyTable newTable() {
        KeyTable t = new KeyTable();
        for (SymmetricKey k : byId.values()) t.add(k.id(), k.type().chronyName(), k.value());
        return t;
    }

    /** The table itself (a {@link SymmetricKeys}), e.g. for a Responder that wants no indirection. */
    public SymmetricKeys table() { return table; }

    @Override
    public String toString() { return "Keys" + byId.values(); }
}
