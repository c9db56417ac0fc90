package org.jchrony.auth;

import java.util.Optional;
import org.jchrony.server.SymmetricKeys;

/**
 * Symmetric keys as both sides use them: MAC signing/verification ({@link SymmetricKeys}, for
 * the server's Responder and for sources) plus the key's type and length for
 * {@code chronyc authdata}. Implementations never throw from these methods.
 */
public interface AuthKeys extends SymmetricKeys {
    /** Type and length of key {@code id}, empty if the key is not (or no longer) loaded. */
    Optional<KeyInfo> info(long id);
}
