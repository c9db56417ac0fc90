package org.jchrony.server;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * chronyd's client log and response rate limiting (clientlog.c semantics, chronyd 4.3):
 * <ul>
 * <li>A hash table of per-address records in slots of 16, doubling while the memory limit
 *     ({@code clientloglimit}, 524288 bytes by default = 4096 records; 80 bytes per record, 1.5x
 *     for the copy during growth, a power of two) allows; when a slot is full and the table can
 *     not grow, the record with the oldest last access (then fewest hits) is replaced and counted
 *     in "Client log records dropped".</li>
 * <li>Per address and service (NTP, NTS-KE, command): hits, drops, last access time (1/16 s
 *     resolution), a rough moving average of the log2 request interval, and a token bucket.</li>
 * <li>Token bucket ({@code ratelimit interval I burst B leak L}): a request spends 2^(4+I) tokens
 *     in units of 1/16 s (scaled down to fit 16 bits); tokens refill with time up to B requests'
 *     worth. Without enough tokens the request is still answered with probability 1/2^L (which
 *     then empties the bucket), otherwise dropped. For NTP, a client whose request rate while it
 *     gets no answers is more than twice its rate while answered has the leak inverted (most
 *     requests answered). With {@code kod K} (4.4+), 1/2^K of the would-be drops get KoD RATE.</li>
 * <li>{@code noclientlog}: nothing recorded (the totals still count); rate limiting is then
 *     not allowed, as in chronyd.</li>
 * </ul>
 * The packet path ({@link #access}) allocates nothing once the table has grown: records are
 * parallel primitive arrays. All methods are synchronized: one instance is shared by all server
 * threads and the command handler, like chronyd's single table.
 */
public final class ClientLog {
    public static final int NTP = 0;
    public static final int NTSKE = 1;
    public static final int CMDMON = 2;
    private static final int SERVICES = 3;

    /** {@link #access} results. */
    public static final int PASS = 0;
    public static final int DROP = 1;
    public static final int KOD = 2;

    public static final long DEFAULT_LIMIT_BYTES = 524_288L;

    private static final int SLOT_BITS = 4;
    private static final int SLOT_SIZE = 1 << SLOT_BITS;
    private static final int MAX_SLOTS = 1 << (24 - SLOT_BITS);
    /** chronyd's per-record cost: record + interleaved-mode timestamp entry. */
    private static final int RECORD_BYTES = 64 + 16;
    private static final int TS_FRAC = 4;
    private static final int INVALID_TS = 0;
    private static final int RATE_SCALE = 4;
    private static final int MIN_RATE = -14 * RATE_SCALE;
    private static final int INVALID_RATE = -128;

    private final boolean active;
    private final int maxSlots;
    private final int[] maxTokens = new int[SERVICES];
    private final int[] tokensPerHit = new int[SERVICES];
    private final int[] tokenShift = new int[SERVICES];
    private final int[] leakRate = new int[SERVICES];
    private final int[] kodRate = new int[SERVICES];
    private final int[] limitInterval = new int[SERVICES];
    private final long tsOffsetNanos;
    private final long hashSeed;
    private final RandomGenerator random;
    private int rnd;
    private int rndBitsLeft;

    private int slots;
    private byte[] family; // 0 = empty, 4 or 6
    private long[] addrHi;
    private long[] addrLo;
    private int[] lastHit;
    private int[] hits;
    private int[] drops;
    private int[] tokens;
    private byte[] rate;
    private byte[] ntpTimeoutRate;
    private byte[] dropFlags;

    private final long[] totalHits = new long[SERVICES];
    private final long[] totalDrops = new long[SERVICES];
    private long totalRecordDrops;
    private long totalNtpAuthHits;
    private long totalKodRate;
    private long totalInterleavedHits;
    private final NtpTimestampMap ntpTimestamps;

    /**
     * @param ntpLimit {@code ratelimit}, or null when not configured
     * @param ntsKeLimit {@code ntsratelimit}, or null
     * @param cmdLimit {@code cmdratelimit}, or null
     * @param noClientLog {@code noclientlog}
     * @param limitBytes {@code clientloglimit} (default {@link #DEFAULT_LIMIT_BYTES})
     * @param random source of the leak/KoD decisions and the table's hash seed
     * @throws IllegalArgumentException when rate limiting is combined with noclientlog (fatal in chronyd)
     */
    public ClientLog(RateLimit ntpLimit, RateLimit ntsKeLimit, RateLimit cmdLimit,
            boolean noClientLog, long limitBytes, RandomGenerator random) {
        this.random = Objects.requireNonNull(random);
        RateLimit[] limits = {ntpLimit, ntsKeLimit, cmdLimit};
        for (int s = 0; s < SERVICES; s++) {
            limitInterval[s] = RateLimit.MIN_INTERVAL;
            if (limits[s] == null) continue;
            setBucket(s, limits[s].clampedInterval(), limits[s].clampedBurst());
            leakRate[s] = limits[s].clampedLeak();
            kodRate[s] = limits[s].clampedKod();
            limitInterval[s] = limits[s].clampedInterval();
        }
        active = !noClientLog;
        if (!active && (ntpLimit != null || ntsKeLimit != null || cmdLimit != null)) {
            throw new IllegalArgumentException("Rate limiting cannot be enabled with noclientlog");
        }
        long max = Math.max(0, limitBytes) / (RECORD_BYTES * SLOT_SIZE * 3L / 2);
        maxSlots = (int) Math.clamp(max, 1, MAX_SLOTS);
        tsOffsetNanos = Math.floorMod(random.nextInt(), 1_000_000_000 / (1 << TS_FRAC));
        hashSeed = random.nextLong();
        int slots2 = 0;
        while ((1L << (slots2 + 1)) <= maxSlots) slots2++;
        ntpTimestamps = active ? new NtpTimestampMap(1 << (slots2 + SLOT_BITS)) : null;
        if (active) {
            slots = 0;
            expand();
        }
    }

    /** A log with chronyd's defaults and no rate limiting. */
    public static ClientLog unlimited(RandomGenerator random) {
        return new ClientLog(null, null, null, false, DEFAULT_LIMIT_BYTES, random);
    }

    private void setBucket(int s, int interval, int burst) {
        int shift;
        int perHit;
        if (interval >= -TS_FRAC) {
            for (shift = 0; shift < interval + TS_FRAC; shift++) {
                if ((burst << (TS_FRAC + interval - shift)) < (1 << 16)) break;
            }
        } else {
            shift = interval + TS_FRAC; // negative: coarse limiting
            burst = Math.max(1 << -shift, burst);
        }
        perHit = 1 << (TS_FRAC + interval - shift); // 1 in the coarse case
        tokenShift[s] = shift;
        tokensPerHit[s] = perHit;
        maxTokens[s] = perHit * burst;
    }

    /** Log2 of the NTP rate-limiting interval (-19 without {@code ratelimit}): the lowest poll a reply advertises. */
    public int ntpMinPoll() {
        return limitInterval[NTP];
    }

    // ---------------------------------------------------------------- table

    private static int capacityFor(int slots) {
        return slots * SLOT_SIZE;
    }

    private boolean expand() {
        if (2L * slots > maxSlots) return false;
        int newSlots = Math.max(1, 2 * slots);
        byte[] oFamily = family;
        long[] oHi = addrHi, oLo = addrLo;
        int[] oLast = lastHit, oHits = hits, oDrops = drops, oTokens = tokens;
        byte[] oRate = rate, oTimeout = ntpTimeoutRate, oFlags = dropFlags;
        int cap = capacityFor(newSlots);
        slots = newSlots;
        family = new byte[cap];
        addrHi = new long[cap];
        addrLo = new long[cap];
        lastHit = new int[cap * SERVICES];
        hits = new int[cap * SERVICES];
        drops = new int[cap * SERVICES];
        tokens = new int[cap * SERVICES];
        rate = new byte[cap * SERVICES];
        ntpTimeoutRate = new byte[cap];
        dropFlags = new byte[cap];
        if (oFamily == null) return true;
        for (int i = 0; i < oFamily.length; i++) {
            if (oFamily[i] == 0) continue;
            int n = find(oFamily[i], oHi[i], oLo[i]);
            System.arraycopy(oLast, i * SERVICES, lastHit, n * SERVICES, SERVICES);
            System.arraycopy(oHits, i * SERVICES, hits, n * SERVICES, SERVICES);
            System.arraycopy(oDrops, i * SERVICES, drops, n * SERVICES, SERVICES);
            System.arraycopy(oTokens, i * SERVICES, tokens, n * SERVICES, SERVICES);
            System.arraycopy(oRate, i * SERVICES, rate, n * SERVICES, SERVICES);
            ntpTimeoutRate[n] = oTimeout[i];
            dropFlags[n] = oFlags[i];
        }
        return true;
    }

    private int hash(long hi, long lo, int fam) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ (lo + hashSeed) ^ fam;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) (h & 0x7fff_ffff);
    }

    private static int compareTs(int x, int y) {
        if (x == y) return 0;
        if (y == INVALID_TS) return 1;
        return x - y > 0 ? 1 : -1;
    }

    private long totalHitsOf(int i) {
        long n = 0;
        for (int s = 0; s < SERVICES; s++) n += hits[i * SERVICES + s] & 0xffff_ffffL;
        return n;
    }

    /** Finds or creates the record of an address (chronyd's get_record); never fails. */
    private int find(byte fam, long hi, long lo) {
        while (true) {
            int first = hash(hi, lo, fam) % slots * SLOT_SIZE;
            int oldest = -1;
            int oldestHit = 0;
            int i;
            for (i = 0; i < SLOT_SIZE; i++) {
                int r = first + i;
                if (family[r] == fam && addrHi[r] == hi && addrLo[r] == lo) return r;
                if (family[r] == 0) {
                    oldest = -1;
                    break;
                }
                int last = 0;
                for (int s = 0; s < SERVICES; s++) {
                    int t = lastHit[r * SERVICES + s];
                    if (s == 0 || compareTs(last, t) < 0) last = t;
                }
                if (oldest < 0 || compareTs(oldestHit, last) > 0
                        || (oldestHit == last && totalHitsOf(oldest) > totalHitsOf(r))) {
                    oldest = r;
                    oldestHit = last;
                }
            }
            int r;
            if (i < SLOT_SIZE) {
                r = first + i;
            } else if (expand()) {
                continue;
            } else {
                r = oldest;
                totalRecordDrops++;
            }
            family[r] = fam;
            addrHi[r] = hi;
            addrLo[r] = lo;
            for (int s = 0; s < SERVICES; s++) {
                int k = r * SERVICES + s;
                lastHit[k] = INVALID_TS;
                hits[k] = 0;
                drops[k] = 0;
                tokens[k] = maxTokens[s];
                rate[k] = (byte) INVALID_RATE;
            }
            ntpTimeoutRate[r] = (byte) INVALID_RATE;
            dropFlags[r] = 0;
            return r;
        }
    }

    private int ts(long nowNanos) {
        long ns = nowNanos + tsOffsetNanos;
        long sec = Math.floorDiv(ns, 1_000_000_000L);
        long nsec = Math.floorMod(ns, 1_000_000_000L);
        return (int) (sec << TS_FRAC) | (int) ((nsec << TS_FRAC) / 1_000_000_000L);
    }

    private void update(int service, int r, long nowNanos) {
        int k = r * SERVICES + service;
        int now = ts(nowNanos);
        int prev = lastHit[k];
        lastHit[k] = now;
        hits[k]++;
        int interval = now - prev;
        if (prev == INVALID_TS || interval < 0) return;

        int shift = tokenShift[service];
        long mtokens = maxTokens[service];
        long add;
        if (shift >= 0) {
            add = ((now >>> shift) - (prev >>> shift)) & 0xffff_ffffL;
        } else if ((interval & 0xffff_ffffL) > mtokens) {
            add = mtokens;
        } else {
            add = (long) interval << -shift;
        }
        tokens[k] = (int) Math.min(tokens[k] + add, mtokens);

        int interval2;
        if (interval != 0) {
            long iv = interval & 0xffff_ffffL;
            iv += iv >> 1;
            for (interval2 = -RATE_SCALE * TS_FRAC; interval2 < -MIN_RATE; interval2 += RATE_SCALE) {
                if (iv <= 1) break;
                iv >>= 1;
            }
        } else {
            interval2 = -RATE_SCALE * (TS_FRAC + 1);
        }
        boolean timeoutRate = service == NTP && (dropFlags[r] & (1 << service)) != 0;
        int current = timeoutRate ? ntpTimeoutRate[r] : rate[k];
        int updated;
        if (current == INVALID_RATE) {
            updated = -interval2;
        } else if (current < -interval2) {
            updated = current + 1;
        } else if (current > -interval2) {
            updated = current > RATE_SCALE * 5 / 2 - interval2 ? RATE_SCALE * 5 / 2 - interval2 : (current - interval2 - 1) / 2;
        } else {
            updated = current;
        }
        if (timeoutRate) ntpTimeoutRate[r] = (byte) updated;
        else rate[k] = (byte) updated;
    }

    private boolean randomLimit(int leak) {
        if (rndBitsLeft < leak) {
            rnd = random.nextInt();
            rndBitsLeft = 32;
        }
        boolean r = Integer.remainderUnsigned(rnd, 1 << leak) != 0;
        rnd >>>= leak;
        rndBitsLeft -= leak;
        return r;
    }

    private int limit(int service, int r) {
        if (tokensPerHit[service] == 0) return PASS;
        int k = r * SERVICES + service;
        dropFlags[r] &= (byte) ~(1 << service);
        if (tokens[k] >= tokensPerHit[service]) {
            tokens[k] -= tokensPerHit[service];
            return PASS;
        }
        boolean drop = randomLimit(leakRate[service]);
        if (service == NTP && ntpTimeoutRate[r] != INVALID_RATE && ntpTimeoutRate[r] > rate[k] + RATE_SCALE) {
            drop = !drop;
        }
        if (!drop) {
            tokens[k] = 0;
            return PASS;
        }
        if (kodRate[service] > 0 && !randomLimit(kodRate[service])) {
            totalKodRate++;
            return KOD;
        }
        dropFlags[r] |= (byte) (1 << service);
        drops[k]++;
        totalDrops[service]++;
        return DROP;
    }

    /**
     * Logs one request of {@code service} from an address and applies that service's rate limit
     * (chronyd's CLG_LogServiceAccess + CLG_LimitServiceRate). Allocation-free.
     *
     * @param family {@link PeerAddress#INET4} or {@link PeerAddress#INET6}; others are counted but not logged
     * @return {@link #PASS}, {@link #DROP} or {@link #KOD}
     */
    public synchronized int access(int service, byte[] address, int family, long nowNanos) {
        totalHits[service]++;
        if (!active || (family != PeerAddress.INET4 && family != PeerAddress.INET6)) return PASS;
        long hi, lo;
        byte fam;
        if (family == PeerAddress.INET4) {
            fam = 4;
            hi = 0;
            lo = (address[0] & 0xffL) << 24 | (address[1] & 0xffL) << 16 | (address[2] & 0xffL) << 8 | (address[3] & 0xffL);
        } else {
            fam = 6;
            hi = getLong(address, 0);
            lo = getLong(address, 8);
        }
        int r = find(fam, hi, lo);
        update(service, r, nowNanos);
        return limit(service, r);
    }

    /** Same as {@link #access} for a peer. */
    public int access(int service, PeerAddress peer, long nowNanos) {
        return access(service, peer.address(), peer.family(), nowNanos);
    }

    /** Counts an authenticated NTP request (chronyd's "Authenticated NTP packets"). */
    public synchronized void logAuthenticatedNtp() {
        totalNtpAuthHits++;
    }

    /** Whether clients are logged (not {@code noclientlog}); interleaved mode needs it. */
    public boolean isActive() {
        return active;
    }

    /** Sentinel of {@link #ntpTxTimestamp}: no usable saved timestamp. */
    public static final long NOT_FOUND = NtpTimestampMap.NOT_FOUND;

    /**
     * Remembers that the response carrying receive timestamp {@code rxNtp} (raw 64-bit NTP value)
     * was transmitted at {@code txNanos} (Unix ns in served time, 0 if unknown), for a later
     * interleaved response (chronyd's CLG_SaveNtpTimestamps).
     */
    public synchronized void saveNtpTimestamps(long rxNtp, long txNanos) {
        if (ntpTimestamps != null) ntpTimestamps.save(rxNtp, txNanos);
    }

    /** The transmit time saved for {@code rxNtp}: {@link #NOT_FOUND}, 0 when found without a valid TX, else Unix ns. */
    public synchronized long ntpTxTimestamp(long rxNtp) {
        return ntpTimestamps == null ? NOT_FOUND : ntpTimestamps.get(rxNtp);
    }

    /** Marks {@code rxNtp} used by an interleaved response and counts it (chronyd's "Interleaved NTP packets"). */
    public synchronized void disableNtpTimestamps(long rxNtp) {
        if (ntpTimestamps != null) ntpTimestamps.disable(rxNtp);
        totalInterleavedHits++;
    }

    /** Replaces the saved transmit time by a more accurate (kernel) one. */
    public synchronized void updateNtpTxTimestamp(long rxNtp, long txNanos) {
        if (ntpTimestamps != null) ntpTimestamps.update(rxNtp, txNanos);
    }

    /** Drops every saved timestamp (call after an unknown step of the served clock). */
    public synchronized void clearNtpTimestamps() {
        if (ntpTimestamps != null) ntpTimestamps.clear();
    }

    private static long getLong(byte[] b, int i) {
        long v = 0;
        for (int j = 0; j < 8; j++) v = v << 8 | (b[i + j] & 0xffL);
        return v;
    }

    // ---------------------------------------------------------------- reports

    /** Number of record indices for {@code chronyc clients} to iterate (0 with noclientlog). */
    public synchronized int tableSize() {
        return active ? family.length : 0;
    }

    /**
     * The record at {@code index} (chronyd's CLG_GetClientAccessReportByIndex), or null when the
     * index is empty, out of range, or no service has {@code minHits}. {@code reset} zeroes the
     * record's hits and drops after reading.
     */
    public synchronized ClientAccessReport report(int index, boolean reset, long minHits, long nowNanos) {
        if (!active || index < 0 || index >= family.length || family[index] == 0) return null;
        boolean match = minHits == 0;
        for (int s = 0; s < SERVICES && !match; s++) {
            if ((hits[index * SERVICES + s] & 0xffff_ffffL) >= minHits) match = true;
        }
        ClientAccessReport report = null;
        if (match) {
            int now = ts(nowNanos);
            int b = index * SERVICES;
            byte[] addr;
            int fam;
            if (family[index] == 4) {
                addr = new byte[4];
                int v = (int) addrLo[index];
                addr[0] = (byte) (v >>> 24);
                addr[1] = (byte) (v >>> 16);
                addr[2] = (byte) (v >>> 8);
                addr[3] = (byte) v;
                fam = PeerAddress.INET4;
            } else {
                addr = new byte[16];
                for (int j = 0; j < 8; j++) {
                    addr[j] = (byte) (addrHi[index] >>> (56 - 8 * j));
                    addr[8 + j] = (byte) (addrLo[index] >>> (56 - 8 * j));
                }
                fam = PeerAddress.INET6;
            }
            report = new ClientAccessReport(addr, fam,
                    hits[b + NTP] & 0xffff_ffffL, hits[b + NTSKE] & 0xffff_ffffL, hits[b + CMDMON] & 0xffff_ffffL,
                    drops[b + NTP] & 0xffffL, drops[b + NTSKE] & 0xffffL, drops[b + CMDMON] & 0xffffL,
                    interval(rate[b + NTP]), interval(rate[b + NTSKE]), interval(rate[b + CMDMON]),
                    interval(ntpTimeoutRate[index]),
                    ago(now, lastHit[b + NTP]), ago(now, lastHit[b + NTSKE]), ago(now, lastHit[b + CMDMON]));
        }
        if (reset) {
            for (int s = 0; s < SERVICES; s++) {
                hits[index * SERVICES + s] = 0;
                drops[index * SERVICES + s] = 0;
            }
        }
        return report;
    }

    private static int interval(int rate) {
        if (rate == INVALID_RATE) return 127;
        rate += rate > 0 ? RATE_SCALE / 2 : -RATE_SCALE / 2;
        return rate / -RATE_SCALE;
    }

    private static long ago(int now, int last) {
        if (last == INVALID_TS || now - last < 0) return -1;
        return ((now - last) & 0xffff_ffffL) >>> TS_FRAC;
    }

    /** The totals for {@code chronyc serverstats}. */
    public synchronized ServerStats serverStats() {
        return new ServerStats(totalHits[NTP], totalHits[NTSKE], totalHits[CMDMON],
                totalDrops[NTP], totalDrops[NTSKE], totalDrops[CMDMON],
                totalRecordDrops, totalNtpAuthHits, totalInterleavedHits,
                ntpTimestamps == null ? 0 : ntpTimestamps.size(), ntpTimestamps == null ? 0 : ntpTimestamps.spanSeconds(),
                totalKodRate);
    }
}
