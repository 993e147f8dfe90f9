package io.recon.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MariaDbDriverTest {

    @Test
    void onlyTheBinlogPositionStatementIsTranslated() {
        assertThat(MariaDbDriver.translated("SHOW BINARY LOG STATUS")).isEqualTo("SHOW MASTER STATUS");
        assertThat(MariaDbDriver.translated("  show binary log status ")).isEqualTo("SHOW MASTER STATUS");
        assertThat(MariaDbDriver.translated("SELECT 'SHOW BINARY LOG STATUS'")).isEqualTo("SELECT 'SHOW BINARY LOG STATUS'");
        assertThat(MariaDbDriver.translated(null)).isNull();
    }

    @Test
    void takesOnlyItsOwnUrls() {
        MariaDbDriver driver = new MariaDbDriver();
        assertThat(driver.acceptsURL("jdbc:recon-mariadb://127.0.0.1:3306/")).isTrue();
        assertThat(driver.acceptsURL("jdbc:mysql://127.0.0.1:3306/")).isFalse();
        assertThat(driver.acceptsURL("jdbc:postgresql://127.0.0.1:5432/x")).isFalse();
    }
}
