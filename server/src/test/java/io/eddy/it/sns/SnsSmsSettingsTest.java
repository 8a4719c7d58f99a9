package io.eddy.it.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;

/** The account's SMS preferences and opt-out list, which SMS senders read and set before publishing. */
class SnsSmsSettingsTest {

    static Eddy eddy;
    static SnsClient sns;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        sns = SnsTestSupport.sns(eddy.endpoint());
    }

    @AfterAll
    static void stop() {
        sns.close();
        eddy.close();
    }

    @Test
    void smsAttributesAreStoredMergedAndReadBackByName() {
        sns.setSMSAttributes(b -> b.attributes(Map.of("DefaultSMSType", "Transactional", "DefaultSenderID", "Eddy1")));
        sns.setSMSAttributes(b -> b.attributes(Map.of("MonthlySpendLimit", "5")));

        assertThat(sns.getSMSAttributes(b -> { }).attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "DefaultSMSType", "Transactional", "DefaultSenderID", "Eddy1", "MonthlySpendLimit", "5"));
        assertThat(sns.getSMSAttributes(b -> b.attributes("DefaultSMSType", "UsageReportS3Bucket")).attributes())
                .containsExactlyEntriesOf(Map.of("DefaultSMSType", "Transactional"));
    }

    @Test
    void smsAttributesAreValidated() {
        assertThatThrownBy(() -> sns.setSMSAttributes(b -> b.attributes(Map.of("DefaultSMSType", "Urgent"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: DefaultSMSType: Invalid value [Urgent]");
        assertThatThrownBy(() -> sns.setSMSAttributes(b -> b.attributes(Map.of("DeliveryStatusSuccessSamplingRate", "101"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sns.setSMSAttributes(b -> b.attributes(Map.of("DefaultSenderID", "123"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sns.setSMSAttributes(b -> b.attributes(Map.of("Colour", "blue"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: Attributes Reason: Unknown attribute Colour");
    }

    @Test
    void noNumberIsOptedOutAndOptingInChecksTheNumber() {
        assertThat(sns.checkIfPhoneNumberIsOptedOut(b -> b.phoneNumber("+15555550100")).isOptedOut()).isFalse();
        assertThat(sns.listPhoneNumbersOptedOut(b -> { }).phoneNumbers()).isEmpty();
        sns.optInPhoneNumber(b -> b.phoneNumber("+15555550100"));

        assertThatThrownBy(() -> sns.checkIfPhoneNumberIsOptedOut(b -> b.phoneNumber("not-a-number")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: PhoneNumber Reason: input incorrectly formatted");
        assertThatThrownBy(() -> sns.optInPhoneNumber(b -> b.phoneNumber("abc")))
                .isInstanceOf(InvalidParameterException.class);
    }
}
