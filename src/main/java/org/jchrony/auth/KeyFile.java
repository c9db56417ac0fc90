package org.jchrony.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a chrony keyfile ({@code keyfile} directive) as chronyd 4.3 does (observed on Debian's
 * build):
 * <ul>
 * <li>One key per line, {@code ID [TYPE] KEY}; the type defaults to MD5 and is case-sensitive
 *     (MD5, SHA1, SHA256, SHA384, SHA512, SHA3-224, SHA3-256, SHA3-384, SHA3-512, AES128,
 *     AES256). KEY is {@code HEX:} followed by an even number of hex digits, {@code ASCII:}
 *     followed by the key, or the key itself in ASCII.</li>
 * <li>Blank lines and lines starting with {@code #}, {@code !}, {@code ;} or {@code %} are
 *     ignored; a {@code #} later in a line is not a comment (the line then has too many words).</li>
 * <li>Bad lines are skipped with chronyd's message: "Could not parse key" (not 2 or 3 words, id
 *     not a number), "Could not decode key N" (bad or empty HEX/ASCII value), "Invalid type in key
 *     N", "Unsupported hash function in key N" (TIGER, WHIRLPOOL), "Invalid length of AES128 key N
 *     (expected 128 bits)"; then "Detected duplicate key N" for each id given twice (the first is
 *     kept). Our messages add file:line.</li>
 * <li>A keyfile that cannot be opened is a warning ("Could not open keyfile PATH"): no keys.</li>
 * </ul>
 * Deviation: ids beyond 32 bits or negative are parse errors here (chronyd 4.3 wraps them).
 * Short keys (under 80 bits) are accepted; chronyd warns only when a source uses one.
 */
public final class KeyFile {
    private static final Logger log = LoggerFactory.getLogger(KeyFile.class);

    private KeyFile() {}

    /**
     * Reads {@code file}. Never throws for bad content or a missing file: problems are returned in
     * {@link Keys#problems()} (and not logged; see {@link #loadAndLog}).
     */
    public static Keys load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return new Keys(List.of(), List.of(new KeyFileProblem(file.toString(), 0, "Could not open keyfile " + file)));
        }
        return parse(file.toString(), lines);
    }

    /** {@link #load} and log each problem as a warning, as chronyd logs them. */
    public static Keys loadAndLog(Path file) {
        Keys keys = load(file);
        for (KeyFileProblem p : keys.problems()) log.warn("{}", p);
        log.debug("Loaded {} symmetric keys from {}", keys.size(), file);
        return keys;
    }

    /** Parses keyfile lines; {@code fileName} is used in problems only. */
    public static Keys parse(String fileName, List<String> lines) {
        List<SymmetricKey> keys = new ArrayList<>();
        List<KeyFileProblem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String l = lines.get(i).strip();
            if (l.isEmpty() || "#!;%".indexOf(l.charAt(0)) >= 0) continue;
            String[] w = l.split("[ \t]+");
            Long id = w.length == 2 || w.length == 3 ? parseId(w[0]) : null;
            if (id == null) {
                problems.add(new KeyFileProblem(fileName, lineNo, "Could not parse key at line " + lineNo + " in file " + fileName));
                continue;
            }
            String typeName = w.length == 3 ? w[1] : "MD5";
            Optional<byte[]> value = decode(w[w.length - 1]);
            if (value.isEmpty()) {
                problems.add(new KeyFileProblem(fileName, lineNo, "Could not decode key " + id));
                continue;
            }
            Optional<KeyType> type = KeyType.ofChronyName(typeName);
            if (type.isEmpty()) {
                problems.add(new KeyFileProblem(fileName, lineNo, KeyType.isKnownUnsupported(typeName)
                        ? "Unsupported hash function in key " + id : "Invalid type in key " + id));
                continue;
            }
            KeyType t = type.get();
            if (t.isCmac() && value.get().length != t.requiredKeyBytes()) {
                problems.add(new KeyFileProblem(fileName, lineNo, "Invalid length of " + t.chronyName() + " key " + id
                        + " (expected " + t.requiredKeyBytes() * 8 + " bits)"));
                continue;
            }
            keys.add(new SymmetricKey(id, t, value.get(), fileName, lineNo));
        }
        Set<Long> seen = new HashSet<>();
        for (SymmetricKey k : keys) {
            if (!seen.add(k.id())) {
                problems.add(new KeyFileProblem(fileName, k.line(), "Detected duplicate key " + k.id()));
            }
        }
        return new Keys(keys, problems);
    }

    private static Long parseId(String s) {
        if (s.isEmpty() || s.length() > 10) return null;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return null;
        long v = Long.parseLong(s);
        return v > 0xffff_ffffL ? null : v;
    }

    /** A keyfile KEY word: {@code HEX:...}, {@code ASCII:...} or plain ASCII; empty if undecodable or empty. */
    public static Optional<byte[]> decode(String word) {
        byte[] v;
        if (word.startsWith("HEX:")) {
            String h = word.substring(4);
            if ((h.length() & 1) != 0) return Optional.empty();
            try {
                v = HexFormat.of().parseHex(h);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        } else {
            String a = word.startsWith("ASCII:") ? word.substring(6) : word;
            v = a.getBytes(StandardCharsets.ISO_8859_1);
        }
        return v.length == 0 ? Optional.empty() : Optional.of(v);
    }
}
