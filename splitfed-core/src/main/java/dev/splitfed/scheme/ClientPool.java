package dev.splitfed.scheme;

import dev.splitfed.role.ClientReport;
import java.util.List;

/** The clients of a run as the round driver sees them: in this process, or across a network. */
public interface ClientPool extends AutoCloseable {

    /**
     * Has the round's participants train, in the given order (one after another where the scheme
     * serves clients in turn).
     *
     * @param round the round
     * @param order the participants, in the order the main server serves them
     * @return the reports of the clients that completed the round; one that dropped out has none
     */
    List<ClientReport> train(int round, List<Integer> order);

    @Override
    void close();
}
