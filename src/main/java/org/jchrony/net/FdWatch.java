package org.jchrony.net;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches any file descriptor for readability on a Netty 4.2 epoll {@link IoEventLoop} (an
 * {@link EpollIoHandle}, level-triggered EPOLLIN) and runs a callback on that loop's thread
 * each time it is readable. The callback must drain what it can without blocking; data left
 * behind triggers it again. This is how the FFM UDP sockets and the Unix command socket join
 * the event loops, the way chronyd adds its sockets to its one select/poll loop.
 *
 * <p>The fd is put in non-blocking mode (fcntl O_NONBLOCK). {@link #close()} stops watching and
 * then runs the optional {@code onClose} (which normally closes the fd); the loop shutting down
 * does the same.
 */
public final class FdWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FdWatch.class);

    /** Called on the event loop thread when the fd is readable (or has a pending error). */
    @FunctionalInterface
    public interface ReadyCallback {
        void ready();
    }

    private final IoEventLoop loop;
    private final int fd;
    private final ReadyCallback callback;
    private final Runnable onClose;
    private final Handle handle;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IoRegistration registration;

    private FdWatch(IoEventLoop loop, int fd, ReadyCallback callback, Runnable onClose) {
        this.loop = loop;
        this.fd = fd;
        this.callback = callback;
        this.onClose = onClose;
        this.handle = new Handle(); // after fd is set: the handle reads it
    }

    /**
     * Registers {@code fd} on {@code loop} and starts watching for EPOLLIN. Blocks until the
     * registration is done (fine on the loop thread itself: it completes inline there).
     *
     * @param onClose run once on close, after the fd left epoll (may be null)
     */
    public static FdWatch register(IoEventLoop loop, int fd, ReadyCallback callback, Runnable onClose) throws IOException {
        setNonBlocking(fd);
        FdWatch w = new FdWatch(loop, fd, callback, onClose);
        Future<IoRegistration> f = loop.register(w.handle).awaitUninterruptibly();
        if (!f.isSuccess()) throw new IOException("cannot register fd " + fd + " on " + loop, f.cause());
        w.registration = f.getNow();
        try {
            w.registration.submit(EpollIoOps.EPOLLIN);
        } catch (Exception e) {
            w.close();
            throw new IOException("cannot watch fd " + fd + " for EPOLLIN", e);
        }
        return w;
    }

    /** fcntl(fd, F_SETFL, flags | O_NONBLOCK). */
    public static void setNonBlocking(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Libc.newCallState(arena);
            int flags = Libc.fcntl(cs, fd, Libc.F_GETFL, 0);
            if (flags < 0) throw new ErrnoException("fcntl(F_GETFL)", Libc.errno(cs));
            if ((flags & Libc.O_NONBLOCK) == 0 && Libc.fcntl(cs, fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK) < 0) {
                throw new ErrnoException("fcntl(F_SETFL, O_NONBLOCK)", Libc.errno(cs));
            }
        }
    }

    public IoEventLoop loop() { return loop; }

    public int fd() { return fd; }

    public boolean isOpen() { return !closed.get(); }

    /** Stops watching and runs {@code onClose}, on the loop thread; waits for it unless called there. */
    @Override
    public void close() {
        if (loop.inEventLoop() || loop.isShutdown()) {
            closeNow();
        } else {
            try {
                loop.submit(this::closeNow).awaitUninterruptibly();
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the loop is shutting down; it closes its handles itself, or we do below
            }
            if (!closed.get()) closeNow(); // the loop ended before running the task
        }
    }

    private void closeNow() {
        if (!closed.compareAndSet(false, true)) return;
        IoRegistration r = registration;
        if (r != null) {
            try {
                r.cancel();
            } catch (Exception e) {
                log.debug("cancelling epoll registration of fd {}", fd, e);
            }
        }
        if (onClose != null) {
            try {
                onClose.run();
            } catch (RuntimeException | Error e) {
                log.warn("closing fd {}", fd, e);
            }
        }
    }

    private final class Handle implements EpollIoHandle {
        private final FileDescriptor nettyFd = new FileDescriptor(fd) {
            @Override
            public void close() {
                // the owner closes the fd (onClose); Netty must not
            }
        };

        @Override
        public FileDescriptor fd() {
            return nettyFd;
        }

        @Override
        public void handle(IoRegistration reg, IoEvent event) {
            if (closed.get()) return;
            try {
                callback.ready();
            } catch (RuntimeException e) {
                log.warn("fd {} read callback failed; still watching", fd, e);
            }
        }

        @Override
        public void close() {
            // Netty calls this when the loop shuts down (after cancelling the registration)
            closeNow();
        }
    }
}
