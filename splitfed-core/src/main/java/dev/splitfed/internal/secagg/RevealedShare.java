package dev.splitfed.internal.secagg;

/**
 * A share a surviving client hands the server at Unmasking (Bonawitz et al. 2017, round 4): of a
 * survivor's self-mask seed b_v, or of a dropped client's mask key s_v^SK; the server tells which
 * from the survivors it announced. The share's point is the sender's id + 1.
 *
 * @param owner v, whose secret it is a share of
 * @param value the share's value, {@value Shamir#SHARE_BYTES} bytes
 */
public record RevealedShare(int owner, byte[] value) {

    /** Payload bytes: the owner's id and the value. */
    public static final int BYTES = 4 + Shamir.SHARE_BYTES;
}
