package io.recon.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayMarksTest {

    @Test
    void replayStartsFromTheLatestWatermarkOldEnoughToRebuildEverything() {
        ReplayMarks marks = new ReplayMarks(10_000, 0);
        marks.watermarkAt(5, 100_000);
        marks.watermarkAt(9, 105_000);   // too close to the previous mark: not kept
        marks.watermarkAt(40, 110_000);
        marks.watermarkAt(80, 120_000);

        assertThat(marks.replayFrom(115_000)).isEqualTo(40);
        assertThat(marks.replayFrom(125_000)).isEqualTo(80);
    }

    @Test
    void whileNoMarkIsOldEnoughReplayStartsWhereThisRunStarted() {
        ReplayMarks marks = new ReplayMarks(10_000, 1234);
        marks.watermarkAt(1300, 500_000);

        assertThat(marks.replayFrom(400_000)).isEqualTo(1234);
    }
}
