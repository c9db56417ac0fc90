package org.jchrony.server;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The volatile reference through which the core publishes {@link ServerSnapshot}s to the
 * server threads: the core thread calls {@link #publish}, responders call {@link #get} per
 * packet (a plain volatile read, no allocation, no lock).
 */
public final class ServerSnapshotHolder implements Supplier<ServerSnapshot> {
    private volatile ServerSnapshot current;

    public ServerSnapshotHolder(ServerSnapshot initial) {
        current = Objects.requireNonNull(initial);
    }

    public void publish(ServerSnapshot snapshot) {
        current = Objects.requireNonNull(snapshot);
    }

    @Override
    public ServerSnapshot get() {
        return current;
    }
}
