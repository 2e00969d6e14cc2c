/** Configuration: every constant with its unit and origin, loaded from YAML, overridable by key. */
package io.npusim.hw.config;
