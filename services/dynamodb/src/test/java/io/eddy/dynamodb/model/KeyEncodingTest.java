package io.eddy.dynamodb.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class KeyEncodingTest {

    private static final Random RANDOM = new Random(7);

    private static BigDecimal randomNumber() {
        int digits = 1 + RANDOM.nextInt(38);
        BigInteger unscaled = new BigInteger(digits * 4, RANDOM);
        BigDecimal value = new BigDecimal(RANDOM.nextBoolean() ? unscaled : unscaled.negate());
        if (value.signum() == 0) return value;
        value = value.round(new java.math.MathContext(38));
        int leading = value.precision() - value.scale() - 1;
        int targetExponent = -130 + RANDOM.nextInt(256);
        return value.scaleByPowerOfTen(targetExponent - leading);
    }

    @Test
    void numberOrderMatchesNumericOrder() {
        List<BigDecimal> numbers = new ArrayList<>(List.of(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ONE.negate(),
                new BigDecimal("0.1"), new BigDecimal("0.10000000001"), new BigDecimal("-0.1"), new BigDecimal("10"),
                new BigDecimal("1E-130"), new BigDecimal("-1E-130"), new BigDecimal("9.9999999999999999999999999999999999999E+125"),
                new BigDecimal("-9.9999999999999999999999999999999999999E+125"), new BigDecimal("105"), new BigDecimal("1.05")));
        for (int i = 0; i < 3000; i++) numbers.add(randomNumber());
        for (int i = 0; i < 20000; i++) {
            BigDecimal a = numbers.get(RANDOM.nextInt(numbers.size()));
            BigDecimal b = numbers.get(RANDOM.nextInt(numbers.size()));
            byte[] ea = KeyEncoding.encode(new AttributeValue.N(a));
            byte[] eb = KeyEncoding.encode(new AttributeValue.N(b));
            assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb)))
                    .as("%s vs %s", a, b).isEqualTo(Integer.signum(a.compareTo(b)));
        }
    }

    @Test
    void numbersDecodeBack() {
        for (int i = 0; i < 3000; i++) {
            BigDecimal number = randomNumber();
            byte[] encoded = KeyEncoding.encode(new AttributeValue.N(number));
            byte[] withTail = Arrays.copyOf(encoded, encoded.length + 3);
            withTail[encoded.length] = (byte) 0xFF;
            KeyEncoding.Decoded decoded = KeyEncoding.decode(withTail, 0, "N");
            assertThat(decoded.value()).isEqualTo(new AttributeValue.N(number));
            assertThat(decoded.end()).isEqualTo(encoded.length);
        }
    }

    @Test
    void stringsOrderByUtf8BytesAndDecode() {
        String[] strings = {"", "a", "a\0", "a\0b", "a\1", "ab", "b", "é", "\uFFFF", "😀", "Z", "\0"};
        for (String a : strings) {
            for (String b : strings) {
                byte[] ea = KeyEncoding.encode(AttributeValue.s(a));
                byte[] eb = KeyEncoding.encode(AttributeValue.s(b));
                int expected = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
                assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb))).as("%s vs %s", a, b).isEqualTo(Integer.signum(expected));
            }
            byte[] encoded = KeyEncoding.encode(AttributeValue.s(a));
            KeyEncoding.Decoded decoded = KeyEncoding.decode(encoded, 0, "S");
            assertThat(decoded.value()).isEqualTo(AttributeValue.s(a));
            assertThat(decoded.end()).isEqualTo(encoded.length);
        }
    }

    @Test
    void binariesOrderUnsignedAndConcatenate() {
        byte[][] values = {{}, {0}, {0, 0}, {0, 1}, {1}, {(byte) 0xFF}, {(byte) 0x80, 0}, {0x7F}};
        for (byte[] a : values) {
            for (byte[] b : values) {
                byte[] ea = KeyEncoding.encode(new AttributeValue.B(a));
                byte[] eb = KeyEncoding.encode(new AttributeValue.B(b));
                assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb))).isEqualTo(Integer.signum(Arrays.compareUnsigned(a, b)));
                byte[] composite = concat(ea, eb);
                KeyEncoding.Decoded first = KeyEncoding.decode(composite, 0, "B");
                assertThat(first.value()).isEqualTo(new AttributeValue.B(a));
                assertThat(KeyEncoding.decode(composite, first.end(), "B").value()).isEqualTo(new AttributeValue.B(b));
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
