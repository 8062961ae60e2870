/**
 * Attacks an honest-but-curious server can run on what crosses the split, to measure what a
 * configuration gives away: label inference from the gradients at the split.
 */
package dev.splitfed.internal.attack;
