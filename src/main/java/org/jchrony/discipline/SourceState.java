package org.jchrony.discipline;

/** Selection state of a source, the symbol in {@code chronyc sources} (code = chronyc wire value). */
public enum SourceState {
    /** '*' the source the clock is synchronised to. */
    SELECTED('*', 0),
    /** '?' unusable: unreachable, too few samples, too large distance, failing tests, noselect. */
    UNSELECTABLE('?', 1),
    /** 'x' a falseticker: its interval does not agree with the majority. */
    FALSETICKER('x', 2),
    /** '~' too variable: its jitter exceeds maxjitter. */
    JITTERY('~', 3),
    /** '+' acceptable and combined with the selected source. */
    COMBINED('+', 4),
    /** '-' acceptable but not combined. */
    NOT_COMBINED('-', 5);

    private final char symbol;
    private final int wireCode;

    SourceState(char symbol, int wireCode) {
        this.symbol = symbol;
        this.wireCode = wireCode;
    }

    public char symbol() { return symbol; }

    public int wireCode() { return wireCode; }
}
