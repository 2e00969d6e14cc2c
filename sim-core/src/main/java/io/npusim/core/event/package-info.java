/**
 * The event kernel: a total order of events (time, named priority, insertion sequence), a fast
 * primitive-keyed heap behind a small interface, cancellation by handle, and the run loop.
 */
package io.npusim.core.event;
