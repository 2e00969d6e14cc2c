/** Seeded random streams, one per component path, reproducible across JDKs. */
package io.npusim.core.random;
