package org.jchrony.discipline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Parser for the NIST/IERS {@code leap-seconds.list} format, the file chronyd's {@code leapseclist}
 * directive names (Debian ships /usr/share/zoneinfo/leap-seconds.list).
 *
 * <p>Format, as published with the file: data lines are "NTP-seconds TAI−UTC [# comment]", the
 * NTP time being the instant (00:00:00 UTC of a 1 January or 1 July, normally) from which the
 * offset applies; comment lines start with '#'; three special comments carry the last update
 * ({@code #$ NTP-seconds}), the expiry ({@code #@ NTP-seconds}) and an SHA-1 hash ({@code #h}
 * five hex words) computed over the digits of the update time, the expiry and every data line's
 * two numbers, in file order. The hash is checked when present; a mismatch, an offset change
 * other than ±1 s, an instant not at a UTC midnight or times out of order make the file invalid.
 */
public final class LeapSecondsList {
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    public static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private LeapSecondsList() {}

    /** Parses the file's text; {@code origin} names it in error messages. */
    public static LeapTable parse(String text, String origin) {
        Long updateNtp = null;
        Long expiryNtp = null;
        int[] hash = null;
        StringBuilder hashed = new StringBuilder();
        List<long[]> entries = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\\R")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty()) continue;
            try {
                if (line.startsWith("#$")) {
                    updateNtp = Long.parseLong(firstWord(line.substring(2)));
                } else if (line.startsWith("#@")) {
                    expiryNtp = Long.parseLong(firstWord(line.substring(2)));
                } else if (line.startsWith("#h")) {
                    String[] words = line.substring(2).strip().split("\\s+");
                    if (words.length != 5) throw new IllegalArgumentException("hash line needs 5 words");
                    hash = new int[5];
                    for (int i = 0; i < 5; i++) hash[i] = Integer.parseUnsignedInt(words[i], 16);
                } else if (!line.startsWith("#")) {
                    int hashAt = line.indexOf('#');
                    String data = (hashAt >= 0 ? line.substring(0, hashAt) : line).strip();
                    String[] f = data.split("\\s+");
                    if (f.length < 2) throw new IllegalArgumentException("expected NTP-time and TAI-UTC");
                    long ntp = Long.parseLong(f[0]);
                    int offset = Integer.parseInt(f[1]);
                    entries.add(new long[] {ntp, offset});
                    hashed.append(f[0]).append(f[1]);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(origin + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        if (entries.isEmpty()) throw new IllegalArgumentException(origin + ": no leap second data");
        if (hash != null) {
            if (updateNtp == null || expiryNtp == null) {
                throw new IllegalArgumentException(origin + ": hash without update and expiry times");
            }
            String input = Long.toString(updateNtp) + expiryNtp + hashed;
            int[] computed = sha1Words(input);
            if (!java.util.Arrays.equals(hash, computed)) {
                throw new IllegalArgumentException(origin + ": hash mismatch (file damaged or edited)");
            }
        }
        long[] midnights = new long[entries.size()];
        int[] offsets = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            midnights[i] = entries.get(i)[0] - NTP_UNIX_OFFSET_SECONDS;
            offsets[i] = (int) entries.get(i)[1];
            if (i > 0 && midnights[i] <= midnights[i - 1]) {
                throw new IllegalArgumentException(origin + ": times not increasing");
            }
        }
        // The first line (1972-01-01, 10 s) gives the starting offset; it is not a leap second.
        int initial = offsets[0];
        long[] restM = java.util.Arrays.copyOfRange(midnights, 1, midnights.length);
        int[] restO = java.util.Arrays.copyOfRange(offsets, 1, offsets.length);
        List<LeapTable.Leap> leaps = LeapTable.fromOffsets(restM, restO, initial, origin);
        OptionalLong expiry = expiryNtp == null ? OptionalLong.empty()
                : OptionalLong.of(expiryNtp - NTP_UNIX_OFFSET_SECONDS);
        return new LeapTable(leaps, initial, expiry, origin);
    }

    private static String firstWord(String s) {
        String t = s.strip();
        int sp = t.indexOf(' ');
        int tab = t.indexOf('\t');
        int end = sp < 0 ? tab : tab < 0 ? sp : Math.min(sp, tab);
        return end < 0 ? t : t.substring(0, end);
    }

    private static int[] sha1Words(String input) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(input.getBytes(StandardCharsets.US_ASCII));
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
            int[] w = new int[5];
            for (int i = 0; i < 5; i++) w[i] = b.getInt(4 * i);
            return w;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }
}
