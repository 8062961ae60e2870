package dev.splitfed.transport;

import dev.splitfed.role.FedServer;
import dev.splitfed.role.MainServer;

/**
 * Connects clients to servers in the same process by direct calls, counting every message's
 * payload as a network transport would carry it.
 */
public final class InProcessTransport implements Transport {

    private final TrafficMeter meter = new TrafficMeter();

    @Override
    public MainServer connect(MainServer server) {
        return meter.count(server);
    }

    @Override
    public FedServer connect(FedServer server) {
        return meter.count(server);
    }

    @Override
    public TrafficMeter meter() {
        return meter;
    }

    @Override
    public void close() {}
}
