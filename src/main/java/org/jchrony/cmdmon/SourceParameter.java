package org.jchrony.cmdmon;

/** Per-source settings chronyc can change (minpoll, maxdelay, ...), with their request codes. */
public enum SourceParameter {
    MINPOLL(Candm.REQ_MODIFY_MINPOLL),
    MAXPOLL(Candm.REQ_MODIFY_MAXPOLL),
    MINSTRATUM(Candm.REQ_MODIFY_MINSTRATUM),
    POLLTARGET(Candm.REQ_MODIFY_POLLTARGET),
    /** seconds */
    MAXDELAY(Candm.REQ_MODIFY_MAXDELAY),
    MAXDELAYRATIO(Candm.REQ_MODIFY_MAXDELAYRATIO),
    MAXDELAYDEVRATIO(Candm.REQ_MODIFY_MAXDELAYDEVRATIO);

    private final int requestCode;

    SourceParameter(int requestCode) {
        this.requestCode = requestCode;
    }

    public int requestCode() { return requestCode; }

    static SourceParameter of(int requestCode) {
        for (SourceParameter p : values()) if (p.requestCode == requestCode) return p;
        throw new IllegalArgumentException("not a source parameter request: " + requestCode);
    }
}
