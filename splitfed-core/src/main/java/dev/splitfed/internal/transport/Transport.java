package dev.splitfed.internal.transport;

import dev.splitfed.internal.role.FedServer;
import dev.splitfed.internal.role.MainServer;
import dev.splitfed.internal.secagg.SecAggServer;

/**
 * How clients reach the servers. Role logic never knows which transport it runs on: a transport
 * takes a server object and returns the view a client calls, counting every message's payload on
 * its {@link TrafficMeter}.
 */
public interface Transport extends AutoCloseable {

    /**
     * Makes the fed server reachable and returns it as a client sees it.
     *
     * @param server the fed server
     * @return the client's view
     */
    FedServer connect(FedServer server);

    /**
     * Makes the main server reachable and returns it as a client sees it.
     *
     * @param server the main server
     * @return the client's view
     */
    MainServer connect(MainServer server);

    /**
     * Makes the fed server's half of secure aggregation reachable and returns it as a client sees it.
     *
     * @param server the server's half
     * @return the client's view
     */
    SecAggServer connect(SecAggServer server);

    /** Returns where this transport counts bytes. */
    TrafficMeter meter();

    /** Releases whatever the transport opened (servers, channels); the views stop working. */
    @Override
    void close();
}
