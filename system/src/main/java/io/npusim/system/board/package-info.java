/** Putting a board together from a run spec: configuration, hardware, kernel, driver, clients. */
package io.npusim.system.board;
