/**
 * Byzantine clients, to test robust aggregation against: which clients misbehave in a run, and
 * how each attack poisons what a client hands to the fed server and sends to the main server.
 * (Attacks of a curious server on what clients send are in {@code dev.splitfed.attack}.)
 */
package dev.splitfed.byzantine;
