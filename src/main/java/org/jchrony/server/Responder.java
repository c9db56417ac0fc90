package org.jchrony.server;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jchrony.core.TimeSource;
import org.jchrony.ntp.NtpShort;
import org.jchrony.ntp.NtpTimestamp;
import org.jchrony.ntp.NtpTrailer;

/**
 * The NTP server's answer to requests from unknown clients, as chronyd 4.3 gives it
 * (NCR_ProcessRxUnknown + transmit_packet), computed on the byte arrays without allocating:
 * <ol>
 * <li>Dropped unless the length is a multiple of 4 and at least 48, the version 1-4, and the
 *     trailer a valid sequence of extension fields / MAC ({@link NtpTrailer#scan}).</li>
 * <li>Dropped unless the {@link AccessList} allows the source address.</li>
 * <li>Mode 3 (client) is answered with mode 4, mode 1 (symmetric active) with mode 2 (passive),
 *     NTPv1 mode 0 from a port other than 123 with mode 4; every other mode is dropped.</li>
 * <li>The access is logged in the {@link ClientLog}; a rate-limited request is dropped (or gets
 *     KoD RATE with the 4.4+ {@code kod} option).</li>
 * <li>Authentication: requests with a MAC are answered only if {@link SymmetricKeys} verifies
 *     it (unknown key ids, crypto-NAKs and, without keys, every MAC: silence); NTS requests
 *     (mode 3) go to the {@link NtsRequests} when there is one (authenticated answer, NTS NAK =
 *     KoD "NTSN", or silence) and are dropped otherwise; MS-SNTP requests (no ntp_signd) are dropped. Unknown extension
 *     fields are ignored and not echoed; chronyd's experimental field 0xF323 (with its magic)
 *     is answered with one carrying root delay/dispersion and the monotonic receive time.</li>
 * <li>The reply has the request's version, poll = max(request poll, ratelimit interval or -19),
 *     the snapshot's leap/stratum (16+ sent as 0)/refid/precision/root delay, a root dispersion
 *     grown since the reference time, the reference time (for {@code local}: now - 1 s - U[0,1] s,
 *     renewed when older than 64 s), origin = the request's transmit timestamp, receive = the
 *     kernel RX stamp in served time, transmit = {@link TimeSource} read last, in served time.
 *     Receive and transmit carry random bits below the precision, never equal the origin or
 *     each other, and mark the receive timestamp with lowest bit 1 and the transmit with 0 (so
 *     interleaved requests could be recognised). KoD: leap 3, stratum 0, refid "RATE".</li>
 * <li>Interleaved mode as chronyd's server side: an NTPv4 request whose origin timestamp has
 *     lowest bit 1 and whose receive and transmit timestamps differ has the receive timestamp and
 *     transmit time of its response saved ({@link ClientLog}); a later such request naming that
 *     receive timestamp as its origin is answered with origin = its receive timestamp and transmit
 *     = the saved time of the earlier response (kernel TX time via {@link #onTransmitted}), once.</li>
 * <li>The reply (48 bytes, plus the 0xF323 field, plus a MAC when the request was authenticated) is never longer than
 *     the request.</li>
 * </ol>
 * Not thread-safe: one instance per server event loop (it holds random state, counters and the
 * local reference time); the snapshot, access list and client log are shared.
 * {@link #handle} never throws: errors are counted and the packet dropped.
 */
public final class Responder implements DatagramHandler, TransmitStamping {
    public static final int KOD_RATE = 0x52415445; // "RATE"
    public static final int KOD_NTSN = 0x4E54534E; // "NTSN"
    private static final int NTP_PORT = 123;
    private static final int MIN_POLL_NO_LIMIT = -19;
    private static final long LOCAL_REF_UPDATE_NANOS = 64_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final Supplier<ServerSnapshot> snapshot;
    private final TimeSource timeSource;
    private final AccessList access;
    private final ClientLog clientLog;
    private final SymmetricKeys keys;
    private final RandomGenerator random;
    private final NtsRequests nts;

    private long localRefTimeNanos;

    // Derived once per published snapshot rather than per packet.
    private ServerSnapshot cachedSnapshot;
    private int cachedRootDelay; // NTP short format
    private long cachedFuzzMask;
    private boolean lastRestampable;

    private long received;
    private long replied;
    private long droppedMalformed;
    private long droppedDenied;
    private long droppedMode;
    private long droppedRateLimit;
    private long droppedAuth;
    private long droppedTooLong;
    private long kodSent;
    private long repliedInterleaved;
    private long internalErrors;

