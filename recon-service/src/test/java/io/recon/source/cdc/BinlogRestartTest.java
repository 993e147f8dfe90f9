package io.recon.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BinlogRestartTest {

    @Test
    void removesTheRowAndEventCountsAndKeepsThePosition() {
        assertThat(BinlogRestart.withoutSkips("{\"ts_sec\":1796235266,\"file\":\"binlog.000001\",\"pos\":8835,\"row\":1,\"server_id\":1,\"event\":2}"))
                .isEqualTo("{\"ts_sec\":1796235266,\"file\":\"binlog.000001\",\"pos\":8835,\"server_id\":1}");
        assertThat(BinlogRestart.withoutSkips("{\"file\":\"binlog.000001\",\"pos\":8835,\"row\":1}"))
                .isEqualTo("{\"file\":\"binlog.000001\",\"pos\":8835}");
        assertThat(BinlogRestart.withoutSkips("{\"file\":\"binlog.000001\",\"pos\":4,\"snapshot\":true}"))
                .isEqualTo("{\"file\":\"binlog.000001\",\"pos\":4,\"snapshot\":true}");
    }
}
