/**
 * Data sets, their loading and checking, and their division among clients.
 *
 * <p>{@link dev.splitfed.data.DatasetCatalog} loads a data set by its command-line name into a
 * {@link dev.splitfed.data.DataSplit}; a {@link dev.splitfed.data.Partitioner} (IID, Dirichlet
 * label skew or McMahan shards) then says which training samples each client holds, and
 * {@link dev.splitfed.data.ClassHistogram} shows the result. Fashion-MNIST is read from IDX files
 * found or downloaded by {@link dev.splitfed.internal.data.FashionMnistLocator}; a 10% sample of it and the
 * breast-cancer CSV ship as resources under {@code dev/splitfed/data/}, each with its licence.
 */
package dev.splitfed.data;

import dev.splitfed.internal.data.FashionMnistLocator;
