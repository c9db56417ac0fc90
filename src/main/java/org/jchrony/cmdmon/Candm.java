package org.jchrony.cmdmon;

/**
 * Constants of chronyd's command protocol (candm, protocol version 6): request and reply codes,
 * header sizes and the expected lengths of every request and reply. Lengths include the header;
 * request lengths include the padding that makes a request as long as its reply.
 */
public final class Candm {
    private Candm() {}

    public static final int PROTO_VERSION = 6;
    /** Oldest client version that gets a BADPKTVERSION reply instead of silence (chronyd's rule). */
    public static final int PROTO_VERSION_MISMATCH_COMPAT_SERVER = 5;
    public static final int PKT_TYPE_REQUEST = 1;
    public static final int PKT_TYPE_REPLY = 2;
    public static final int REQUEST_HEADER = 20;
    public static final int REPLY_HEADER = 28;
    /** Largest request chronyd reads: header + largest data (ADD_SOURCE) + maximum padding. */
    public static final int MAX_REQUEST = 860;
    public static final int DEFAULT_PORT = 323;

    // Request codes
    public static final int REQ_NULL = 0, REQ_ONLINE = 1, REQ_OFFLINE = 2, REQ_BURST = 3, REQ_MODIFY_MINPOLL = 4,
            REQ_MODIFY_MAXPOLL = 5, REQ_DUMP = 6, REQ_MODIFY_MAXDELAY = 7, REQ_MODIFY_MAXDELAYRATIO = 8,
            REQ_MODIFY_MAXUPDATESKEW = 9, REQ_LOGON = 10, REQ_SETTIME = 11, REQ_LOCAL = 12, REQ_MANUAL = 13,
            REQ_N_SOURCES = 14, REQ_SOURCE_DATA = 15, REQ_REKEY = 16, REQ_ALLOW = 17, REQ_ALLOWALL = 18,
            REQ_DENY = 19, REQ_DENYALL = 20, REQ_CMDALLOW = 21, REQ_CMDALLOWALL = 22, REQ_CMDDENY = 23,
            REQ_CMDDENYALL = 24, REQ_ACCHECK = 25, REQ_CMDACCHECK = 26, REQ_ADD_SERVER = 27, REQ_ADD_PEER = 28,
            REQ_DEL_SOURCE = 29, REQ_WRITERTC = 30, REQ_DFREQ = 31, REQ_DOFFSET = 32, REQ_TRACKING = 33,
            REQ_SOURCESTATS = 34, REQ_RTCREPORT = 35, REQ_TRIMRTC = 36, REQ_CYCLELOGS = 37,
            REQ_MANUAL_LIST = 41, REQ_MANUAL_DELETE = 42, REQ_MAKESTEP = 43, REQ_ACTIVITY = 44,
            REQ_MODIFY_MINSTRATUM = 45, REQ_MODIFY_POLLTARGET = 46, REQ_MODIFY_MAXDELAYDEVRATIO = 47,
            REQ_RESELECT = 48, REQ_RESELECTDISTANCE = 49, REQ_MODIFY_MAKESTEP = 50, REQ_SMOOTHING = 51,
            REQ_SMOOTHTIME = 52, REQ_REFRESH = 53, REQ_SERVER_STATS = 54, REQ_LOCAL2 = 56, REQ_NTP_DATA = 57,
            REQ_SHUTDOWN = 62, REQ_ONOFFLINE = 63, REQ_ADD_SOURCE = 64, REQ_NTP_SOURCE_NAME = 65,
            REQ_RESET_SOURCES = 66, REQ_AUTH_DATA = 67, REQ_CLIENT_ACCESSES_BY_INDEX3 = 68, REQ_SELECT_DATA = 69,
            REQ_RELOAD_SOURCES = 70, REQ_DOFFSET2 = 71, REQ_MODIFY_SELECTOPTS = 72, REQ_MODIFY_OFFSET = 73,
            REQ_LOCAL3 = 74;
    public static final int N_REQUEST_TYPES = 75;