    /**
     * @param snapshot    the core's latest {@link ServerSnapshot} (e.g. a {@link ServerSnapshotHolder}); read once per packet
     * @param timeSource  CLOCK_REALTIME, read for the transmit timestamp just before the reply is returned
     * @param access      chronyd's allow/deny table for NTP
     * @param clientLog   shared client log and rate limiter
     * @param keys        symmetric keys, or null when there is no keyfile (every MAC is then dropped)
     * @param random      fuzz of timestamps and local reference time (not shared with other threads)
     */
    public Responder(Supplier<ServerSnapshot> snapshot, TimeSource timeSource, AccessList access,
            ClientLog clientLog, SymmetricKeys keys, RandomGenerator random) {
        this(snapshot, timeSource, access, clientLog, keys, random, null);
    }

    /**
     * As above, with an NTS server ({@code ntsserverkey}): {@code nts} checks NTS requests and
     * appends the NTS fields of the answers (null: NTS requests are dropped, as by chronyd
     * without server keys). Non-NTS packets never touch it.
     */
    public Responder(Supplier<ServerSnapshot> snapshot, TimeSource timeSource, AccessList access,
            ClientLog clientLog, SymmetricKeys keys, RandomGenerator random, NtsRequests nts) {
        this.nts = nts;
        this.snapshot = Objects.requireNonNull(snapshot);
        this.timeSource = Objects.requireNonNull(timeSource);
        this.access = Objects.requireNonNull(access);
        this.clientLog = Objects.requireNonNull(clientLog);
        this.keys = keys;
        this.random = Objects.requireNonNull(random);
    }

    @Override
    public int handle(byte[] in, int inLength, PeerAddress peer, long rxRealtimeNanos, byte[] out) {
        lastRestampable = false;
        try {
            return respond(in, inLength, peer, rxRealtimeNanos, out);
        } catch (RuntimeException e) {
            internalErrors++;
            return 0;
        }
    }

