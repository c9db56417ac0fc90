package org.jchrony.cmdmon;

/** chronyc authdata for one source (RPY_AUTH_DATA). mode: 0 none, 1 symmetric key, 2 NTS. */
public record AuthDataReport(int mode, int keyType, long keyId, int keyLengthBits, int keAttempts,
                             long lastKeAgoSeconds, int cookies, int cookieLength, int nak) {}
