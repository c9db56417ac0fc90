package org.jchrony.cmdmon;

/** The chronyc commands without arguments that change daemon state (Unix socket only). */
public enum SimpleCommand {
    /** dump: write measurement histories (dumpdir). */
    DUMP(Candm.REQ_DUMP),
    /** rekey: reread the key file. */
    REKEY(Candm.REQ_REKEY),
    /** cyclelogs: reopen log files. */
    CYCLELOGS(Candm.REQ_CYCLELOGS),
    /** reselect: force source reselection. */
    RESELECT(Candm.REQ_RESELECT),
    /** refresh: re-resolve source names. */
    REFRESH(Candm.REQ_REFRESH),
    /** reload sources: reread sourcedir files. */
    RELOAD_SOURCES(Candm.REQ_RELOAD_SOURCES),
    /** reset sources: drop all measurements (as after an external step). */
    RESET_SOURCES(Candm.REQ_RESET_SOURCES),
    /** shutdown: exit the daemon. */
    SHUTDOWN(Candm.REQ_SHUTDOWN),
    /** writertc: save RTC parameters (NO_RTC / BAD_RTC_FILE on failure). */
    WRITERTC(Candm.REQ_WRITERTC),
    /** trimrtc: correct the RTC (NO_RTC on failure). */
    TRIMRTC(Candm.REQ_TRIMRTC),
    /** makestep without arguments: step the clock now (FAILED on failure). */
    MAKESTEP(Candm.REQ_MAKESTEP);

    private final int requestCode;

    SimpleCommand(int requestCode) {
        this.requestCode = requestCode;
    }

    public int requestCode() { return requestCode; }

    static SimpleCommand of(int requestCode) {
        for (SimpleCommand c : values()) if (c.requestCode == requestCode) return c;
        return null;
    }
}
