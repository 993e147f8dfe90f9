package io.recon.system.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Remembers for a few minutes that a password matched its bcrypt hash. API clients send HTTP Basic on
 * every request and bcrypt costs ~80 ms of CPU by design: without this, a source pushing events would be
 * held to a dozen requests per second per core. Only successes are kept, as a keyed HMAC of hash and
 * password (the key lives only in this process), so a wrong password always pays the full bcrypt price.
 */
final class VerifiedPasswords implements PasswordEncoder {

    private static final int MAX_ENTRIES = 1024;

    private final PasswordEncoder delegate;
    private final Duration ttl;
    private final Clock clock;
    private final SecretKeySpec key;
    private final Map<String, Long> verifiedUntil = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    VerifiedPasswords(PasswordEncoder delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Override
    public String encode(CharSequence raw) {
        return delegate.encode(raw);
    }

    @Override
    public boolean matches(CharSequence raw, String encoded) {
        if (raw == null || encoded == null) {
            return delegate.matches(raw, encoded);
        }
        String fingerprint = fingerprint(raw, encoded);
        long now = clock.millis();
        synchronized (verifiedUntil) {
            Long until = verifiedUntil.get(fingerprint);
            if (until != null && until > now) {
                return true;
            }
        }
        boolean matches = delegate.matches(raw, encoded);
        if (matches) {
            synchronized (verifiedUntil) {
                verifiedUntil.put(fingerprint, now + ttl.toMillis());
            }
        }
        return matches;
    }

    @Override
    public boolean upgradeEncoding(String encoded) {
        return delegate.upgradeEncoding(encoded);
    }

    private String fingerprint(CharSequence raw, String encoded) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(encoded.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(raw.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