    // Reply codes
    public static final int RPY_NULL = 1, RPY_N_SOURCES = 2, RPY_SOURCE_DATA = 3, RPY_TRACKING = 5,
            RPY_SOURCESTATS = 6, RPY_RTC = 7, RPY_ACTIVITY = 12, RPY_SMOOTHING = 13, RPY_NTP_DATA = 16,
            RPY_MANUAL_TIMESTAMP2 = 17, RPY_MANUAL_LIST2 = 18, RPY_NTP_SOURCE_NAME = 19, RPY_AUTH_DATA = 20,
            RPY_CLIENT_ACCESSES_BY_INDEX3 = 21, RPY_SELECT_DATA = 23, RPY_SERVER_STATS3 = 24,
            RPY_SERVER_STATS4 = 25, RPY_NTP_DATA2 = 26;

    public static final int MAX_CLIENT_ACCESSES = 8;
    public static final int MAX_MANUAL_LIST_SAMPLES = 16;

    // Request data sizes (bytes after the 20-byte header, excluding padding); -1: not a request.
    private static final int[] REQUEST_DATA = new int[N_REQUEST_TYPES];
    // Reply code whose length defines the padding of each request.
    private static final int[] PAD_REPLY = new int[N_REQUEST_TYPES];
    private static final int[] REPLY_LENGTH = new int[27];

    static {
        java.util.Arrays.fill(REQUEST_DATA, -1);
        java.util.Arrays.fill(PAD_REPLY, RPY_NULL);
        req(REQ_NULL, 0);
        req(REQ_ONLINE, 40);
        req(REQ_OFFLINE, 40);
        req(REQ_BURST, 48);
        req(REQ_MODIFY_MINPOLL, 24);
        req(REQ_MODIFY_MAXPOLL, 24);
        req(REQ_DUMP, 4);
        req(REQ_MODIFY_MAXDELAY, 24);
        req(REQ_MODIFY_MAXDELAYRATIO, 24);
        req(REQ_MODIFY_MAXUPDATESKEW, 4);
        req(REQ_LOGON, 12);
        req(REQ_SETTIME, 12, RPY_MANUAL_TIMESTAMP2);
        req(REQ_MANUAL, 4);
        req(REQ_N_SOURCES, 0, RPY_N_SOURCES);
        req(REQ_SOURCE_DATA, 4, RPY_SOURCE_DATA);
        req(REQ_REKEY, 0);
        for (int c = REQ_ALLOW; c <= REQ_CMDDENYALL; c++) req(c, 24);
        req(REQ_ACCHECK, 20);
        req(REQ_CMDACCHECK, 20);
        req(REQ_DEL_SOURCE, 20);
        req(REQ_WRITERTC, 0);
        req(REQ_DFREQ, 4);
        req(REQ_TRACKING, 0, RPY_TRACKING);
        req(REQ_SOURCESTATS, 4, RPY_SOURCESTATS);
        req(REQ_RTCREPORT, 0, RPY_RTC);
        req(REQ_TRIMRTC, 0);
        req(REQ_CYCLELOGS, 0);
        req(REQ_MANUAL_LIST, 0, RPY_MANUAL_LIST2);
        req(REQ_MANUAL_DELETE, 4);
        req(REQ_MAKESTEP, 0);
        req(REQ_ACTIVITY, 0, RPY_ACTIVITY);
        req(REQ_MODIFY_MINSTRATUM, 24);
        req(REQ_MODIFY_POLLTARGET, 24);
        req(REQ_MODIFY_MAXDELAYDEVRATIO, 24);
        req(REQ_RESELECT, 0);
        req(REQ_RESELECTDISTANCE, 4);
        req(REQ_MODIFY_MAKESTEP, 8);
        req(REQ_SMOOTHING, 0, RPY_SMOOTHING);
        req(REQ_SMOOTHTIME, 4);
        req(REQ_REFRESH, 0);
        req(REQ_SERVER_STATS, 0, RPY_SERVER_STATS3);
        req(REQ_LOCAL2, 16);
        req(REQ_NTP_DATA, 20, RPY_NTP_DATA);
        req(REQ_SHUTDOWN, 0);
        req(REQ_ONOFFLINE, 0);
        req(REQ_ADD_SOURCE, 352);
        req(REQ_NTP_SOURCE_NAME, 20, RPY_NTP_SOURCE_NAME);
        req(REQ_RESET_SOURCES, 0);
        req(REQ_AUTH_DATA, 20, RPY_AUTH_DATA);
        req(REQ_CLIENT_ACCESSES_BY_INDEX3, 16, RPY_CLIENT_ACCESSES_BY_INDEX3);
        req(REQ_SELECT_DATA, 4, RPY_SELECT_DATA);
        req(REQ_RELOAD_SOURCES, 0);
        req(REQ_DOFFSET2, 4);
        req(REQ_MODIFY_SELECTOPTS, 32);
        req(REQ_MODIFY_OFFSET, 28);
        req(REQ_LOCAL3, 28);

        REPLY_LENGTH[RPY_NULL] = 28;
        REPLY_LENGTH[RPY_N_SOURCES] = 32;
        REPLY_LENGTH[RPY_SOURCE_DATA] = 76;
        REPLY_LENGTH[RPY_TRACKING] = 104;
        REPLY_LENGTH[RPY_SOURCESTATS] = 84;
        REPLY_LENGTH[RPY_RTC] = 56;
        REPLY_LENGTH[RPY_ACTIVITY] = 48;
        REPLY_LENGTH[RPY_SMOOTHING] = 52;
        REPLY_LENGTH[RPY_NTP_DATA] = 152;
        REPLY_LENGTH[RPY_MANUAL_TIMESTAMP2] = 40;
        REPLY_LENGTH[RPY_MANUAL_LIST2] = 416;
        REPLY_LENGTH[RPY_NTP_SOURCE_NAME] = 284;
        REPLY_LENGTH[RPY_AUTH_DATA] = 52;
        REPLY_LENGTH[RPY_CLIENT_ACCESSES_BY_INDEX3] = 520;
        REPLY_LENGTH[RPY_SELECT_DATA] = 76;
        REPLY_LENGTH[RPY_SERVER_STATS3] = 72;
        REPLY_LENGTH[RPY_SERVER_STATS4] = 196;
        REPLY_LENGTH[RPY_NTP_DATA2] = 172;
    }

