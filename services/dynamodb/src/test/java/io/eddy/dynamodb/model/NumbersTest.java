package io.eddy.dynamodb.model;

import io.eddy.protocol.AwsException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NumbersTest {

    @Test
    void formatsCanonically() {
        assertThat(Numbers.format(Numbers.parse("1.0"))).isEqualTo("1");
        assertThat(Numbers.format(Numbers.parse("1E+2"))).isEqualTo("100");
        assertThat(Numbers.format(Numbers.parse("-0"))).isEqualTo("0");
        assertThat(Numbers.format(Numbers.parse("0.000"))).isEqualTo("0");
        assertThat(Numbers.format(Numbers.parse("007.50"))).isEqualTo("7.5");
        assertThat(Numbers.format(Numbers.parse("+3"))).isEqualTo("3");
        assertThat(Numbers.format(Numbers.parse("1.5e-3"))).isEqualTo("0.0015");
        assertThat(Numbers.format(Numbers.parse(".5"))).isEqualTo("0.5");
        assertThat(Numbers.format(Numbers.parse("-12.340E1"))).isEqualTo("-123.4");
    }

    @Test
    void acceptsTheLimits() {
        assertThat(Numbers.parse("9.9999999999999999999999999999999999999E+125")).isNotNull();
        assertThat(Numbers.parse("-9.9999999999999999999999999999999999999E+125")).isNotNull();
        assertThat(Numbers.parse("1E-130")).isEqualByComparingTo(new BigDecimal("1E-130"));
        assertThat(Numbers.parse("12345678901234567890123456789012345678")).isNotNull();
        assertThat(Numbers.parse("1234567890123456789012345678901234567800000")).isNotNull();
    }

    @Test
    void rejectsTooManyDigits() {
        assertThatThrownBy(() -> Numbers.parse("123456789012345678901234567890123456789"))
                .isInstanceOf(AwsException.class)
                .hasMessage("Attempting to store more than 38 significant digits in a Number")
                .extracting(e -> ((AwsException) e).type()).isEqualTo("com.amazon.coral.validate#ValidationException");
    }

    @Test
    void rejectsOverflowAndUnderflow() {
        assertThatThrownBy(() -> Numbers.parse("1E+126")).hasMessage(
                "Number overflow. Attempting to store a number with magnitude larger than supported range");
        assertThatThrownBy(() -> Numbers.parse("-1E+126")).hasMessage(
                "Number overflow. Attempting to store a number with magnitude larger than supported range");
        assertThatThrownBy(() -> Numbers.parse("9.9E-131")).hasMessage(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    }

    @Test
    void rejectsNonNumbers() {
        for (String text : new String[]{"abc", "NaN", "Infinity", "", " 1", "1 ", "0x10", "1e", "--1", ".", "1.2.3"}) {
            assertThatThrownBy(() -> Numbers.parse(text), text)
                    .hasMessage("The parameter cannot be converted to a numeric value: " + text);
        }
    }

    @Test
    void checkValidatesComputedResults() {
        assertThatThrownBy(() -> Numbers.check(new BigDecimal("9E+125").add(new BigDecimal("9E+125"))))
                .hasMessageStartingWith("Number overflow");
        assertThat(Numbers.check(new BigDecimal("2.50"))).isEqualTo(new BigDecimal("2.5"));
    }
}
