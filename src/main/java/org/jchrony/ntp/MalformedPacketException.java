package org.jchrony.ntp;

/** The one exception type NTP decoding throws for bad input. Cheap: no stack trace. */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
