package io.eddy.lambda.runtime.java;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Type;
import java.util.Date;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.module.SimpleSerializers;

/**
 * Turns event JSON into a Java handler's parameter type and its result back into JSON, for one
 * function's classes (one mapper per environment, so nothing of a discarded function stays
 * cached). Property names match case-insensitively, which maps the events of AWS services onto the
 * aws-lambda-java-events classes ({@code Records} to {@code records}, {@code NewImage} to
 * {@code newImage}, {@code detail-type} to {@code detailType}); dates inside those classes are epoch
 * seconds as the services send them, and Joda {@code DateTime} values (SNS and scheduled events) are
 * read from their ISO text.
 */
final class EventMapper {

    private static final String EVENTS_PACKAGE = "com.amazonaws.services.lambda.runtime.events.";
    private static final String JODA_DATE_TIME = "org.joda.time.DateTime";

    private final ObjectMapper mapper;

    EventMapper() {
        SimpleModule module = new SimpleModule("eddy-lambda-events");
        module.setDeserializerModifier(new EventClasses());
        module.setDeserializers(new JodaDeserializers());
        module.setSerializers(new JodaSerializers());
        this.mapper = JsonMapper.builder()
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .addModule(module)
                .build();
    }

    Object read(byte[] json, Type type) throws IOException {
        JavaType javaType = mapper.getTypeFactory().constructType(type);
        return mapper.readValue(json, javaType);
    }

    byte[] write(Object value) throws IOException {
        return mapper.writeValueAsBytes(value);
    }

    /**
     * In the events classes, dates arrive as (fractional) epoch seconds, and camel-case properties
     * also answer to their hyphenated names (EventBridge's {@code detail-type}).
     */
    private static final class EventClasses extends BeanDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                                                     BeanDeserializerBuilder builder) {
            if (!bean.getBeanClass().getName().startsWith(EVENTS_PACKAGE)) return builder;
            List<SettableBeanProperty> properties = new java.util.ArrayList<>();
            builder.getProperties().forEachRemaining(properties::add);
            for (SettableBeanProperty p : properties) {
                SettableBeanProperty property = p;
                if (p.getType().getRawClass() == Date.class) {
                    property = p.withValueDeserializer(new EpochSecondsDate());
                    builder.addOrReplaceProperty(property, true);
                }
                String hyphenated = hyphenated(p.getName());
                if (!hyphenated.equals(p.getName()) && !builder.hasProperty(
                        com.fasterxml.jackson.databind.PropertyName.construct(hyphenated))) {
                    builder.addProperty(property.withSimpleName(hyphenated));
                }
            }
            return builder;
        }

        private static String hyphenated(String camelCase) {
            StringBuilder out = new StringBuilder(camelCase.length() + 4);
            for (char c : camelCase.toCharArray()) {
                if (Character.isUpperCase(c) && !out.isEmpty()) out.append('-').append(Character.toLowerCase(c));
                else out.append(c);
            }
            return out.toString();
        }
    }

    private static final class EpochSecondsDate extends JsonDeserializer<Date> {
        @Override
        public Date deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                String text = p.getText().trim();
                try {
                    return new Date((long) (Double.parseDouble(text) * 1000));
                } catch (NumberFormatException e) {
                    return Date.from(java.time.Instant.parse(text));
                }
            }
            return new Date((long) (p.getDoubleValue() * 1000));
        }
    }

    /** Joda-Time belongs to the function (the events library depends on it); it is used reflectively. */
    private static final class JodaDeserializers extends SimpleDeserializers {
        @Override
        public JsonDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config, BeanDescription bean)
                throws com.fasterxml.jackson.databind.JsonMappingException {
            if (!type.getRawClass().getName().equals(JODA_DATE_TIME)) return super.findBeanDeserializer(type, config, bean);
            Class<?> dateTime = type.getRawClass();
            return new JsonDeserializer<Object>() {
                @Override
                public Object deserialize(JsonParser p, DeserializationContext context) throws IOException {
                    try {
                        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                            return dateTime.getConstructor(long.class).newInstance(p.getLongValue());
                        }
                        Constructor<?> fromText = dateTime.getConstructor(Object.class);
                        return fromText.newInstance(p.getText());
                    } catch (ReflectiveOperationException e) {
                        throw new IOException("Cannot read " + JODA_DATE_TIME + " from " + p.getText(), e);
                    }
                }
            };
        }
    }

    private static final class JodaSerializers extends SimpleSerializers {
        @Override
        public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription bean) {
            if (!type.getRawClass().getName().equals(JODA_DATE_TIME)) return super.findSerializer(config, type, bean);
            return new JsonSerializer<Object>() {
                @Override
                public void serialize(Object value, JsonGenerator generator, SerializerProvider serializers) throws IOException {
                    generator.writeString(value.toString());
                }
            };
        }
    }
}
