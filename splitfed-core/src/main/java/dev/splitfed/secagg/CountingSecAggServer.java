package dev.splitfed.secagg;

import dev.splitfed.transport.TrafficMeter;
import java.util.List;

/**
 * A view of the server's half of secure aggregation that counts the payload of every message on a
 * {@link TrafficMeter}: public keys and the sample count, sealed shares and the ids of their peers,
 * the masked input at 4 bytes a value and the unmasking shares up; the roster, forwarded shares and
 * the survivors' ids down. Sizes are those of the message records ({@link SecAggCost} adds them up).
 */
public final class CountingSecAggServer implements SecAggServer {

    private final SecAggServer server;
    private final TrafficMeter meter;

    /**
     * Creates the view.
     *
     * @param server the server's half, as reached over some transport
     * @param meter where bytes are counted
     */
    public CountingSecAggServer(SecAggServer server, TrafficMeter meter) {
        this.server = server;
        this.meter = meter;
    }

    @Override
    public void advertiseKeys(int clientId, int round, PublicKeys keys, int samples) {
        meter.up(SecAggCost.ADVERTISE_BYTES);
        server.advertiseKeys(clientId, round, keys, samples);
    }

    @Override
    public Roster roster(int clientId, int round) {
        Roster roster = server.roster(clientId, round);
        meter.down(roster.bytes());
        return roster;
    }

    @Override
    public void shareKeys(int clientId, int round, List<EncryptedShare> shares) {
        meter.up((long) shares.size() * EncryptedShare.BYTES);
        server.shareKeys(clientId, round, shares);
    }

    @Override
    public List<EncryptedShare> inbox(int clientId, int round) {
        List<EncryptedShare> shares = server.inbox(clientId, round);
        meter.down((long) shares.size() * EncryptedShare.BYTES);
        return shares;
    }

    @Override
    public void submitMasked(int clientId, int round, int[] masked) {
        meter.up(4L * masked.length);
        server.submitMasked(clientId, round, masked);
    }

    @Override
    public List<Integer> survivors(int clientId, int round) {
        List<Integer> survivors = server.survivors(clientId, round);
        meter.down(4L * survivors.size());
        return survivors;
    }

    @Override
    public void unmask(int clientId, int round, List<RevealedShare> shares) {
        meter.up((long) shares.size() * RevealedShare.BYTES);
        server.unmask(clientId, round, shares);
    }
}
