/** The NTP server: a pure responder, access lists, rate limiting and client log, over an immutable snapshot. */
package org.jchrony.server;
