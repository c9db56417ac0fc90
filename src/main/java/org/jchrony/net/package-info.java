/**
 * Sockets: FFM-created timestamping UDP sockets driven by Netty 4.2 epoll loops, Unix datagram
 * sockets, and the real-time clock.
 *
 * <ul>
 *   <li>{@link org.jchrony.net.NtpServerSockets}: the NTP server's SO_REUSEPORT sockets over an
 *       event loop group, all calling one {@link org.jchrony.server.DatagramHandler}.</li>
 *   <li>{@link org.jchrony.net.ClientSocket}: a socket to an upstream source on the core loop,
 *       send() returns the transmit time (kernel TX stamp when available).</li>
 *   <li>{@link org.jchrony.net.UdpEndpoint}: one socket on one loop (recvmmsg/sendmmsg batches,
 *       kernel RX stamps, replies from the request's destination address).</li>
 *   <li>{@link org.jchrony.net.FdWatch}: any non-blocking fd on a loop with a read callback.</li>
 *   <li>{@link org.jchrony.net.NettyScheduler}, {@link org.jchrony.net.RealtimeClock},
 *       {@link org.jchrony.net.ClockPrecision}: the core loop's timers, CLOCK_REALTIME, and
 *       chronyd's precision measurement.</li>
 *   <li>{@link org.jchrony.net.Libc}: the FFM bindings and struct layouts.</li>
 * </ul>
 */
package org.jchrony.net;
