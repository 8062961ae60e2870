/**
 * Secure aggregation of the weights clients hand the fed server (Bonawitz et al. 2017, "Practical
 * Secure Aggregation for Privacy-Preserving Machine Learning", CCS): the fed server learns the
 * weighted sum of the round's surviving clients' weights and nothing about any one of them.
 *
 * <p>The building blocks: {@link dev.splitfed.internal.secagg.FixedPoint} (weights as integers modulo
 * 2^32), {@link dev.splitfed.internal.secagg.MaskGenerator} (a seed expanded into masks by AES-CTR),
 * {@link dev.splitfed.internal.secagg.X25519} with {@link dev.splitfed.internal.secagg.Hkdf} (pairwise seeds and
 * share keys), {@link dev.splitfed.internal.secagg.Shamir} (t-of-n sharing of the secrets that let the
 * server remove a dropped client's masks) and {@link dev.splitfed.internal.secagg.ShareCipher} (AES-GCM on
 * the shares clients send each other through the server). The protocol's two halves are
 * {@link dev.splitfed.internal.secagg.SecAggClient} and {@link dev.splitfed.internal.secagg.SecAggFedServer}; they
 * talk through {@link dev.splitfed.internal.secagg.SecAggServer}, which every transport carries.
 */
package dev.splitfed.internal.secagg;

