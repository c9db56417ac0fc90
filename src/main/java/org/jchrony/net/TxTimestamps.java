package org.jchrony.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads kernel software TX timestamps from a socket's error queue (recvmsg with
 * MSG_ERRQUEUE), as chronyd does for the requests it sends to its sources. With
 * SOF_TIMESTAMPING_OPT_TSONLY each queued message carries only an SCM_TIMESTAMPING control
 * message (and the extended error describing it). Not thread-safe: one per socket, used under
 * the owner's lock or on its loop.
 */
final class TxTimestamps {
    private static final int CTRL_SIZE = 256;
    private final int fd;
    private final MemorySegment msg;
    private final MemorySegment ctrl;

    TxTimestamps(Arena arena, int fd) {
        this.fd = fd;
        msg = arena.allocate(Libc.MSGHDR);
        MemorySegment iov = arena.allocate(Libc.IOVEC);
        MemorySegment data = arena.allocate(64, 8);
        ctrl = arena.allocate(CTRL_SIZE, 8);
        iov.set(ValueLayout.ADDRESS, 0, data);
        iov.set(ValueLayout.JAVA_LONG, 8, 64);
        msg.set(ValueLayout.ADDRESS, Libc.MSGHDR_IOV, iov);
        msg.set(ValueLayout.JAVA_LONG, Libc.MSGHDR_IOVLEN, 1);
        msg.set(ValueLayout.ADDRESS, Libc.MSGHDR_CONTROL, ctrl);
    }

    /**
     * Reads one queued TX timestamp: CLOCK_REALTIME ns, 0 if the message had none, or -1 if the
     * error queue is empty.
     */
    long readOne() {
        msg.set(ValueLayout.ADDRESS, Libc.MSGHDR_NAME, MemorySegment.NULL);
        msg.set(ValueLayout.JAVA_INT, Libc.MSGHDR_NAMELEN, 0);
        msg.set(ValueLayout.JAVA_LONG, Libc.MSGHDR_CONTROLLEN, CTRL_SIZE);
        msg.set(ValueLayout.JAVA_INT, Libc.MSGHDR_FLAGS, 0);
        long n = Libc.recvmsgFast(fd, msg, Libc.MSG_ERRQUEUE | Libc.MSG_DONTWAIT);
        if (n < 0) return -1;
        long ctrlLen = Math.min(msg.get(ValueLayout.JAVA_LONG, Libc.MSGHDR_CONTROLLEN), CTRL_SIZE);
        long off = 0;
        while (off + Libc.CMSG_HDR_SIZE <= ctrlLen) {
            long cmsgLen = ctrl.get(ValueLayout.JAVA_LONG, off);
            if (cmsgLen < Libc.CMSG_HDR_SIZE || off + cmsgLen > ctrlLen) break;
            int level = ctrl.get(ValueLayout.JAVA_INT, off + 8);
            int type = ctrl.get(ValueLayout.JAVA_INT, off + 12);
            if (level == Libc.SOL_SOCKET && type == Libc.SCM_TIMESTAMPING && cmsgLen >= Libc.CMSG_HDR_SIZE + 16) {
                long sec = ctrl.get(ValueLayout.JAVA_LONG, off + 16);
                long nsec = ctrl.get(ValueLayout.JAVA_LONG, off + 24);
                if (sec != 0 || nsec != 0) return sec * 1_000_000_000L + nsec;
            }
            off += Libc.cmsgAlign((int) cmsgLen);
        }
        return 0;
    }

    /** Discards everything queued; returns the last timestamp seen, or 0. */
    long drain() {
        long last = 0;
        for (int i = 0; i < 64; i++) {
            long t = readOne();
            if (t < 0) break;
            if (t > 0) last = t;
        }
        return last;
    }
}
