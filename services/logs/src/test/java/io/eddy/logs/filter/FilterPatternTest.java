package io.eddy.logs.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FilterPatternTest {

    static boolean matches(String pattern, String message) {
        return FilterPattern.parse(pattern).matches(message);
    }

    @Test
    void emptyAndBlankPatternsMatchEverything() {
        assertThat(matches(null, "x")).isTrue();
        assertThat(matches("", "x")).isTrue();
        assertThat(matches("  ", "x")).isTrue();
        assertThat(matches("\"\"", "x")).isTrue();
    }

    @Test
    void termsAreCaseSensitiveSubstringsCombinedWithAndOrAndExclusion() {
        assertThat(matches("ERROR", "Exiting with ERRORCODE: -1")).isTrue();
        assertThat(matches("ERROR", "error")).isFalse();
        assertThat(matches("ERROR Exception", "[ERROR] Caught IllegalArgumentException")).isTrue();
        assertThat(matches("ERROR Exception", "[ERROR] Caught it")).isFalse();
        assertThat(matches("\"ERROR\" - \"Exiting\"", "Exiting with ERRORCODE: -1")).isFalse();
        assertThat(matches("ERROR -WARN", "ERROR message")).isTrue();
        assertThat(matches("ERROR -WARN", "ERROR WARN message")).isFalse();
        assertThat(matches("?ERROR ?WARN", "WARN message")).isTrue();
        assertThat(matches("?ERROR ?WARN", "INFO message")).isFalse();
        assertThat(matches("?ERROR MainThread ?WARN Deadlock", "WARN: Deadlock found")).isTrue();
        assertThat(matches("?ERROR MainThread ?WARN Deadlock", "ERROR in worker")).isFalse();
        assertThat(matches("\"Failed to process\"", "[WARN] Failed to process the request")).isTrue();
        assertThat(matches("\"Failed to process\"", "Failed, to process")).isFalse();
        assertThat(matches("\"say \\\"hi\\\"\"", "they say \"hi\"")).isTrue();
        assertThat(matches("%[0-9]{3} ms%", "took 125 ms")).isTrue();
        assertThat(matches("%[0-9]{3} ms%", "took 12 ms")).isFalse();
    }

    @Test
    void jsonPatternsCompareStringsNumbersAndKeywords() {
        String event = "{\"eventType\":\"UpdateTrail\",\"sourceIPAddress\":\"111.111.111.111\",\"arrayKey\":[\"value\",\"another value\"],"
                + "\"objectList\":[{\"name\":\"a\",\"id\":1},{\"name\":\"b\",\"id\":2}],\"SomeObject\":null,\"ThisFlag\":true,"
                + "\"latency\":1500,\"coordinates\":[[0,1,2],[4,5,6]]}";
        assertThat(matches("{ $.eventType = \"UpdateTrail\" }", event)).isTrue();
        assertThat(matches("{ $.eventType = UpdateTrail }", event)).isTrue();
        assertThat(matches("{ $.eventType != \"UpdateTrail\" }", event)).isFalse();
        assertThat(matches("{ $.sourceIPAddress != 123.123.* }", event)).isTrue();
        assertThat(matches("{ $.sourceIPAddress = 111.* }", event)).isTrue();
        assertThat(matches("{ $.arrayKey[0] = \"value\" }", event)).isTrue();
        assertThat(matches("{ $.objectList[1].id = 2 }", event)).isTrue();
        assertThat(matches("{ $.objectList[5].id = 2 }", event)).isFalse();
        assertThat(matches("{ $.SomeObject IS NULL }", event)).isTrue();
        assertThat(matches("{ $.SomeOtherObject NOT EXISTS }", event)).isTrue();
        assertThat(matches("{ $.SomeObject NOT EXISTS }", event)).isFalse();
        assertThat(matches("{ $.ThisFlag IS TRUE }", event)).isTrue();
        assertThat(matches("{ $.ThisFlag IS FALSE }", event)).isFalse();
        assertThat(matches("{ $.latency >= 1500 && $.latency < 1.6e3 }", event)).isTrue();
        assertThat(matches("{ $.latency > +1500 }", event)).isFalse();
        assertThat(matches("{ $.objectList = 1 }", event)).isFalse();
        assertThat(matches("{ $.objectList != 1 }", event)).isFalse();
        assertThat(matches("{ $.eventType = *Trail }", event)).isTrue();
        assertThat(matches("{ $.eventType = Update* }", event)).isTrue();
        assertThat(matches("{ $.latency = * }", event)).isTrue();
        assertThat(matches("{ $.coordinates[1][2] = 6 }", event)).isTrue();
        assertThat(matches("{ ($.objectList[0].id = 1 && $.eventType = \"nonmatch\") || $.arrayKey[1] = \"another value\" }", event)).isTrue();
        assertThat(matches("{ ($.eventType = \"UpdateTrail\" || $.latency = 1) && $.ThisFlag IS FALSE }", event)).isFalse();
        assertThat(matches("{ $.eventType = \"UpdateTrail\" || $.latency = 1 && $.ThisFlag IS FALSE }", event)).isTrue();
        assertThat(matches("{ $.eventType = \"UpdateTrail\" }", "not json")).isFalse();
    }

    @Test
    void spaceDelimitedPatternsBindFieldsInOrder() {
        String line = "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534";
        assertThat(matches("[ip, user, username, timestamp, request, status_code, bytes]", line)).isTrue();
        assertThat(matches("[ip, user, username, timestamp, request, status_code]", line)).isFalse();
        assertThat(matches("[ip, user, username, timestamp, request, status_code = 4*, bytes]", line)).isTrue();
        assertThat(matches("[ip, user, username, timestamp, request, status_code = 5*, bytes]", line)).isFalse();
        assertThat(matches("[..., status_code, bytes > 1000]", line)).isTrue();
        assertThat(matches("[ip, user, ...]", line)).isTrue();
        assertThat(matches("[ip = 127.*, ..., status_code = 404 && bytes < 2000, bytes]", line)).isTrue();
        assertThat(matches("[..., request=*.html*, status_code=4*,]", line)).isTrue();
        assertThat(matches("[ip, user, username = \"frank\", timestamp = *2000*, ...]", line)).isTrue();
        assertThat(matches("[w1=ERROR, w2]", "ERROR message")).isTrue();
        assertThat(matches("[w1=ERROR, w2]", "ERROR WARN message")).isFalse();
        assertThat(matches("[w1=ERROR || w1=WARN, w2]", "WARN message")).isTrue();
        assertThat(matches("[w1!=ERROR && w1!=WARN, w2]", "INFO message")).isTrue();
        assertThat(matches("[w1!=ERROR && w1!=WARN, w2]", "WARN message")).isFalse();
    }

    @Test
    void malformedPatternsAreRejected() {
        for (String bad : new String[] {"{ $.a = }", "{ $.a = 1", "{ a = 1 }", "{ $.a > abc }", "[a, b", "[a = ]",
                "\"unterminated", "%open", "{ $.a IS MAYBE }"}) {
            assertThatThrownBy(() -> FilterPattern.parse(bad)).as(bad).isInstanceOf(InvalidFilterPatternException.class);
        }
    }
}