    private int respond(byte[] in, int inLength, PeerAddress peer, long rxRealtimeNanos, byte[] out) {
        received++;
        if (inLength < 48 || (inLength & 3) != 0 || inLength > in.length) {
            droppedMalformed++;
            return 0;
        }
        int version = (in[0] >>> 3) & 7;
        int mode = in[0] & 7;
        if (version < 1 || version > 4) {
            droppedMalformed++;
            return 0;
        }
        long scan = NtpTrailer.scan(in, inLength);
        if (scan == NtpTrailer.INVALID) {
            droppedMalformed++;
            return 0;
        }
        if (!access.allowed(peer)) {
            droppedDenied++;
            return 0;
        }
        int replyMode;
        if (mode == 3) replyMode = 4;
        else if (mode == 1) replyMode = 2;
        else if (mode == 0 && version == 1 && peer.port() != NTP_PORT) replyMode = 4;
        else {
            droppedMode++;
            return 0;
        }

        ServerSnapshot snap = snapshot.get();
        if (snap != cachedSnapshot) {
            cachedRootDelay = NtpShort.fromSeconds(snap.rootDelaySeconds());
            cachedFuzzMask = fuzzMask(snap.precisionLog2());
            cachedSnapshot = snap;
        }
        long rxServed = snap.served(rxRealtimeNanos);
        int limit = clientLog.access(ClientLog.NTP, peer, rxServed);
        if (limit == ClientLog.DROP) {
            droppedRateLimit++;
            return 0;
        }

        int flags = NtpTrailer.flags(scan);
        boolean symmetric = false;
        boolean ntsAuth = false;
        boolean ntsNak = false;
        long keyId = 0;
        if ((flags & (NtpTrailer.FLAG_MAC | NtpTrailer.FLAG_CRYPTO_NAK)) != 0) {
            if ((flags & NtpTrailer.FLAG_NTS) != 0) {
                droppedAuth++;
                return 0;
            }
            int macStart = NtpTrailer.macStart(scan);
            int macLength = NtpTrailer.macLength(scan);
            keyId = (in[macStart] & 0xffL) << 24 | (in[macStart + 1] & 0xffL) << 16
                    | (in[macStart + 2] & 0xffL) << 8 | (in[macStart + 3] & 0xffL);
            int truncated = version == 4 && macLength <= 24 ? 20 : 64;
            if (keys == null || macLength < 20 || !keys.verify(keyId, in, macStart, macLength, truncated)) {
                droppedAuth++;
                return 0;
            }
            symmetric = true;
            clientLog.logAuthenticatedNtp();
        } else if ((flags & NtpTrailer.FLAG_NTS) != 0 && nts != null && mode == 3) {
            // RFC 8915 section 5: verified, or answered with an NTS NAK, or dropped when malformed
            int r = nts.check(in, inLength);
            if (r == NtsRequests.DROP) {
                droppedAuth++;
                return 0;
            }
            if (r == NtsRequests.OK) {
                ntsAuth = true;
                clientLog.logAuthenticatedNtp();
            } else {
                ntsNak = true;
            }
        } else if ((flags & (NtpTrailer.FLAG_NTS | NtpTrailer.FLAG_MSSNTP | NtpTrailer.FLAG_MSSNTP_EXT)) != 0) {
            // no NTS server keys, no ntp_signd socket: chronyd sends nothing
            droppedAuth++;
            return 0;
        }
        boolean kod = limit == ClientLog.KOD;

        int leap = snap.leap();
        int stratum = snap.stratum();
        int refId = snap.refId();
        long refNanos = snap.referenceTimeNanos();
        if (snap.localReference() && !snap.synchronised()) {
            long delta = rxServed - localRefTimeNanos;
            if (localRefTimeNanos == 0 || delta > LOCAL_REF_UPDATE_NANOS || delta < SECOND) {
                localRefTimeNanos = rxServed - SECOND - (long) (random.nextDouble() * SECOND);
            }
            refNanos = localRefTimeNanos;
        }
        if (kod) {
            leap = 3;
            stratum = 0;
            refId = KOD_RATE;
        }
        if (ntsNak) {
            leap = 3;
            stratum = 0;
            refId = KOD_NTSN;
        }
        int poll = Math.max(clientLog.ntpMinPoll(), in[2]);
        int precision = snap.precisionLog2();

        out[0] = (byte) (leap << 6 | version << 3 | replyMode);
        out[1] = (byte) (stratum >= 16 ? 0 : stratum);
        out[2] = (byte) poll;
        out[3] = (byte) precision;
        putInt(out, 4, cachedRootDelay);
        double rootDispersion = snap.rootDispersionAt(rxServed);
        putInt(out, 8, NtpShort.fromSeconds(rootDispersion));
        putInt(out, 12, refId);
        putLong(out, 16, toNtp(refNanos));
        // Interleaved mode (chronyd): a v4 request whose origin has lowest bit 1 (one of our receive
        // timestamps) and whose receive != transmit; answered interleaved if that receive
        // timestamp's transmit time was saved, and its own times are saved for the next request.
        long reqOrigin = getLong(in, 24);
        long reqRx = getLong(in, 32);
        long reqTx = getLong(in, 40);
        boolean candidate = !kod && !ntsNak && clientLog.isActive() && version == 4 && (reqOrigin & 1) != 0 && reqRx != reqTx;
        boolean interleaved = false;
        long savedTx = 0;
        if (candidate) {
            long t = clientLog.ntpTxTimestamp(reqOrigin);
            if (t != ClientLog.NOT_FOUND) {
                interleaved = true;
                savedTx = t;
                clientLog.disableNtpTimestamps(reqOrigin);
            }
            if (savedTx == 0) interleaved = false;
        }
        long origin = interleaved ? reqRx : reqTx;
        putLong(out, 24, origin);
        long fuzzMask = cachedFuzzMask;
        long rx;
        long rxNtp = toNtp(rxServed);
        int tries = 0;
        do {
            rx = rxNtp ^ (random.nextLong() & fuzzMask);
        } while (rx != 0 && (rx == origin || (candidate && rx == reqOrigin)) && ++tries < 8);
        rx |= 1;
        putLong(out, 32, rx);

        int length = 48;
        if ((flags & NtpTrailer.FLAG_EXP1) != 0) {
            // chronyd's experimental field: root delay/dispersion (4.28) and the monotonic RX time
            out[48] = (byte) 0xF3;
            out[49] = 0x23;
            out[50] = 0;
            out[51] = 28;
            putInt(out, 52, NtpTrailer.EXP1_MAGIC);
            putInt(out, 56, NtpShort.fromSecondsF28(snap.rootDelaySeconds()));
            putInt(out, 60, NtpShort.fromSecondsF28(rootDispersion));
            long mono = rxServed + Math.round(snap.monoOffsetSeconds() * 1e9);
            putLong(out, 64, toNtp(mono) ^ (random.nextLong() & fuzzMask));
            putInt(out, 72, snap.monoEpoch());
            length = 76;
        }

        long txNtp = toNtp(interleaved ? savedTx : snap.served(timeSource.realtimeNanos()));
        long tx;
        tries = 0;
        do {
            tx = txNtp ^ (random.nextLong() & fuzzMask);
        } while (tx != 0 && (tx == rx || tx == origin) && ++tries < 8);
        tx &= ~1L;
        putLong(out, 40, tx);

        if (ntsAuth || ntsNak) {
            length = ntsAuth ? nts.appendReply(out, length, inLength) : nts.appendNak(out, length, inLength);
            if (length < 0) {
                droppedAuth++;
                return 0;
            }
            if (ntsNak) kodSent++;
        }
        if (symmetric) {
            length = keys.sign(keyId, version, out, length);
            if (length < 0) {
                droppedAuth++;
                return 0;
            }
        }
        if (length > inLength) {
            droppedTooLong++;
            return 0;
        }
        if (candidate) {
            // chronyd reads the clock once more just before sending and keeps that as our TX time
            clientLog.saveNtpTimestamps(rx, snap.served(timeSource.realtimeNanos()));
            if (interleaved) repliedInterleaved++;
        }
        if (kod) kodSent++;
        replied++;
        // a basic response's transmit time may be read again just before it is sent; not an
        // authenticated one (the MAC covers it), nor an interleaved one or one whose transmit
        // time was saved for a later interleaved response
        lastRestampable = !symmetric && !candidate;
        return length;
    }

