package io.eddy.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eddy.protocol.AwsException;

class FilterPolicyTest {

    private static MessageAttribute string(String value) {
        return new MessageAttribute("String", value, null);
    }

    @Test
    void combinationsMultiplyAcrossKeysAndCountNestingDepth() {
        FilterPolicy.check("{\"a\":[1,2,3,4,5],\"b\":[1,2,3,4,5,6],\"c\":[1,2,3,4,5]}", FilterPolicy.SCOPE_ATTRIBUTES, "");
        assertThatThrownBy(() -> FilterPolicy.check("{\"a\":[1,2,3,4,5],\"b\":[1,2,3,4,5,6],\"c\":[1,2,3,4,5,6]}",
                FilterPolicy.SCOPE_ATTRIBUTES, "")).hasMessage("Invalid parameter: FilterPolicy: Filter policy is too complex");
        // AWS's example: 3 x 4 x 2 x 3 = 72
        FilterPolicy.check("{\"key_a\":{\"key_b\":{\"key_c\":[1,2,3,4]}},\"key_d\":{\"key_e\":[1,2,3]}}", FilterPolicy.SCOPE_BODY, "");
        assertThatThrownBy(() -> FilterPolicy.check("{\"key_a\":{\"key_b\":{\"key_c\":[1,2,3,4,5,6,7,8,9]}},\"key_d\":{\"key_e\":[1,2,3]}}",
                FilterPolicy.SCOPE_BODY, "")).isInstanceOf(AwsException.class);
    }

    @Test
    void orBranchesAddUp() {
        FilterPolicy.check("{\"$or\":[{\"a\":[1,2,3,4,5,6,7,8,9,10]},{\"b\":[1,2,3,4,5,6,7,8,9,10]}],\"c\":[1,2,3,4,5,6,7]}",
                FilterPolicy.SCOPE_ATTRIBUTES, "");
        assertThatThrownBy(() -> FilterPolicy.check(
                "{\"$or\":[{\"a\":[1,2,3,4,5,6,7,8,9,10]},{\"b\":[1,2,3,4,5,6,7,8,9,10]}],\"c\":[1,2,3,4,5,6,7,8]}",
                FilterPolicy.SCOPE_ATTRIBUTES, "")).hasMessage("Invalid parameter: FilterPolicy: Filter policy is too complex");
    }

    @Test
    void onlyParentKeysCountTowardsFive() {
        FilterPolicy.check("{\"a\":{\"x\":[1],\"y\":[1],\"z\":[1]},\"b\":[1],\"c\":[1],\"d\":[1],\"e\":[1]}", FilterPolicy.SCOPE_BODY, "");
        assertThatThrownBy(() -> FilterPolicy.check("{\"a\":[1],\"b\":[1],\"c\":[1],\"d\":[1],\"e\":[1],\"f\":[1]}",
                FilterPolicy.SCOPE_BODY, "Attributes Reason: "))
                .hasMessage("Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys");
    }

    @Test
    void attributesAreTypedBeforeMatching() {
        FilterPolicy numeric = FilterPolicy.of("{\"n\":[{\"numeric\":[\">\",1]}]}", FilterPolicy.SCOPE_ATTRIBUTES);
        assertThat(numeric.matches(Map.of("n", new MessageAttribute("Number", "2", null)), "")).isTrue();
        assertThat(numeric.matches(Map.of("n", new MessageAttribute("Number.float", "0.5", null)), "")).isFalse();
        assertThat(numeric.matches(Map.of("n", string("2")), "")).isFalse();
        FilterPolicy array = FilterPolicy.of("{\"t\":[\"b\"]}", FilterPolicy.SCOPE_ATTRIBUTES);
        assertThat(array.matches(Map.of("t", new MessageAttribute("String.Array", "[\"a\",\"b\"]", null)), "")).isTrue();
        assertThat(array.matches(Map.of("t", new MessageAttribute("Binary", null, "Yg==")), "")).isFalse();
        FilterPolicy everything = FilterPolicy.of("{}", FilterPolicy.SCOPE_ATTRIBUTES);
        assertThat(everything.matches(Map.of(), "anything")).isTrue();
    }
}
