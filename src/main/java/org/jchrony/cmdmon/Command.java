package org.jchrony.cmdmon;

import static org.jchrony.cmdmon.Candm.*;

/**
 * The body of one chronyc request, one record per data layout of candm.h. {@link #code()} is
 * the request code on the wire; records shared by several commands carry it explicitly.
 */
public sealed interface Command {
    int code();

    /** Requests without data: tracking, sources count, rekey, reselect, shutdown, ... */
    record NoData(int code) implements Command {}

    /** ONLINE / OFFLINE: a mask and an address (both unspecified = all sources). */
    record Connectivity(int code, IpAddr mask, IpAddr address) implements Command {}

    record Burst(IpAddr mask, IpAddr address, int goodSamples, int totalSamples) implements Command {
        public int code() { return REQ_BURST; }
    }

    /** MINPOLL, MAXPOLL, MINSTRATUM, POLLTARGET: a source address and an integer. */
    record AddressInt(int code, IpAddr address, int value) implements Command {}

    /** MAXDELAY, MAXDELAYRATIO, MAXDELAYDEVRATIO: a source address and a float. */
    record AddressFloat(int code, IpAddr address, double value) implements Command {}

    /** DUMP (pad), MANUAL (option), SOURCE_DATA, SOURCESTATS, SELECT_DATA (index), MANUAL_DELETE, SMOOTHTIME. */
    record IntArg(int code, int value) implements Command {}

    /** MAXUPDATESKEW (ppm), DFREQ (ppm), DOFFSET2 (s), RESELECTDISTANCE (s). */
    record FloatArg(int code, double value) implements Command {}

    /** DEL_SOURCE, ACCHECK, CMDACCHECK, NTP_DATA, NTP_SOURCE_NAME, AUTH_DATA: one address. */
    record Address(int code, IpAddr address) implements Command {}

    /** ALLOW/DENY/CMDALLOW/CMDDENY and their "all" forms. */
    record AllowDeny(int code, IpAddr address, int subnetBits) implements Command {}

    record ModifyMakestep(int limit, double thresholdSeconds) implements Command {
        public int code() { return REQ_MODIFY_MAKESTEP; }
    }

    record Settime(Timespec time) implements Command {
        public int code() { return REQ_SETTIME; }
    }

    record Logon(Timespec time) implements Command {
        public int code() { return REQ_LOGON; }
    }

    /** LOCAL2 (chronyc 4.3, no activate/wait fields) or LOCAL3 (4.7+). */
    record Local(int code, boolean on, int stratum, double distanceSeconds, boolean orphan,
                 double activateSeconds, double waitSyncedSeconds, double waitUnsyncedSeconds) implements Command {}

    record ClientAccesses(int firstIndex, int maxClients, int minHits, boolean reset) implements Command {
        public int code() { return REQ_CLIENT_ACCESSES_BY_INDEX3; }
    }

    record ModifySelectOpts(IpAddr address, int refId, int mask, int options) implements Command {
        public int code() { return REQ_MODIFY_SELECTOPTS; }
    }

    record ModifyOffset(IpAddr address, int refId, double offsetSeconds) implements Command {
        public int code() { return REQ_MODIFY_OFFSET; }
    }

    /** ADD_SOURCE (server/peer/pool) with all of its source options. */
    record AddSource(int type, String name, int port, int minpoll, int maxpoll, int presendMinpoll,
                     int minStratum, int pollTarget, int version, int maxSources, int minSamples,
                     int maxSamples, int authKey, int ntsPort, double maxDelay, double maxDelayRatio,
                     double maxDelayDevRatio, double minDelay, double asymmetry, double offset, int flags,
                     int filterLength, int certSet, double maxDelayQuant, int maxUnreach) implements Command {
        public static final int SERVER = 1, PEER = 2, POOL = 3;
        public static final int FLAG_ONLINE = 0x1, FLAG_AUTOOFFLINE = 0x2, FLAG_IBURST = 0x4, FLAG_PREFER = 0x8,
                FLAG_NOSELECT = 0x10, FLAG_TRUST = 0x20, FLAG_REQUIRE = 0x40, FLAG_INTERLEAVED = 0x80,
                FLAG_BURST = 0x100, FLAG_NTS = 0x200, FLAG_COPY = 0x400, FLAG_EF_EXP1 = 0x800;

        public int code() { return REQ_ADD_SOURCE; }
    }

    /** A request code this codec has no layout for (kept raw). */
    record Unknown(int code, byte[] data) implements Command {}
}
