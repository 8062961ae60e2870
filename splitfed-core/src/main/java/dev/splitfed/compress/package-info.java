/**
 * Lossy codecs for the tensors that cross the wire: cut-layer activations and gradients, and model
 * updates.
 *
 * <p>{@link dev.splitfed.compress.Codec#parse} turns a command-line name ({@code none},
 * {@code fp16}, {@code int8}, {@code topk:RATIO}) into a {@link dev.splitfed.compress.Codec}, which
 * encodes a {@code float[]} into bytes whose exact length it can tell in advance.
 * {@link dev.splitfed.internal.compress.ErrorFeedback} wraps a codec for a stream of updates and carries
 * what it drops over to the next update.
 */
package dev.splitfed.compress;

import dev.splitfed.internal.compress.ErrorFeedback;
