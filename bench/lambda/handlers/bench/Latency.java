package bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Logs, for each stream record, how long ago its writer stamped it: {@code LATENCY_US <seq> <microseconds>}. */
public class Latency implements RequestHandler<Map<String, Object>, Object> {

    @Override
    public Object handleRequest(Map<String, Object> event, Context context) {
        // Instant.now() has microsecond resolution; currentTimeMillis would round the result to milliseconds.
        Instant now = Instant.now();
        long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        for (Object record : (List<?>) event.get("Records")) {
            Map<?, ?> image = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) record).get("dynamodb")).get("NewImage");
            long stamp = Long.parseLong((String) ((Map<?, ?>) image.get("stamp")).get("N"));
            Object seq = ((Map<?, ?>) image.get("seq")).get("N");
            System.out.println("LATENCY_US " + seq + " " + (nowMicros - stamp));
        }
        return null;
    }
}
