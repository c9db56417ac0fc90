package org.jchrony.ntp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Randomized property test of the packet codec: for random and mutated packets, strict decoding
 * either returns or throws {@link MalformedPacketException} (never anything else), what decodes
 * re-encodes to the same bytes, the allocation-free {@link NtpTrailer#scan} agrees with
 * {@link NtpTrailer#parse}, and the parsed trailer re-encodes byte-exactly.
 */
class NtpPacketPropertyTest {
    private static final int ITERATIONS = 200_000;

    @Test
    void decodeEitherSucceedsAndRoundTripsOrThrowsMalformed() {
        SplittableRandom r = new SplittableRandom(0x5eed);
        int valid = 0, withFields = 0, withMac = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] p = randomPacket(r);
            if (r.nextInt(3) == 0) p = mutate(r, p);
            int offset = r.nextInt(4) == 0 ? r.nextInt(8) : 0;
            byte[] buf = new byte[offset + p.length + r.nextInt(3)];
            System.arraycopy(p, 0, buf, offset, p.length);
            NtpPacket decoded;
            try {
                decoded = NtpPacket.decodeStrict(buf, offset, p.length);
            } catch (MalformedPacketException e) {
                assertThat(NtpTrailer.scan(p, p.length)).as("scan agrees with parse: %s", hex(p)).isEqualTo(NtpTrailer.INVALID);
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("unexpected " + e + " for " + hex(p), e);
            }
            valid++;
            assertThat(decoded.encode()).as("re-encode %s", hex(p)).isEqualTo(p);
            long scan = NtpTrailer.scan(p, p.length);
            assertThat(scan).isNotEqualTo(NtpTrailer.INVALID);
            NtpTrailer t;
            try {
                t = decoded.parseTrailer();
            } catch (MalformedPacketException e) {
                throw new AssertionError("decodeStrict accepted but parseTrailer refused " + hex(p), e);
            }
            assertThat(t.encode()).isEqualTo(Arrays.copyOfRange(p, 48, p.length));
            assertThat(decoded.withTrailer(t)).isEqualTo(decoded);
            if (!t.extensionFields().isEmpty()) withFields++;
            if (t.mac() != null) {
                withMac++;
                assertThat(NtpTrailer.macStart(scan) + NtpTrailer.macLength(scan)).isEqualTo(p.length);
            }
        }
        // the generator must exercise every branch, not only the rejections
        assertThat(valid).isGreaterThan(ITERATIONS / 5);
        assertThat(withFields).isGreaterThan(ITERATIONS / 20);
        assertThat(withMac).isGreaterThan(ITERATIONS / 20);
    }

    @Test
    void arbitraryBytesNeverThrowAnythingElse() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] p = new byte[r.nextInt(0, 1200)];
            r.nextBytes(p);
            int off = r.nextInt(-2, 3);
            int len = r.nextInt(-2, p.length + 3);
            try {
                NtpPacket.decodeStrict(p, off, len);
            } catch (MalformedPacketException expected) {
                // fine
            }
            NtpTrailer.scan(p, Math.max(0, Math.min(len, p.length)));
        }
    }

    static byte[] randomPacket(SplittableRandom r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[48];
        r.nextBytes(header);
        int version = r.nextInt(10) < 7 ? 4 : r.nextInt(8);
        header[0] = (byte) (r.nextInt(4) << 6 | version << 3 | r.nextInt(8));
        out.writeBytes(header);
        int nFields = r.nextInt(4);
        for (int f = 0; f < nFields; f++) {
            int len = switch (r.nextInt(5)) {
                case 0 -> 16;
                case 1 -> 28;
                case 2 -> 4 * r.nextInt(4, 40);
                case 3 -> r.nextInt(0, 64);
                default -> 4 * r.nextInt(7, 12);
            };
            byte[] ef = new byte[Math.max(4, len)];
            r.nextBytes(ef);
            ef[0] = (byte) (r.nextBoolean() ? 0x01 + r.nextInt(4) : r.nextInt(256));
            ef[1] = (byte) (r.nextBoolean() ? 0x04 : r.nextInt(256));
            ef[2] = (byte) (len >>> 8);
            ef[3] = (byte) len;
            out.writeBytes(ef);
        }
        switch (r.nextInt(6)) {
            case 0, 1 -> { }
            case 2 -> out.writeBytes(randomBytes(r, 20));
            case 3 -> out.writeBytes(randomBytes(r, 24));
            case 4 -> out.writeBytes(randomBytes(r, 4 * r.nextInt(1, 18)));
            default -> out.writeBytes(new byte[4]);
        }
        return out.toByteArray();
    }

    static byte[] mutate(SplittableRandom r, byte[] p) {
        byte[] q = p.clone();
        switch (r.nextInt(4)) {
            case 0 -> q[r.nextInt(q.length)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> q = Arrays.copyOf(q, Math.max(0, q.length - r.nextInt(1, 9)));
            case 2 -> q = Arrays.copyOf(q, q.length + r.nextInt(1, 9));
            default -> {
                if (q.length > 52) q[48 + 2 + r.nextInt(2)] = (byte) r.nextInt(256);
            }
        }
        return q;
    }

    static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
