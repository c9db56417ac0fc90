package org.jchrony.auth;

/** What {@code chronyc authdata} shows about a key: its type and length (bits). */
public record KeyInfo(long id, KeyType type, int lengthBits) {}
