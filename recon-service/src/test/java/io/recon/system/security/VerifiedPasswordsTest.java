package io.recon.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/** A Basic client pays bcrypt once per few minutes, not per request; a wrong password never gets in, and a changed hash is checked afresh. */
class VerifiedPasswordsTest {

    private final MovableClock clock = new MovableClock();
    private final VerifiedPasswords passwords = new VerifiedPasswords(PasswordEncoderFactories.createDelegatingPasswordEncoder(),
            Duration.ofMinutes(5), clock);
    private final String hash = "{bcrypt}" + new BCryptPasswordEncoder(10).encode("feed-the-pipeline");

    @Test
    void theSecondCheckOfTheRightPasswordIsFreeAndAWrongOneIsRefused() {
        assertThat(passwords.matches("feed-the-pipeline", hash)).isTrue();

        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertThat(passwords.matches("feed-the-pipeline", hash)).isTrue();
        }
        long micros = (System.nanoTime() - started) / 1_000 / 100;

        assertThat(micros).as("microseconds per remembered check").isLessThan(5_000);
        assertThat(passwords.matches("feed-the-pipelinE", hash)).isFalse();
    }

    @Test
    void aRememberedMatchExpiresAndDoesNotCarryOverToANewHash() {
        assertThat(passwords.matches("feed-the-pipeline", hash)).isTrue();
        String changed = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("a-new-password");

        assertThat(passwords.matches("feed-the-pipeline", changed)).isFalse();
        clock.advance(Duration.ofMinutes(6));
        assertThat(passwords.matches("feed-the-pipeline", hash)).as("checked again by bcrypt, still right").isTrue();
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
