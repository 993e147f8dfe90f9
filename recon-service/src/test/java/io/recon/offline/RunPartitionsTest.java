package io.recon.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** A run's session for a key is the one whose live partition holds that key: the same split as the producer's. */
class RunPartitionsTest {

    @Test
    void aKeyGoesToThePartitionTheProducerPutsItsFactsOn() {
        for (int partitions : new int[] {1, 2, 3, 8}) {
            for (int i = 0; i < 1_000; i++) {
                String key = "O-" + i + (i % 7 == 0 ? "-é" : "");
                assertThat(RunPartitions.partition(key, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}
