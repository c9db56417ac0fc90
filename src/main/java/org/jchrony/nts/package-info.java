/**
 * Network Time Security (RFC 8915) as chronyd 4.3 speaks it, without I/O: NTS-KE records and the
 * server's answer to a key-establishment request ({@link org.jchrony.nts.NtsKeRecord},
 * {@link org.jchrony.nts.NtsKeServerExchange}), server keys and cookies
 * ({@link org.jchrony.nts.NtsServerKeys}, {@link org.jchrony.nts.NtsCookies}), the NTP server's
 * check of NTS requests and its authenticated answers ({@link org.jchrony.nts.NtsNtpServer}), and
 * the client's side ({@link org.jchrony.nts.NtsClientSession}). The TLS transport lives in
 * {@code org.jchrony.net}; PEM files and the key dump are read here. See docs/NTS.md.
 */
package org.jchrony.nts;
