/** Arrival processes and clients: camera frames, closed loops, chat sessions, audio windows. */
package io.npusim.workloads.arrival;
