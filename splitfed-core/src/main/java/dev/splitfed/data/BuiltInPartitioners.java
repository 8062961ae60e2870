package dev.splitfed.data;

import dev.splitfed.internal.data.DirichletPartitioner;
import dev.splitfed.internal.data.IidPartitioner;
import dev.splitfed.internal.data.NaturalPartitioner;
import dev.splitfed.internal.data.ShardPartitioner;
import dev.splitfed.InvalidInputException;
import dev.splitfed.registry.Registry;
import java.util.List;

/** The partitioners splitfed provides, first in the registry of partitioners. */
final class BuiltInPartitioners {

    static final Registry<PartitionerProvider> REGISTRY = Registry.of("partition", PartitionerProvider.class,
            List.of(new IidProvider(), new DirichletProvider(), new ShardProvider(), new NaturalProvider()),
            BuiltInPartitioners::choices);

    private BuiltInPartitioners() {}

    /** Words the choices as "iid, dirichlet:ALPHA (...), shards:N (...) or natural". */
    private static String choices(List<PartitionerProvider> providers) {
        List<String> usages = providers.stream().map(PartitionerProvider::usage).toList();
        int last = usages.size() - 1;
        return last == 0 ? usages.get(0)
                : String.join(", ", usages.subList(0, last)) + " or " + usages.get(last);
    }

    private static void refuseArguments(String name, String arguments) {
        if (arguments != null) {
            throw new InvalidInputException(
                    "the partition '" + name + ":" + arguments + "' takes nothing after '" + name + "'.");
        }
    }

    /** {@code iid}. */
    private static final class IidProvider implements PartitionerProvider {

        @Override
        public String name() {
            return IidPartitioner.SPEC;
        }

        @Override
        public Partitioner create(String arguments) {
            refuseArguments(name(), arguments);
            return new IidPartitioner();
        }
    }

    /** {@code dirichlet:ALPHA}. */
    private static final class DirichletProvider implements PartitionerProvider {

        @Override
        public String name() {
            return "dirichlet";
        }

        @Override
        public String usage() {
            return "dirichlet:ALPHA (ALPHA > 0, e.g. dirichlet:0.5)";
        }

        @Override
        public Partitioner create(String arguments) {
            if (arguments == null) {
                throw new InvalidInputException(
                        "the partition 'dirichlet' needs a number ALPHA > 0 after 'dirichlet:', e.g. dirichlet:0.5.");
            }
            try {
                return new DirichletPartitioner(Double.parseDouble(arguments));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("the partition '" + DirichletPartitioner.PREFIX + arguments
                        + "' needs a number ALPHA > 0 after 'dirichlet:', not '" + arguments + "'.", e);
            }
        }
    }

    /** {@code shards:N}. */
    private static final class ShardProvider implements PartitionerProvider {

        @Override
        public String name() {
            return "shards";
        }

        @Override
        public String usage() {
            return "shards:N (N >= 1, e.g. shards:2)";
        }

        @Override
        public Partitioner create(String arguments) {
            if (arguments == null) {
                throw new InvalidInputException(
                        "the partition 'shards' needs a whole number N >= 1 after 'shards:', e.g. shards:2.");
            }
            try {
                return new ShardPartitioner(Integer.parseInt(arguments));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("the partition '" + ShardPartitioner.PREFIX + arguments
                        + "' needs a whole number N >= 1 after 'shards:', not '" + arguments + "'.", e);
            }
        }
    }

    /** {@code natural}. */
    private static final class NaturalProvider implements PartitionerProvider {

        @Override
        public String name() {
            return NaturalPartitioner.SPEC;
        }

        @Override
        public Partitioner create(String arguments) {
            refuseArguments(name(), arguments);
            return new NaturalPartitioner();
        }
    }
}
