package dev.splitfed.aggregate;

import dev.splitfed.registry.Registry;
import java.util.ArrayList;
import java.util.List;

/** The aggregation rules splitfed provides, first in the registry of aggregation rules. */
final class BuiltInRules {

    static final Registry<AggregatorProvider> REGISTRY = Registry.of("aggregator", AggregatorProvider.class,
            providers(), providers -> "one of " + String.join(", ",
                    providers.stream().map(AggregatorProvider::usage).toList()));

    private BuiltInRules() {}

    private static List<AggregatorProvider> providers() {
        List<AggregatorProvider> all = new ArrayList<>();
        all.add(new FedAvgProvider());
        for (RobustRule.Kind kind : RobustRule.Kind.values()) {
            all.add(new RobustProvider(kind));
        }
        return all;
    }

    /** {@code fedavg}: {@link AggregatorSpec#FEDAVG}. */
    private static final class FedAvgProvider implements AggregatorProvider {

        @Override
        public String name() {
            return "fedavg";
        }

        @Override
        public AggregatorSpec create(String arguments) {
            if (arguments != null) {
                throw RobustRule.takesNoParameter(name() + ":" + arguments, name());
            }
            return AggregatorSpec.FEDAVG;
        }
    }

    /** One of the {@link RobustRule}s. */
    private static final class RobustProvider implements AggregatorProvider {

        private final RobustRule.Kind kind;

        RobustProvider(RobustRule.Kind kind) {
            this.kind = kind;
        }

        @Override
        public String name() {
            return kind.id;
        }

        @Override
        public String usage() {
            return kind.usage;
        }

        @Override
        public AggregatorSpec create(String arguments) {
            return RobustRule.parse(kind, arguments);
        }
    }
}
