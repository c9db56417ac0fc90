package org.jchrony.server;

import org.jchrony.ntp.NtpTimestamp;

/**
 * chronyd's RX-to-TX timestamp map for the server side of the NTP interleaved mode: for the
 * responses to interleaved-capable requests, the receive timestamp put in the response (an NTP
 * timestamp with lowest bit 1) and the time the response was actually transmitted. A later request
 * whose origin timestamp is one of those receive timestamps gets an interleaved response carrying
 * that transmit time. A ring buffer ordered by receive timestamp, binary-searched, capacity a
 * power of two equal to the client log's record capacity; a timestamp can be used only once.
 * Not thread-safe on its own: {@link ClientLog} guards it with its lock. Allocation-free.
 */
final class NtpTimestampMap {
    static final long NOT_FOUND = Long.MIN_VALUE;
    private static final byte DISABLED = 1;
    private static final byte VALID_TX = 2;
    private static final long FUTURE_LIMIT = 1L << 32; // 1 s in NTP units
    private static final int INSERT_LIMIT = 64;
    private static final long SECOND = 1_000_000_000L;

    private final int maxSize;
    private final long[] rx;
    private final long[] tx;
    private final byte[] flags;
    private int first;
    private int size;
    private int cachedIndex;
    private long cachedRx;

    NtpTimestampMap(int maxSize) {
        this.maxSize = maxSize;
        rx = new long[maxSize];
        tx = new long[maxSize];
        flags = new byte[maxSize];
    }

    int size() {
        return size;
    }

    /** Seconds between the oldest and newest receive timestamp held. */
    long spanSeconds() {
        return size > 1 ? (rx(size - 1) - rx(0)) >>> 32 : 0;
    }

    private int slot(int index) {
        return (first + index) & (maxSize - 1);
    }

    private long rx(int index) {
        return rx[slot(index)];
    }

    /** Index of {@code ts} when found (>= 0), else -(insertion index) - 1. */
    private int find(long ts) {
        if (ts != 0 && ts == cachedRx && cachedIndex < size && rx(cachedIndex) == ts) return cachedIndex;
        if (size == 0) return -1;
        int lo = 0;
        int hi = size - 1;
        if (ts - rx(lo) < 0) return -1;
        if (ts - rx(hi) > 0) return -(size) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long d = rx(mid) - ts;
            if (d == 0) {
                cachedIndex = mid;
                cachedRx = ts;
                return mid;
            }
            if (d < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -lo - 1;
    }

    private int push(int index) {
        if (size < maxSize) {
            size++;
        } else {
            first = (first + 1) & (maxSize - 1);
            if (index > 0) index--;
        }
        return index;
    }

    private void setTx(int s, long rxNtp, long txNanos) {
        if (txNanos == 0) {
            flags[s] &= ~VALID_TX;
            return;
        }
        long diff = txNanos - NtpTimestamp.toUnixNanos(rxNtp, txNanos);
        if (diff < -2 * SECOND || diff >= 2 * SECOND) {
            flags[s] &= ~VALID_TX;
            return;
        }
        tx[s] = txNanos;
        flags[s] |= VALID_TX;
    }

    /** chronyd's CLG_SaveNtpTimestamps; {@code txNanos} 0 when unknown. */
    void save(long rxNtp, long txNanos) {
        if (rxNtp == 0) return;
        int found = find(rxNtp);
        if (found >= 0) {
            flags[slot(found)] |= DISABLED; // seen twice: never answer with a possibly wrong TX
            return;
        }
        int index = -found - 1;
        if (index == size) {
            index = push(index);
        } else {
            while (index < size && rx(size - 1) - rxNtp > FUTURE_LIMIT) size--;
            if (index + INSERT_LIMIT >= size) {
                index = push(index);
                for (int i = size - 1; i > index; i--) {
                    int to = slot(i), from = slot(i - 1);
                    rx[to] = rx[from];
                    tx[to] = tx[from];
                    flags[to] = flags[from];
                }
            } else if (index > 0) {
                index--;
            }
        }
        cachedIndex = index;
        cachedRx = rxNtp;
        int s = slot(index);
        rx[s] = rxNtp;
        flags[s] = 0;
        tx[s] = 0;
        setTx(s, rxNtp, txNanos);
    }

    /** The saved TX time for a receive timestamp: {@link #NOT_FOUND}, 0 (found, no valid TX) or Unix nanos. */
    long get(long rxNtp) {
        int i = find(rxNtp);
        if (i < 0) return NOT_FOUND;
        int s = slot(i);
        if ((flags[s] & DISABLED) != 0) return NOT_FOUND;
        return (flags[s] & VALID_TX) != 0 ? tx[s] : 0;
    }

    void disable(long rxNtp) {
        int i = find(rxNtp);
        if (i >= 0) flags[slot(i)] |= DISABLED;
    }

    /** A more accurate (kernel) transmit time for a response already sent. */
    void update(long rxNtp, long txNanos) {
        int i = find(rxNtp);
        if (i >= 0) setTx(slot(i), rxNtp, txNanos);
    }

    /** Forget everything (chronyd does so on an unknown clock step). */
    void clear() {
        size = 0;
        cachedRx = 0;
    }
}
