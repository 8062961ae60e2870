package dev.splitfed.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class RegistryTest {

    /** A kind of extension of this test's own, which no {@code META-INF/services} file names. */
    interface Widget extends Provider {}

    record Named(String name) implements Widget {}

    private static Registry<Widget> widgets() {
        return Registry.of("widget", Widget.class, List.of(new Named("gear"), new Named("lever")));
    }

    @Test
    void listsBuiltInsFirstThenRegisteredInOrder() {
        Registry<Widget> registry = widgets();
        Named pulley = new Named("pulley");
        Named axle = new Named("axle");
        registry.register(pulley);
        registry.register(axle);

        assertThat(registry.names()).containsExactly("gear", "lever", "pulley", "axle");
        assertThat(registry.get("pulley")).isSameAs(pulley);
        assertThat(registry.find("axle")).containsSame(axle);
        assertThat(registry.find("wheel")).isEmpty();
        assertThat(registry.providers()).extracting(Provider::name).containsExactly("gear", "lever", "pulley", "axle");
    }

    @Test
    void refusesAnUnknownNameListingTheChoices() {
        assertThatThrownBy(() -> widgets().get("wheel"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown widget 'wheel'; expected one of gear, lever.");
        Registry<Widget> worded = Registry.of("widget", Widget.class, List.of(new Named("gear")),
                providers -> "just " + providers.get(0).name());
        assertThatThrownBy(() -> worded.get("wheel"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown widget 'wheel'; expected just gear.");
    }

    @Test
    void parseGivesTheProviderWhatFollowsTheFirstColon() {
        Registry<Widget> registry = widgets();
        BiFunction<Widget, String, String> echo = (widget, arguments) -> widget.name() + "|" + arguments;

        assertThat(registry.parse("gear", echo)).isEqualTo("gear|null");
        assertThat(registry.parse("gear:", echo)).isEqualTo("gear|");
        assertThat(registry.parse("lever:2:3", echo)).isEqualTo("lever|2:3");
        assertThatThrownBy(() -> registry.parse("wheel:2", echo))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown widget 'wheel:2'; expected one of gear, lever.");
    }

    @Test
    void refusesASecondProviderOfAName() {
        Registry<Widget> registry = widgets();

        assertThatThrownBy(() -> registry.register(new Named("lever")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("widget 'lever' is provided twice, by dev.splitfed.registry.RegistryTest$Named and by"
                        + " dev.splitfed.registry.RegistryTest$Named; each widget needs a name of its own.");
        assertThat(registry.names()).containsExactly("gear", "lever");
        assertThatThrownBy(() -> Registry.of("widget", Widget.class, List.of(new Named("gear"), new Named("gear")))
                .names()).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("widget 'gear' is provided twice");
    }

    @Test
    void refusesAMalformedName() {
        Registry<Widget> registry = widgets();

        assertThatThrownBy(() -> registry.register(new Named("Big:Wheel")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("widget provider dev.splitfed.registry.RegistryTest$Named is named 'Big:Wheel', but a name"
                        + " must be lower-case letters, digits, '.', '_' or '-', starting with a letter or a digit.");
        assertThat(registry.names()).containsExactly("gear", "lever");
    }
}
