package dev.splitfed.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a client counts as connected, on a clock the test moves. */
class LivenessTest {

    private long now;

    @Test
    void aClientIsAliveWhileItPollsAndForTheTimeoutAfterItWasLastHeard() {
        Liveness liveness = new Liveness(() -> now, Duration.ofSeconds(10));
        assertThat(liveness.alive(0)).as("never heard from").isFalse();
        liveness.heard(0);
        now = 9_999_999_999L;
        assertThat(liveness.alive(0)).isTrue();
        now = 10_000_000_000L;
        assertThat(liveness.alive(0)).isFalse();

        liveness.pollStarted(1);
        now += 60_000_000_000L;
        assertThat(liveness.alive(1)).as("a long poll keeps it connected").isTrue();
        liveness.pollEnded(1);
        now += 9_000_000_000L;
        assertThat(liveness.alive(1)).isTrue();
        now += 1_000_000_000L;
        assertThat(liveness.alive(1)).isFalse();
    }
}
