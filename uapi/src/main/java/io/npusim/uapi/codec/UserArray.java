package io.npusim.uapi.codec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code __u64} user pointer to an array, as it appears in an ioctl struct (rocket's job and
 * task arrays, BO handle arrays). The simulator does not model user memory byte by byte: the
 * array's elements are carried as values in {@code items}, and the kernel model "copies them from
 * user" with {@link #copyFromUser(long)}.
 *
 * <p>Fault rules, in the spirit of {@code copy_from_user} returning non-zero and the driver
 * answering {@code -EFAULT}: a read of {@code n > 0} elements fails when {@code fault} is set,
 * when {@code address} is 0 (NULL), or when {@code n} exceeds the elements provided (there is
 * nothing mapped beyond them in the model). A read of 0 elements never touches memory and always
 * succeeds.
 *
 * <p>In the struct bytes only {@code address} exists, so a decoded struct holds a
 * {@link #pointer(long) pointer-only} array; trace replay supplies the elements separately (see
 * {@link CArrays}).
 *
 * @param address the user virtual address written into the struct
 * @param items   the elements userspace placed at that address (immutable copy)
 * @param fault   true if the address is not readable (copy_from_user fails)
 */
public record UserArray<T>(long address, List<T> items, boolean fault) {
    public UserArray {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
        if (address == 0 && !items.isEmpty()) {
            // C cannot place elements at NULL; catching it here keeps runtimes honest.
            throw new IllegalArgumentException("a NULL user pointer cannot carry " + items.size()
                    + " elements");
        }
    }

    /** Elements readable at {@code address}. */
    public static <T> UserArray<T> of(long address, List<T> items) {
        return new UserArray<>(address, items, false);
    }

    /** A NULL pointer (count fields are then expected to be 0). */
    public static <T> UserArray<T> nullPointer() {
        return new UserArray<>(0, List.of(), false);
    }

    /** Only the address is known (decoded from struct bytes); any non-empty read faults. */
    public static <T> UserArray<T> pointer(long address) {
        return new UserArray<>(address, List.of(), false);
    }

    /** An unreadable address: any non-empty read faults. */
    public static <T> UserArray<T> faulting(long address) {
        return new UserArray<>(address, List.of(), true);
    }

    /** The first {@code count} elements, or empty when the kernel's copy would fault. */
    public Optional<List<T>> copyFromUser(long count) {
        if (count < 0) throw new IllegalArgumentException("negative element count " + count);
        if (count == 0) return Optional.of(List.of());
        if (fault || address == 0 || count > items.size()) return Optional.empty();
        return Optional.of(items.subList(0, (int) count));
    }

    /**
     * The address alone, as decoding the struct yields (the bytes hold neither elements nor the
     * fault flag; without elements every non-empty read faults anyway).
     */
    public UserArray<T> pointerOnly() {
        return pointer(address);
    }
}
