package org.jchrony.cmdmon;

/** candm reply status codes (STT_*) and the text chronyc prints for each. */
public enum Status {
    SUCCESS(0, "200 OK"),
    FAILED(1, "500 Failure"),
    UNAUTH(2, "501 Not authorised"),
    INVALID(3, "502 Invalid command"),
    NO_SUCH_SOURCE(4, "503 No such source"),
    INVALID_TS(5, "504 Duplicate or stale logon detected"),
    NOT_ENABLED(6, "505 Facility not enabled in daemon"),
    BAD_SUBNET(7, "507 Bad subnet"),
    ACCESS_ALLOWED(8, "208 Access allowed"),
    ACCESS_DENIED(9, "209 Access denied"),
    NO_HOST_ACCESS(10, "510 No command access from this host"),
    SOURCE_ALREADY_KNOWN(11, "511 Source already present"),
    TOO_MANY_SOURCES(12, "512 Too many sources present"),
    NO_RTC(13, "513 RTC driver not running"),
    BAD_RTC_FILE(14, "514 Can't write RTC parameters"),
    INACTIVE(15, "519 Client logging is not active in the daemon"),
    BAD_SAMPLE(16, "516 Sample index out of range"),
    INVALID_AF(17, "515 Invalid address family"),
    BAD_PKT_VERSION(18, "517 Protocol version mismatch"),
    BAD_PKT_LENGTH(19, "518 Packet length mismatch"),
    INVALID_NAME(21, "521 Invalid name");

    private final int code;
    private final String text;

    Status(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() { return code; }

    /** chronyc's message for this status. */
    public String text() { return text; }

    public static Status of(int code) {
        for (Status s : values()) if (s.code == code) return s;
        return null;
    }

    /** chronyc's line for a status code, including unknown ones. */
    public static String textOf(int code) {
        Status s = of(code);
        return s == null ? "520 Got unexpected error from daemon" : s.text;
    }
}
