/**
 * Authentication shared by the server and the sources: chrony keyfiles ({@link org.jchrony.auth.KeyFile},
 * {@link org.jchrony.auth.Keys}, {@link org.jchrony.auth.KeyRing} for {@code rekey}), a source's key
 * ({@link org.jchrony.auth.SourceAuth}) and the client-side MAC rules ({@link org.jchrony.auth.MacCheck}),
 * as Debian's chronyd 4.3 behaves; AES-CMAC and AEAD_AES_SIV_CMAC_256 (the first NTS building block).
 * No I/O besides reading the keyfile, no clock. See docs/AUTH.md.
 */
package org.jchrony.auth;
