/** NTP packets, timestamps, extension fields and MACs: bytes in, records out. No I/O, no clock. */
package org.jchrony.ntp;
