package dev.splitfed.data;

/**
 * A partitioner provider that claims a built-in name, found through
 * {@code plugins/duplicate/META-INF/services}: the registry must refuse it.
 */
public final class ShadowIidProvider implements PartitionerProvider {

    @Override
    public String name() {
        return "iid";
    }

    @Override
    public Partitioner create(String arguments) {
        return new StripePartitioner(1);
    }
}
