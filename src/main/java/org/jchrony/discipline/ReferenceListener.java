package org.jchrony.discipline;

/** Told about every reference update (runs on the core thread). */
public interface ReferenceListener {
    /** After each clock update; publish {@code state} to the NTP server. */
    void referenceUpdated(ReferenceState state);

    /** chronyd's maxchange: the offset exceeded the limit more than {@code ignore} times; chronyd exits. */
    default void maxChangeExceeded(double offsetSeconds) {}

    /** A step was made (makestep threshold or command), so callers can log it as chronyd does. */
    default void clockStepped(double fastBySeconds) {}
}
