package io.npusim.core;

/**
 * A mistake the user can fix (a bad scenario, trace, point file or option). The CLI prints its
 * message as one line and exits with code 2; the message says what is wrong and where.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message, null, false, false);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
