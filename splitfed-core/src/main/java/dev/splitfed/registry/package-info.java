/**
 * Named extension points that {@link java.util.ServiceLoader} extends.
 *
 * <p>A {@link dev.splitfed.registry.Registry} holds the {@link dev.splitfed.registry.Provider}s
 * of one kind: models ({@code dev.splitfed.model.ModelProvider}), data sets and partitioners
 * ({@code dev.splitfed.data.DatasetProvider}, {@code dev.splitfed.data.PartitionerProvider}) and
 * aggregation rules ({@code dev.splitfed.aggregate.AggregatorProvider}). A jar adds one by
 * implementing the interface and naming the class in
 * {@code META-INF/services/<interface's binary name>}; a program can also call
 * {@link dev.splitfed.registry.Registry#register}.
 */
package dev.splitfed.registry;