    private static void req(int code, int dataLength) { req(code, dataLength, RPY_NULL); }

    private static void req(int code, int dataLength, int padReply) {
        REQUEST_DATA[code] = dataLength;
        PAD_REPLY[code] = padReply;
    }

    /** Whether the code is a request this implementation knows (chronyd 4.3 and 4.8 sets). */
    public static boolean knownRequest(int command) {
        return command >= 0 && command < N_REQUEST_TYPES && REQUEST_DATA[command] >= 0;
    }

    /** Request length in the older (chronyc 4.3) generation: header + data + padding. 0 if unknown. */
    public static int requestLength(int command) {
        if (!knownRequest(command)) return 0;
        return Math.max(REQUEST_HEADER + REQUEST_DATA[command], REPLY_LENGTH[PAD_REPLY[command]]);
    }

    /** Request length as chronyc 4.4+ pads it (longer SERVER_STATS and NTP_DATA replies). */
    public static int requestLengthNew(int command) {
        return switch (command) {
            case REQ_SERVER_STATS -> REPLY_LENGTH[RPY_SERVER_STATS4];
            case REQ_NTP_DATA -> REPLY_LENGTH[RPY_NTP_DATA2];
            default -> requestLength(command);
        };
    }

    /** Request data bytes (after the header, no padding); -1 if unknown. */
    public static int requestDataLength(int command) {
        return knownRequest(command) ? REQUEST_DATA[command] : -1;
    }

    /** Total reply length for a reply code; 0 if unknown. */
    public static int replyLength(int reply) {
        return reply >= 1 && reply < REPLY_LENGTH.length ? REPLY_LENGTH[reply] : 0;
    }

    /**
     * Commands chronyd 4.3 serves over UDP (PERMIT_OPEN); all others answer "not authorised"
     * unless they arrive over the Unix socket.
     */
    public static boolean openOverUdp(int command) {
        return switch (command) {
            case REQ_NULL, REQ_LOGON, REQ_N_SOURCES, REQ_SOURCE_DATA, REQ_TRACKING, REQ_SOURCESTATS,
                 REQ_RTCREPORT, REQ_MANUAL_LIST, REQ_ACTIVITY, REQ_SMOOTHING, REQ_NTP_SOURCE_NAME -> true;
            default -> false;
        };
    }
}
