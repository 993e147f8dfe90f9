package io.recon.system.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/** Outside the demo only bcrypt hashes of passwords nobody published are accepted, and a refusal says how to set users. */
class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy(PasswordEncoderFactories.createDelegatingPasswordEncoder());
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);

    @Test
    void aBcryptHashOfAnOwnPasswordIsAccepted() {
        assertThatCode(() -> policy.check("alice", "recon.security.users.alice", "{bcrypt}" + bcrypt.encode("correct horse battery")))
                .doesNotThrowAnyException();
    }

    @Test
    void aPlainTextPasswordIsRefusedWithHowToSetUsers() {
        assertThatThrownBy(() -> policy.check("alice", "recon.security.users.alice", "{noop}s3cret"))
                .hasMessageContaining("user 'alice' (recon.security.users.alice) has a plain-text ({noop}) password")
                .hasMessageContaining("RECON_SECURITY_USERS_ALICE_PASSWORD='{bcrypt}<hash>'")
                .hasMessageContaining("recon_user")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aHashOfADemoPasswordIsRefusedWhateverTheUserIsCalled() {
        assertThatThrownBy(() -> policy.check("alice", "table recon_user", "{bcrypt}" + bcrypt.encode("operator")))
                .hasMessageContaining("user 'alice' (table recon_user) has one of the demo's published passwords");
    }

    @Test
    void aPasswordWithoutAnEncoderOrWithABrokenHashIsRefused() {
        assertThatThrownBy(() -> policy.check("bob", "recon.security.users.bob", "hunter2")).hasMessageContaining("not a bcrypt hash");
        assertThatThrownBy(() -> policy.check("bob", "recon.security.users.bob", "{bcrypt}$2a$10$short")).hasMessageContaining("malformed bcrypt hash");
        assertThatThrownBy(() -> policy.check("bob", "recon.security.users.bob", null)).hasMessageContaining("has no password");
    }
}
