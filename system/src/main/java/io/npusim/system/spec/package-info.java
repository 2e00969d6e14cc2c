/** What a run is: scenario, policy and overrides, as a serialisable spec. */
package io.npusim.system.spec;
