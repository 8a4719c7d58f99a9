package io.eddy.lambda.esm;

import java.time.Clock;

import io.eddy.lambda.esm.spi.FailureDestinations;
import io.eddy.lambda.esm.spi.FunctionInvoker;
import io.eddy.lambda.esm.spi.MetricsSink;
import io.eddy.lambda.esm.spi.QueueSource;
import io.eddy.lambda.esm.spi.StreamSource;

/** What a running mapping works with. */
record MappingContext(MappingStore store, FunctionInvoker invoker, StreamSource streams, QueueSource queues,
                      FailureDestinations destinations, MetricsSink metrics, Clock clock, ResultListener results) {

    /** Hears what each batch came to, for the mapping's {@code LastProcessingResult}. */
    @FunctionalInterface
    interface ResultListener {
        void processed(Mapping mapping, String lastProcessingResult);
    }
}
