package org.jchrony.discipline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jchrony.clock.LeapFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The leap-second files chronyd reads (leapsectz right/UTC, leapseclist leap-seconds.list), parsed by us. */
class LeapTableTest {
    static final Path RIGHT_UTC = Path.of("/usr/share/zoneinfo/right/UTC");
    static final Path LIST = Path.of("/usr/share/zoneinfo/leap-seconds.list");

    static long day(int y, int m, int d) {
        return LocalDate.of(y, m, d).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    static long noon(int y, int m, int d) {
        return day(y, m, d) + 43_200;
    }

    @Test
    void debiansRightUtcHasTheKnownLeapSeconds() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(RIGHT_UTC), "tzdata's right/UTC not installed");
        LeapTable t = LeapTzif.parse(Files.readAllBytes(RIGHT_UTC), RIGHT_UTC.toString());
        assertThat(t.leaps()).hasSizeGreaterThanOrEqualTo(27);
        assertThat(t.leaps().getFirst().midnightUnixSeconds()).isEqualTo(day(1972, 7, 1));
        assertThat(t.leapAtEndOfDay(noon(2016, 12, 31))).isEqualTo(1);
        assertThat(t.leapAtEndOfDay(day(2016, 12, 31))).isEqualTo(1);
        assertThat(t.leapAtEndOfDay(day(2017, 1, 1) - 1)).isEqualTo(1);
        assertThat(t.leapAtEndOfDay(day(2017, 1, 1))).isZero();
        assertThat(t.leapAtEndOfDay(noon(2016, 12, 30))).isZero();
        assertThat(t.leapAtEndOfDay(noon(2015, 6, 30))).isEqualTo(1);
        assertThat(t.leapAtEndOfDay(noon(2016, 6, 30))).isZero();
        assertThat(t.taiOffsetAt(noon(2016, 12, 31))).isEqualTo(36);
        assertThat(t.taiOffsetAt(day(2017, 1, 1))).isEqualTo(37);
        assertThat(t.taiOffsetAt(day(1971, 1, 1))).isEqualTo(10);
    }

    @Test
    void debiansLeapSecondsListValidatesAndAgreesWithTheZone() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(LIST) && Files.isReadable(RIGHT_UTC), "tzdata files not installed");
        LeapTable list = LeapSecondsList.parse(Files.readString(LIST), LIST.toString());
        LeapTable tz = LeapTzif.parse(Files.readAllBytes(RIGHT_UTC), RIGHT_UTC.toString());
        assertThat(list.leaps()).isEqualTo(tz.leaps());
        assertThat(list.initialTaiOffsetSeconds()).isEqualTo(10);
        assertThat(list.taiOffsetAt(day(2026, 11, 26))).isEqualTo(37);
        assertThat(list.expiryUnixSeconds()).isPresent();
        assertThat(list.expiredAt(day(2016, 12, 31))).isFalse();
        assertThat(list.expiredAt(list.expiryUnixSeconds().getAsLong())).isTrue();
    }

    @Test
    void loaderPrefersTheListAndReadsTheZoneUnderTzdir() {
        Assumptions.assumeTrue(Files.isReadable(LIST) && Files.isReadable(RIGHT_UTC), "tzdata files not installed");
        var fromTz = LeapFiles.load(java.util.Optional.of("right/UTC"), java.util.Optional.empty(), Path.of("/usr/share/zoneinfo"));
        assertThat(fromTz).isPresent();
        assertThat(fromTz.get().origin()).endsWith("right/UTC");
        var fromList = LeapFiles.load(java.util.Optional.of("right/UTC"), java.util.Optional.of(LIST.toString()),
                Path.of("/usr/share/zoneinfo"));
        assertThat(fromList.get().origin()).isEqualTo(LIST.toString());
        assertThat(LeapFiles.load(java.util.Optional.of("No/Such_Zone"), java.util.Optional.empty(),
                Path.of("/usr/share/zoneinfo"))).isEmpty();
        assertThat(LeapFiles.load(java.util.Optional.empty(), java.util.Optional.empty())).isEmpty();
    }

    // --- synthetic files: a deleted second, the hash, damaged input ---

    static final String SMALL_LIST = """
            # a leap-seconds.list with one insertion and one (hypothetical) deletion
            #$\t3900000000
            #@\t4000000000
            2272060800\t10\t# 1 Jan 1972
            2287785600\t11\t# 1 Jul 1972
            3692217600\t37\t# 1 Jan 2017
            3944678400\t36\t# 1 Jan 2025 (made up: a deleted second)
            """;

    static String withHash(String text) throws Exception {
        String digits = "3900000000" + "4000000000" + "227206080010" + "228778560011" + "369221760037" + "394467840036";
        byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(digits.getBytes(StandardCharsets.US_ASCII));
        String hex = java.util.HexFormat.of().formatHex(d);
        StringBuilder h = new StringBuilder("#h\t");
        for (int i = 0; i < 5; i++) {
            // leading zeros dropped, as some published files do
            h.append(Long.toHexString(Long.parseLong(hex.substring(8 * i, 8 * i + 8), 16))).append(' ');
        }
        return text + h.toString().strip() + "\n";
    }

    @Test
    void listStepsOtherThanOneSecondAreRejected() throws Exception {
        assertThatThrownBy(() -> LeapSecondsList.parse(withHash(SMALL_LIST), "small"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jumps by 26");
    }

    static final String DELETION_LIST_BODY = """
            #$\t3900000000
            #@\t4000000000
            2272060800\t10
            3692217600\t11
            3944678400\t10
            """;

    static String hashed(String body) throws Exception {
        StringBuilder digits = new StringBuilder();
        for (String line : body.split("\n")) {
            String l = line.strip();
            if (l.startsWith("#$") || l.startsWith("#@")) digits.append(l.substring(2).strip());
            else if (!l.isEmpty() && !l.startsWith("#")) for (String f : l.split("\\s+")) digits.append(f);
        }
        byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(digits.toString().getBytes(StandardCharsets.US_ASCII));
        String hex = java.util.HexFormat.of().formatHex(d);
        return body + "#h\t" + String.join(" ", List.of(hex.substring(0, 8), hex.substring(8, 16), hex.substring(16, 24),
                hex.substring(24, 32), hex.substring(32, 40))) + "\n";
    }

    @Test
    void deletedSecondFromAList() throws Exception {
        LeapTable t = LeapSecondsList.parse(hashed(DELETION_LIST_BODY), "del");
        assertThat(t.leaps()).extracting(LeapTable.Leap::delta).containsExactly(1, -1);
        assertThat(t.leapAtEndOfDay(noon(2016, 12, 31))).isEqualTo(1);
        assertThat(t.leapAtEndOfDay(noon(2024, 12, 31))).isEqualTo(-1);
        assertThat(t.taiOffsetAt(day(2025, 1, 1))).isEqualTo(10);
        assertThat(t.expiryUnixSeconds().getAsLong()).isEqualTo(4_000_000_000L - LeapSecondsList.NTP_UNIX_OFFSET_SECONDS);
    }

    @Test
    void damagedListIsRejectedByItsHash() throws Exception {
        String good = hashed(DELETION_LIST_BODY);
        assertThat(LeapSecondsList.parse(good, "ok").leaps()).hasSize(2);
        String edited = good.replace("3944678400\t10", "3944678400\t12");
        assertThatThrownBy(() -> LeapSecondsList.parse(edited, "edited")).hasMessageContaining("hash mismatch");
        assertThatThrownBy(() -> LeapSecondsList.parse("# nothing\n", "empty")).hasMessageContaining("no leap second data");
        assertThatThrownBy(() -> LeapSecondsList.parse("2272060800 10\n3692217601 11\n", "noon"))
                .hasMessageContaining("not at a UTC midnight");
    }

    /** A TZif file with only leap records: v1 (32-bit) block, then optionally a v2 (64-bit) block. */
    static byte[] tzif(boolean v2, long[] occurrences, int[] corrections) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (int pass = 0; pass < (v2 ? 2 : 1); pass++) {
            out.writeBytes("TZif");
            out.writeByte(v2 ? '2' : 0);
            out.write(new byte[15]);
            int[] counts = {0, 0, occurrences.length, 0, 1, 4};
            for (int c : counts) out.writeInt(c);
            out.writeInt(0); // ttinfo utoff
            out.writeByte(0); // isdst
            out.writeByte(0); // desigidx
            out.writeBytes("UTC\0");
            for (int i = 0; i < occurrences.length; i++) {
                // the 32-bit block holds junk in the v2 case, to prove the 64-bit block is used
                if (pass == 0) out.writeInt(v2 ? 0x7fff0000 + i : (int) occurrences[i]);
                else out.writeLong(occurrences[i]);
                out.writeInt(corrections[i]);
            }
        }
        if (v2) out.writeBytes("\nUTC0\n");
        return bytes.toByteArray();
    }

    @Test
    void tzifInsertAndDeleteRecords() throws IOException {
        long ins = day(2017, 1, 1);
        long del = day(2025, 1, 1);
        // insertion: 23:59:60 counted with 0 earlier corrections; deletion: 23:59:59 counted with 1
        long[] occ = {ins + 0, del - 1 + 1};
        int[] corr = {1, 0};
        for (boolean v2 : new boolean[] {false, true}) {
            LeapTable t = LeapTzif.parse(tzif(v2, occ, corr), "synthetic");
            assertThat(t.leaps()).containsExactly(new LeapTable.Leap(ins, 1, 11), new LeapTable.Leap(del, -1, 10));
            assertThat(t.leapAtEndOfDay(noon(2024, 12, 31))).isEqualTo(-1);
        }
    }

    @Test
    void tzifExpiryMarkerAndDamage() throws IOException {
        long ins = day(2017, 1, 1);
        long expiry = day(2026, 12, 28);
        LeapTable t = LeapTzif.parse(tzif(true, new long[] {ins, expiry + 1}, new int[] {1, 1}), "v4");
        assertThat(t.leaps()).hasSize(1);
        assertThat(t.expiryUnixSeconds().getAsLong()).isEqualTo(expiry);
        byte[] good = tzif(false, new long[] {ins}, new int[] {1});
        assertThatThrownBy(() -> LeapTzif.parse(java.util.Arrays.copyOf(good, good.length - 3), "cut"))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> LeapTzif.parse("not a tz file at all, just some text here....".getBytes(), "text"))
                .hasMessageContaining("not a TZif");
        assertThatThrownBy(() -> LeapTzif.parse(tzif(false, new long[] {ins}, new int[] {3}), "jump"))
                .hasMessageContaining("jumps by 3");
    }

    @Test
    void leapDaysAreTheEndsOfJuneAndDecemberOnly() {
        assertThat(LeapSecondPlanner.isLeapDay(noon(2016, 12, 31))).isTrue();
        assertThat(LeapSecondPlanner.isLeapDay(noon(2015, 6, 30))).isTrue();
        assertThat(LeapSecondPlanner.isLeapDay(noon(2016, 12, 30))).isFalse();
        assertThat(LeapSecondPlanner.isLeapDay(noon(2016, 3, 31))).isFalse();
        assertThat(LeapSecondPlanner.isLeapDay(day(2017, 1, 1))).isFalse();
        assertThat(LeapSecondPlanner.describe(0)).isEqualTo("Normal");
        assertThat(LeapSecondPlanner.describe(1)).isEqualTo("Insert second");
        assertThat(LeapSecondPlanner.describe(2)).isEqualTo("Delete second");
        assertThat(LeapSecondPlanner.describe(3)).isEqualTo("Not synchronised");
    }
}
