package io.eddy.store;

import java.util.Collection;

/** Implemented by services that run background work, so Eddy's drain endpoint can wait for it. */
public interface BackgroundWork {
    /** The service's background activities as they are right now. */
    Collection<Drainable> activities();
}
