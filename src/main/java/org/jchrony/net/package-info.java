/** Sockets: FFM-created timestamping UDP sockets driven by Netty epoll loops, Unix datagram sockets. */
package org.jchrony.net;
