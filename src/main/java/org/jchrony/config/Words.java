package org.jchrony.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of one normalized configuration line after the directive name, read left to
 * right. A numeric option value that is only partly numeric leaves its tail as the next
 * word, as chronyd's {@code sscanf("%d%n")}-and-advance option loops do.
 */
final class Words {
    private final List<String> words;
    private int index;

    Words(List<String> words) {
        this.words = new ArrayList<>(words);
    }

    static Words of(String normalizedArgs) {
        return new Words(normalizedArgs.isEmpty() ? List.of() : List.of(normalizedArgs.split(" ")));
    }

    boolean hasNext() {
        return index < words.size();
    }

    String next() {
        return words.get(index++);
    }

    /** The next word without consuming it, or "" at the end of the line. */
    String peek() {
        return hasNext() ? words.get(index) : "";
    }

    /** Marks the peeked word as used up to {@code rest}; a non-empty rest becomes the next word. */
    void consume(String rest) {
        if (!hasNext()) {
            return;
        }
        if (rest.isEmpty()) {
            index++;
        } else {
            words.set(index, rest);
        }
    }

    int remaining() {
        return words.size() - index;
    }

    /** All words not yet consumed. */
    java.util.List<String> remainingList() {
        return java.util.List.copyOf(words.subList(index, words.size()));
    }
}
