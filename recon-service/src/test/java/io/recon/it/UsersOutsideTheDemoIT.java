package io.recon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** Without the embedded demo there are no demo users, and a plain-text or demo password stops the start with how to set users. */
class UsersOutsideTheDemoIT {

    @Test
    void aPlainTextPasswordStopsTheStartNamingTheUser() {
        assertThatThrownBy(() -> ReconInstance.start(ReconTestSupport.newWorkDir("nodemo-noop"), "recon.demo.enabled=false",
                "recon.security.users.alice.password={noop}alice-s3cret", "recon.security.users.alice.roles=HANDLER"))
                .rootCause()
                .hasMessageContaining("Recon does not start: user 'alice' (recon.security.users.alice) has a plain-text ({noop}) password")
                .hasMessageContaining("RECON_SECURITY_USERS_ALICE_PASSWORD")
                .hasMessageNotContaining("alice-s3cret");
    }

    @Test
    void aHashOfADemoPasswordStopsTheStart() {
        String operator = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("operator");

        assertThatThrownBy(() -> ReconInstance.start(ReconTestSupport.newWorkDir("nodemo-demo"), "recon.demo.enabled=false",
                "recon.security.users.ops.password=" + operator, "recon.security.users.ops.roles=OPERATOR"))
                .rootCause()
                .hasMessageContaining("user 'ops' (recon.security.users.ops) has one of the demo's published passwords");
        assertThat(operator).startsWith("{bcrypt}$2a$04$");
    }
}
