package io.npusim.uapi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserArrayTest {
    @Test
    void readsUpToTheProvidedElements() {
        UserArray<Integer> a = UserArray.of(0x1000, List.of(1, 2, 3));
        assertThat(a.copyFromUser(2)).contains(List.of(1, 2));
        assertThat(a.copyFromUser(3)).contains(List.of(1, 2, 3));
        assertThat(a.copyFromUser(4)).isEmpty();
    }

    @Test
    void faultsOnFlagNullOrPointerOnly() {
        assertThat(UserArray.<Integer>faulting(0x1000).copyFromUser(1)).isEmpty();
        assertThat(new UserArray<>(0x1000, List.of(1), true).copyFromUser(1)).isEmpty();
        assertThat(UserArray.<Integer>nullPointer().copyFromUser(1)).isEmpty();
        assertThat(UserArray.<Integer>pointer(0x1000).copyFromUser(1)).isEmpty();
    }

    @Test
    void emptyReadNeverFaults() {
        assertThat(UserArray.<Integer>faulting(0).copyFromUser(0)).contains(List.of());
        assertThatThrownBy(() -> UserArray.nullPointer().copyFromUser(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itemsAreAnImmutableCopy() {
        List<Integer> src = new ArrayList<>(List.of(1));
        UserArray<Integer> a = UserArray.of(8, src);
        src.add(2);
        assertThat(a.items()).containsExactly(1);
        assertThatThrownBy(() -> a.items().add(3)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullPointerCannotCarryElements() {
        assertThatThrownBy(() -> UserArray.of(0, List.of(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pointerOnlyKeepsTheAddressOnly() {
        assertThat(new UserArray<>(16, List.of(1), true).pointerOnly())
                .isEqualTo(new UserArray<>(16, List.of(), false));
    }
}
