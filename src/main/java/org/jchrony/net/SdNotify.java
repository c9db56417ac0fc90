package org.jchrony.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's sd_notify: sends "READY=1", "STATUS=..." datagrams to $NOTIFY_SOCKET (a path, or
 * an abstract name starting with '@'), as chronyd built with systemd support does for
 * Type=notify units. Without $NOTIFY_SOCKET every call is a no-op.
 */
public final class SdNotify implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SdNotify.class);

    private final String socketPath;
    private UnixDatagramSocket socket;

    /** Uses $NOTIFY_SOCKET from the environment. */
    public static SdNotify fromEnvironment() {
        return new SdNotify(System.getenv("NOTIFY_SOCKET"));
    }

    /** @param socketPath the notify socket, or null/empty for none */
    public SdNotify(String socketPath) {
        this.socketPath = socketPath == null || socketPath.isEmpty() ? null : socketPath;
    }

    public boolean enabled() { return socketPath != null; }

    /** Sends one notification (lines "KEY=VALUE" separated by newlines); false if not sent. */
    public boolean notify(String state) {
        if (socketPath == null) return false;
        try {
            if (socket == null) socket = UnixDatagramSocket.open();
            byte[] b = state.getBytes(StandardCharsets.UTF_8);
            socket.sendTo(b, 0, b.length, socketPath);
            return true;
        } catch (IOException e) {
            log.warn("Could not notify systemd at {}: {}", socketPath, e.getMessage());
            return false;
        }
    }

    public boolean ready() { return notify("READY=1"); }

    public boolean status(String text) { return notify("STATUS=" + text); }

    public boolean stopping() { return notify("STOPPING=1"); }

    @Override
    public void close() {
        if (socket != null) socket.close();
        socket = null;
    }
}
