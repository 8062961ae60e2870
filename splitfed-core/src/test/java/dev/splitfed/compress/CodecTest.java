package dev.splitfed.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodecTest {

    private static final String[] SPECS = {"none", "fp16", "int8", "topk:0.01", "topk:0.5", "topk:1"};

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "none|none", "'  NONE '|none", "fp16|fp16", "Fp16|fp16", "int8|int8", "' INT8'|int8",
        "topk:0.01|topk:0.01", "TOPK:0.010|topk:0.01", "topk:1|topk:1", "topk:1.000|topk:1",
        "topk:.5|topk:0.5", "topk:0.50|topk:0.5", "topk:1.|topk:1", "topk:000.25|topk:0.25",
        "topk:0.0000001|topk:0.0000001"})
    void parsesCaseInsensitivelyIntoTheCanonicalSpec(String spec, String canonical) {
        Codec codec = Codec.parse(spec);

        assertThat(codec.spec()).isEqualTo(canonical);
        assertThat(codec.toString()).isEqualTo(canonical);
        assertThat(Codec.parse(canonical)).isEqualTo(codec).hasSameHashCodeAs(codec);
    }

    @Test
    void ignoresSurroundingWhitespaceOfAnyKind() {
        assertThat(Codec.parse(" \tInt8 \n").spec()).isEqualTo("int8");
        assertThat(Codec.parse("\ntopk:0.25\t").spec()).isEqualTo("topk:0.25");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "int4", "topk", "topk:", "topk:0", "topk:0.000", "topk:1.5", "topk:abc",
        "topk:-0.5", "topk:1e-2", "topk:NaN", "topk: 0.5", "fp32", "none:1", "topk:0.5:1"})
    void refusesAnythingElseNamingTheValueAndTheAcceptedForms(String spec) {
        assertThatThrownBy(() -> Codec.parse(spec))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("compression '" + spec.strip()
                        + "' is not one of none, fp16, int8, topk:RATIO (0 < RATIO <= 1)");
    }

    @Test
    void codecsAreEqualExactlyWhenTheirSpecsAre() {
        assertThat(Codec.parse("none")).isSameAs(Codec.NONE);
        assertThat(Codec.parse("topk:0.1")).isEqualTo(Codec.parse("topk:0.10")).isNotEqualTo(Codec.parse("topk:0.2"));
        assertThat(Codec.parse("fp16")).isNotEqualTo(Codec.parse("int8")).isNotEqualTo(Codec.NONE);
    }

    @Test
    void onlyNoneIsLossless() {
        for (String spec : SPECS) {
            assertThat(Codec.parse(spec).lossless()).as(spec).isEqualTo(spec.equals("none"));
        }
    }

    @Test
    void encodedBytesIsTheExactPayloadLengthForEveryCodecAndSize() {
        Random random = new Random(3);
        int[] sizes = {0, 1, 2, 3, 7, 100, 1000, 2047, 2048, 2049, 4095, 4096, 4097, 10_001};
        for (String spec : SPECS) {
            Codec codec = Codec.parse(spec);
            for (int n : sizes) {
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (float) random.nextGaussian();
                }

                byte[] payload = codec.encode(values);

                assertThat(payload).as("%s of %d values", spec, n).hasSize(codec.encodedBytes(n));
                assertThat(codec.decode(payload, n)).hasSize(n);
            }
        }
    }

    @Test
    void refusesANegativeCountAndAPayloadTooLargeForAnArray() {
        assertThatThrownBy(() -> Codec.parse("int8").encodedBytes(-1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("int8 payload cannot hold -1 values; the count must be >= 0");
        assertThatThrownBy(() -> Codec.NONE.decode(new byte[0], -3))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("none payload cannot hold -3 values; the count must be >= 0");
        assertThatThrownBy(() -> Codec.NONE.encodedBytes(Integer.MAX_VALUE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("none payload for 2147483647 values would be 8589934588 bytes, more than 2147483639");
        assertThat(Codec.parse("int8").encodedBytes(Integer.MAX_VALUE - 8_500_000)).isEqualTo(2_147_339_055);
    }
}
