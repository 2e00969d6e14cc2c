/** Exclusive attribution of a request's latency to the parts of DESIGN.md's latency breakdown. */
package io.npusim.core.account;
