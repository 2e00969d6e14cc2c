/** The UAPI of the proposed NPU subsystem (docs/PROPOSED_UAPI.md), as records with C-layout codecs. */
package io.npusim.uapi.proposed;