    @Override
    public boolean lastReplyRestampable() {
        return lastRestampable;
    }

    /**
     * Sets the transmit timestamp of a reply {@link #lastReplyRestampable()} allowed to the
     * served time of {@code realtimeNanos}, fuzzed below the precision as {@link #handle} does
     * (never equal to the receive or origin timestamp, lowest bit 0). Never throws.
     */
    @Override
    public void restampTransmit(byte[] buffer, int offset, int length, long realtimeNanos) {
        try {
            if (length < 48 || offset < 0 || offset + 48 > buffer.length) return;
            ServerSnapshot snap = snapshot.get();
            long fuzzMask = snap == cachedSnapshot ? cachedFuzzMask : fuzzMask(snap.precisionLog2());
            long origin = getLong(buffer, offset + 24);
            long rx = getLong(buffer, offset + 32);
            long txNtp = toNtp(snap.served(realtimeNanos));
            long tx;
            int tries = 0;
            do {
                tx = txNtp ^ (random.nextLong() & fuzzMask);
            } while (tx != 0 && (tx == rx || tx == origin) && ++tries < 8);
            putLong(buffer, offset + 40, tx & ~1L);
        } catch (RuntimeException e) {
            internalErrors++;
        }
    }

    /**
     * The socket layer reports the kernel transmit timestamp of a reply this responder produced
     * (SO_TIMESTAMPING); it replaces the saved daemon TX time used for later interleaved
     * responses, as chronyd does. Never throws.
     */
    public void onTransmitted(byte[] reply, int length, long txRealtimeNanos) {
        try {
            if (length < 48 || reply.length < 48) return;
            int mode = reply[0] & 7;
            if (mode != 4 && mode != 2) return;
            clientLog.updateNtpTxTimestamp(getLong(reply, 32), snapshot.get().served(txRealtimeNanos));
        } catch (RuntimeException e) {
            internalErrors++;
        }
    }

    /** Bits below the precision that chronyd randomises (UTI_GetNtp64Fuzz). */
    private static long fuzzMask(int precision) {
        int bits = 32 + precision;
        if (bits <= 0) return 0;
        if (bits >= 64) return -1L;
        return (1L << bits) - 1;
    }

    /** Unix nanoseconds to an NTP timestamp, truncating like chronyd; 0 stays 0 ("unknown"). */
    static long toNtp(long unixNanos) {
        if (unixNanos == 0) return 0;
        long sec = Math.floorDiv(unixNanos, SECOND);
        long nsec = Math.floorMod(unixNanos, SECOND);
        return (sec + NtpTimestamp.NTP_UNIX_OFFSET_SECONDS) << 32 | ((nsec << 32) / SECOND);
    }

    private static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 56);
        b[i + 1] = (byte) (v >>> 48);
        b[i + 2] = (byte) (v >>> 40);
        b[i + 3] = (byte) (v >>> 32);
        b[i + 4] = (byte) (v >>> 24);
        b[i + 5] = (byte) (v >>> 16);
        b[i + 6] = (byte) (v >>> 8);
        b[i + 7] = (byte) v;
    }

    private static long getLong(byte[] b, int i) {
        long v = 0;
        for (int j = 0; j < 8; j++) v = v << 8 | (b[i + j] & 0xffL);
        return v;
    }

    /** Counters of this responder (plain reads; approximate when read from another thread). */
    public ResponderCounters counters() {
        return new ResponderCounters(received, replied, repliedInterleaved, droppedMalformed, droppedDenied, droppedMode,
                droppedRateLimit, droppedAuth, droppedTooLong, kodSent, internalErrors);
    }

    /** Per-responder counters beyond chronyd's serverstats, for logs and diagnostics. */
    public record ResponderCounters(long received, long replied, long repliedInterleaved, long droppedMalformed, long droppedDenied,
            long droppedMode, long droppedRateLimit, long droppedAuth, long droppedTooLong, long kodSent,
            long internalErrors) {}
}
