package dev.splitfed.aggregate;

import dev.splitfed.internal.aggregate.ServerMomentum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import org.junit.jupiter.api.Test;

class StrategyTest {

    @Test
    void defaultsAndFieldsAreRead() {
        assertThat(Strategy.parse("fedavg")).isEqualTo(Strategy.FEDAVG);
        assertThat(Strategy.parse("FedAvgM")).isEqualTo(new Strategy(Strategy.Name.FEDAVGM, 1, 0.9, 0, 0, 0));
        assertThat(Strategy.parse("fedadam")).isEqualTo(new Strategy(Strategy.Name.FEDADAM, 0.01, 0, 0.9, 0.99, 1e-3));
        assertThat(Strategy.parse("fedyogi:lr=0.03,tau=1e-4"))
                .isEqualTo(new Strategy(Strategy.Name.FEDYOGI, 0.03, 0, 0.9, 0.99, 1e-4));
        assertThat(Strategy.parse("fedadagrad:b1=0"))
                .isEqualTo(new Strategy(Strategy.Name.FEDADAGRAD, 0.01, 0, 0, 0, 1e-3));
        assertThat(Strategy.parse("fedavgm:lr=0.5,momentum=0").newOptimizer()).isInstanceOf(ServerMomentum.class);
    }

    @Test
    void specsReadBackEqual() {
        for (String spec : new String[] {"fedavg", "fedavgm:momentum=0.5", "fedadam:lr=0.003,b2=0.999",
                "fedyogi", "fedadagrad:lr=0.1,tau=0.01"}) {
            Strategy s = Strategy.parse(spec);
            assertThat(Strategy.parse(s.spec())).isEqualTo(s);
        }
    }

    @Test
    void badSpecsAreRefusedWithOneSentence() {
        assertThatThrownBy(() -> Strategy.parse("fedsgd")).isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown strategy 'fedsgd'; expected fedavg, fedavgm, fedadam, fedyogi or fedadagrad");
        assertThatThrownBy(() -> Strategy.parse("fedavg:lr=2")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("fedavg takes no settings");
        assertThatThrownBy(() -> Strategy.parse("fedadagrad:b2=0.9")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("field 'b2=0.9'");
        assertThatThrownBy(() -> Strategy.parse("fedadam:lr=-1")).isInstanceOf(InvalidInputException.class)
                .hasMessage("strategy lr must be a positive number, got '-1'");
        assertThatThrownBy(() -> Strategy.parse("fedavgm:momentum=1")).isInstanceOf(InvalidInputException.class)
                .hasMessage("strategy momentum must be a number in [0, 1), got '1'");
        assertThatThrownBy(() -> Strategy.parse("fedadam:")).isInstanceOf(InvalidInputException.class)
                .hasMessage("strategy 'fedadam:' has a ':' but no settings after it");
    }
}
