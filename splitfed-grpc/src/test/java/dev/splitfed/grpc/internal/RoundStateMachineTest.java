package dev.splitfed.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitfed.grpc.internal.RoundStateMachine.Assignment;
import dev.splitfed.grpc.internal.RoundStateMachine.Phase;
import dev.splitfed.internal.role.ClientReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The coordinator's round state driven by hand, on a clock the test moves: no network, no threads. */
class RoundStateMachineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ALIVE = Duration.ofSeconds(10);

    private long now;

    private void at(double seconds) {
        now = Math.round(seconds * 1e9);
    }

    private RoundStateMachine machine(int clients, int minClients) {
        return new RoundStateMachine(clients, minClients, TIMEOUT, () -> now, ALIVE);
    }

    private static ClientReport trained(int id, long samples, double lossSum) {
        return new ClientReport(id, samples, lossSum);
    }

    /** A client's long poll: it is connected while it waits, and takes what is due. */
    private static Assignment poll(RoundStateMachine m, int id, long after) {
        m.pollStarted(id);
        try {
            return m.handOut(id, after);
        } finally {
            m.pollEnded(id);
        }
    }

    @Test
    void aClientThatGoesSilentIsDroppedAndTakesPartAgainOnceItRejoins() {
        RoundStateMachine m = machine(3, 2);
        at(0);
        assertThat(m.connected()).isEmpty();
        assertThat(m.open(1)).as("no one is connected").isFalse();
        assertThat(m.round()).isZero();
        m.heard(0);
        m.heard(1);
        assertThat(m.open(1)).isTrue();
        assertThat(m.round()).isEqualTo(1);
        at(1);
        m.heard(2);
        assertThat(m.connected()).containsExactly(0, 1, 2);

        m.beginTraining();
        assertThat(m.assignTraining(0, 0)).isTrue();
        assertThat(m.assignTraining(1, 3)).isTrue();
        assertThat(m.assignTraining(2, 0)).isTrue();
        assertThat(m.assignments()).isEqualTo(Map.of(
                0, new Assignment(1, Phase.TRAIN, 0),
                1, new Assignment(1, Phase.TRAIN, 3),
                2, new Assignment(1, Phase.TRAIN, 0)));
        assertThat(m.handedOut()).isEmpty();
        for (int id = 0; id < 3; id++) {
            assertThat(poll(m, id, RoundStateMachine.NOTHING_DONE)).isEqualTo(m.assignments().get(id));
        }
        // A client that asks again (it failed and retries) is not handed the same task twice.
        assertThat(poll(m, 0, RoundStateMachine.NOTHING_DONE)).isNull();
        assertThat(m.handedOut()).containsExactly(0, 1, 2);
        List<Integer> order = List.of(0, 1, 2);
        assertThat(m.awaiting(order, Phase.TRAIN)).isTrue();

        at(5);
        assertThat(m.report(1, Phase.TRAIN, trained(0, 10, 5))).isTrue();
        assertThat(m.report(1, Phase.TRAIN, trained(1, 3, 1.5))).isTrue();
        assertThat(m.reported(0, Phase.TRAIN)).isTrue();
        assertThat(m.reported(2, Phase.TRAIN)).isFalse();
        assertThat(m.awaiting(order, Phase.TRAIN)).as("client 2 may still report").isTrue();
        at(9);
        m.heard(0);
        m.heard(1);
        // Client 2 was last heard at second 1 (its poll's end); ten seconds on it counts as gone.
        at(11);
        assertThat(m.alive(2)).isFalse();
        assertThat(m.connected()).containsExactly(0, 1);
        assertThat(m.beforeDeadline()).isTrue();
        assertThat(m.awaiting(order, Phase.TRAIN)).as("no one left to wait for").isFalse();
        assertThat(m.endTraining(order)).containsExactly(trained(0, 10, 5), trained(1, 3, 1.5));
        assertThat(m.dropped()).containsExactly(2);
        assertThat(m.assignments()).isEmpty();
        assertThat(m.handedOut()).isEmpty();

        // Client 2 comes back: its late report of round 1 is refused, and it is in round 2.
        at(13);
        m.heard(2);
        assertThat(m.report(1, Phase.TRAIN, trained(2, 10, 4))).isFalse();
        assertThat(m.connected()).containsExactly(0, 1, 2);
        assertThat(m.open(2)).isTrue();
        assertThat(m.round()).isEqualTo(2);
        assertThat(m.dropped()).as("a new round starts with no one dropped").isEmpty();
        m.beginTraining();
        for (int id : order) {
            assertThat(m.assignTraining(id, 0)).isTrue();
        }
        long afterRound1 = RoundStateMachine.order(1, Phase.TRAIN);
        assertThat(m.due(2, afterRound1)).isTrue();
        assertThat(m.due(2, RoundStateMachine.order(2, Phase.TRAIN))).as("it has done round 2 already").isFalse();
        assertThat(poll(m, 2, afterRound1)).isEqualTo(new Assignment(2, Phase.TRAIN, 0));
        for (int id : order) {
            assertThat(m.report(2, Phase.TRAIN, trained(id, 10, id))).isTrue();
        }
        assertThat(m.awaiting(order, Phase.TRAIN)).isFalse();
        assertThat(m.endTraining(order)).extracting(ClientReport::clientId).containsExactly(0, 1, 2);
        assertThat(m.dropped()).isEmpty();

        m.finish();
        assertThat(m.finished()).isTrue();
        m.toldDone(0);
        m.toldDone(1);
        assertThat(m.allToldDone()).as("client 2 is connected and has not heard").isFalse();
        at(30);
        assertThat(m.allToldDone()).as("client 2 has gone silent").isTrue();
    }

    @Test
    void secureAggregationPhasesRunInOrderAndTheDeadlineLeavesOutWhoMissesOne() {
        RoundStateMachine m = machine(3, 3);
        at(0);
        for (int id = 0; id < 3; id++) {
            m.heard(id);
        }
        assertThat(m.open(1)).isTrue();
        List<Integer> all = List.of(0, 1, 2);
        assertThat(m.beginPhase(Phase.ADVERTISE_KEYS, all)).containsExactly(0, 1, 2);
        for (int id : all) {
            assertThat(poll(m, id, RoundStateMachine.NOTHING_DONE))
                    .isEqualTo(new Assignment(1, Phase.ADVERTISE_KEYS, 0));
            assertThat(m.report(1, Phase.ADVERTISE_KEYS, trained(id, 0, 0))).isTrue();
        }
        assertThat(m.report(1, Phase.UNMASK, trained(0, 0, 0))).as("a phase not handed out").isFalse();
        assertThat(m.report(2, Phase.ADVERTISE_KEYS, trained(0, 0, 0))).as("a round not open").isFalse();
        assertThat(m.awaiting(all, Phase.ADVERTISE_KEYS)).isFalse();
        assertThat(m.endPhase(all)).containsExactly(0, 1, 2);

        at(1);
        assertThat(m.beginPhase(Phase.SHARE_KEYS, all)).containsExactly(0, 1, 2);
        long advertised = RoundStateMachine.order(1, Phase.ADVERTISE_KEYS);
        for (int id : all) {
            assertThat(poll(m, id, advertised).phase()).isEqualTo(Phase.SHARE_KEYS);
        }
        m.report(1, Phase.SHARE_KEYS, trained(0, 0, 0));
        m.report(1, Phase.SHARE_KEYS, trained(1, 0, 0));
        // Client 2 took its share-keys task and stays connected (as all do), but never reports it.
        for (int s = 5; s <= 30; s += 5) {
            at(s);
            all.forEach(m::heard);
        }
        at(30.999);
        assertThat(m.awaiting(all, Phase.SHARE_KEYS)).isTrue();
        assertThat(m.millisToDeadline()).isEqualTo(1);
        at(31);
        assertThat(m.beforeDeadline()).isFalse();
        assertThat(m.awaiting(all, Phase.SHARE_KEYS)).as("the deadline has passed").isFalse();
        List<Integer> ready = m.endPhase(all);
        assertThat(ready).containsExactly(0, 1);
        assertThat(m.dropped()).containsExactly(2);

        m.beginTraining();
        for (int id : ready) {
            assertThat(m.assignTraining(id, 0)).isTrue();
            assertThat(poll(m, id, RoundStateMachine.order(1, Phase.SHARE_KEYS)).phase()).isEqualTo(Phase.TRAIN);
            m.report(1, Phase.TRAIN, trained(id, 10, 2));
        }
        assertThat(m.endTraining(ready)).extracting(ClientReport::clientId).containsExactly(0, 1);
        assertThat(m.beginPhase(Phase.UNMASK, ready)).containsExactly(0, 1);
        assertThat(m.assignments()).isEqualTo(Map.of(
                0, new Assignment(1, Phase.UNMASK, 0), 1, new Assignment(1, Phase.UNMASK, 0)));
        for (int id : ready) {
            assertThat(poll(m, id, RoundStateMachine.order(1, Phase.TRAIN)).phase()).isEqualTo(Phase.UNMASK);
            m.report(1, Phase.UNMASK, trained(id, 0, 0));
        }
        assertThat(m.endPhase(ready)).containsExactly(0, 1);
        m.withdraw();
        assertThat(m.assignments()).isEmpty();
        assertThat(m.due(0, RoundStateMachine.order(1, Phase.UNMASK))).isFalse();
        assertThat(m.dropped()).isEqualTo(Set.of(2));
    }

    @Test
    void assignmentsAreOrderedByRoundThenPhase() {
        assertThat(RoundStateMachine.order(1, Phase.ADVERTISE_KEYS)).isEqualTo(9);
        assertThat(RoundStateMachine.order(1, Phase.SHARE_KEYS)).isEqualTo(10);
        assertThat(RoundStateMachine.order(1, Phase.TRAIN)).isEqualTo(11);
        assertThat(RoundStateMachine.order(1, Phase.UNMASK)).isEqualTo(12);
        assertThat(RoundStateMachine.order(2, Phase.ADVERTISE_KEYS)).isEqualTo(17);
    }
}
