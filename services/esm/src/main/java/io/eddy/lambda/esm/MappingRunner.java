package io.eddy.lambda.esm;

import io.eddy.store.Drainable;

/** The work of one enabled mapping: started when it is enabled, stopped when disabled, updated or deleted. */
interface MappingRunner extends Drainable {

    void start();

    /** Stops reading and waits for batches in flight; unfinished records are delivered again after a start. */
    void stop();
}
