package org.jchrony.source;

import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Name resolution for server/pool names. The daemon resolves off the core thread and must
 * deliver the result back on the core thread; tests may call back at once.
 */
@FunctionalInterface
public interface Resolver {
    /** Resolves {@code name}; calls {@code result} with the addresses (empty on failure). */
    void resolve(String name, Consumer<List<InetAddress>> result);
}
