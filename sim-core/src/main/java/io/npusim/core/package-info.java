/** Shared foundations of every layer: the user-error type; sub-packages hold the event kernel. */
package io.npusim.core;
