package dev.splitfed.internal.secagg;

import java.util.List;

/**
 * The fed server's half of secure aggregation as a client sees it (Bonawitz et al. 2017, Figure 4,
 * the honest-but-curious version: no consistency check round). A round runs in four phases, each of
 * which needs every participant's message of the phase before it, so the round driver runs them for
 * all participants in turn: AdvertiseKeys ({@link #advertiseKeys}), ShareKeys ({@link #roster},
 * {@link #shareKeys}), MaskedInputCollection ({@link #inbox}, {@link #submitMasked}, when a client
 * hands in its weights) and Unmasking ({@link #survivors}, {@link #unmask}). Each call names the
 * client and the round, and is refused outside its phase or from a client not in it.
 */
public interface SecAggServer {

    /**
     * Round 0: a client's fresh public keys and its sample count n_k (a FedAvg server knows it anyway).
     *
     * @param clientId the client
     * @param round the round
     * @param keys its public keys
     * @param samples n_k, {@code >= 1}
     */
    void advertiseKeys(int clientId, int round, PublicKeys keys, int samples);

    /**
     * Round 1: returns the clients whose keys arrived, the threshold and the sample total. The first
     * call closes AdvertiseKeys.
     *
     * @param clientId the client asking, which must have advertised
     * @param round the round
     * @return the roster
     */
    Roster roster(int clientId, int round);

    /**
     * Round 1: a client's sealed shares, one for every other member of the roster.
     *
     * @param clientId the sender
     * @param round the round
     * @param shares recipient and ciphertext
     */
    void shareKeys(int clientId, int round, List<EncryptedShare> shares);

    /**
     * Round 2: returns the sealed shares addressed to the client, whose senders are the clients it
     * masks its input against (U_2 without itself). The first call closes ShareKeys.
     *
     * @param clientId the recipient
     * @param round the round
     * @return sender and ciphertext
     */
    List<EncryptedShare> inbox(int clientId, int round);

    /**
     * Round 2: a client's masked input, the fixed-point encoding of its weighted weights plus its
     * self-mask and pairwise masks, modulo 2^32.
     *
     * @param clientId the client
     * @param round the round
     * @param masked the masked values
     */
    void submitMasked(int clientId, int round, int[] masked);

    /**
     * Round 4: returns the clients whose masked inputs are in the sum (U_3), in ascending order.
     * The first call closes MaskedInputCollection.
     *
     * @param clientId the client asking, which must be one of them
     * @param round the round
     * @return the survivors
     */
    List<Integer> survivors(int clientId, int round);

    /**
     * Round 4: a survivor's shares: of each survivor's self-mask seed, and of each dropped client's
     * mask key.
     *
     * @param clientId the survivor
     * @param round the round
     * @param shares the shares
     */
    void unmask(int clientId, int round, List<RevealedShare> shares);
}
