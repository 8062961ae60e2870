package dev.splitfed.registry;

import dev.splitfed.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The providers of one kind of extension, by name: the built-in ones first, then those
 * {@link ServiceLoader} finds, then those given to {@link #register}, each group in its own order.
 *
 * <p>The pattern is gRPC's {@code LoadBalancerRegistry}, with one difference: a name is taken
 * once. Where gRPC lets a provider of higher priority replace another of the same name, here a
 * second provider of a name is refused with an {@link InvalidInputException}, so that a jar on the
 * class path cannot quietly change what {@code fedavg} or {@code lenet5} means.
 *
 * <p>{@link ServiceLoader} searches the calling thread's context class loader (the provider
 * interface's own loader for a thread without one). The providers it finds are kept until a thread
 * with another context class loader asks, which searches again; so a plug-in's or a test's class
 * loader sees the providers it holds.
 *
 * <p>Instances are safe for use by several threads.
 *
 * @param <P> the provider interface
 */
public final class Registry<P extends Provider> {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final String kind;
    private final Class<P> type;
    private final List<P> builtIns;
    private final Function<? super List<P>, String> choices;
    private final List<P> registered = new ArrayList<>();
    private ClassLoader discoveredWith;
    private List<P> discovered;
    private Map<String, P> effective;

    private Registry(String kind, Class<P> type, List<? extends P> builtIns,
            Function<? super List<P>, String> choices) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.type = Objects.requireNonNull(type, "type");
        this.builtIns = List.copyOf(builtIns);
        this.choices = Objects.requireNonNull(choices, "choices");
    }

    /**
     * Creates a registry whose refusal of an unknown name lists the names, e.g. "unknown model
     * 'x'; expected one of lenet5, mlp, next-word."
     *
     * @param <P> the provider interface
     * @param kind what a provider provides, for messages, e.g. {@code model}
     * @param type the provider interface, which {@link ServiceLoader} looks up
     * @param builtIns the providers that come first, in the order {@link #names()} lists them
     * @return the registry
     */
    public static <P extends Provider> Registry<P> of(String kind, Class<P> type, List<? extends P> builtIns) {
        return of(kind, type, builtIns, providers -> "one of "
                + String.join(", ", providers.stream().map(Provider::name).toList()));
    }

    /**
     * Creates a registry whose refusal of an unknown name words the choices its own way.
     *
     * @param <P> the provider interface
     * @param kind what a provider provides, for messages, e.g. {@code partition}
     * @param type the provider interface, which {@link ServiceLoader} looks up
     * @param builtIns the providers that come first, in the order {@link #names()} lists them
     * @param choices words every provider as the choices in "unknown KIND 'x'; expected CHOICES."
     * @return the registry
     */
    public static <P extends Provider> Registry<P> of(String kind, Class<P> type, List<? extends P> builtIns,
            Function<? super List<P>, String> choices) {
        return new Registry<>(kind, type, builtIns, choices);
    }

    /**
     * Adds a provider after all the others.
     *
     * @param provider the provider
     * @throws InvalidInputException if its name is malformed or another provider already has it
     */
    public synchronized void register(P provider) {
        Objects.requireNonNull(provider, "provider");
        effective();
        List<P> extended = new ArrayList<>(registered);
        extended.add(type.cast(provider));
        Map<String, P> next = index(extended);
        registered.add(provider);
        effective = next;
    }

    /**
     * Returns the provider of a name.
     *
     * @param name the name, e.g. {@code lenet5}
     * @return the provider
     * @throws InvalidInputException if no provider has that name, or the providers found are
     *     inconsistent (two of one name, a malformed name, one that cannot be loaded)
     */
    public P get(String name) {
        return get(name, name);
    }

    /**
     * Returns what the provider a spec names makes of the spec's arguments. A spec is a name, then
     * optionally a colon and arguments that the provider reads, e.g. {@code dirichlet:0.5}.
     *
     * @param <R> what the provider makes
     * @param spec the spec
     * @param make gives the provider the text after the spec's first colon, or null when the spec
     *     has none
     * @return what {@code make} returns
     * @throws InvalidInputException if no provider has the spec's name (the message quotes the
     *     whole spec), the providers found are inconsistent, or the provider refuses the arguments
     */
    public <R> R parse(String spec, BiFunction<? super P, String, R> make) {
        int colon = spec.indexOf(':');
        P provider = get(colon < 0 ? spec : spec.substring(0, colon), spec);
        return make.apply(provider, colon < 0 ? null : spec.substring(colon + 1));
    }

    private synchronized P get(String name, String given) {
        Objects.requireNonNull(name, "name");
        Map<String, P> providers = effective();
        P provider = providers.get(name);
        if (provider == null) {
            throw new InvalidInputException("unknown " + kind + " '" + given + "'; expected "
                    + choices.apply(List.copyOf(providers.values())) + ".");
        }
        return provider;
    }

    /**
     * Returns the provider of a name, if there is one.
     *
     * @param name the name, e.g. {@code lenet5}
     * @return the provider, or empty
     * @throws InvalidInputException if the providers found are inconsistent
     */
    public synchronized Optional<P> find(String name) {
        return Optional.ofNullable(effective().get(Objects.requireNonNull(name, "name")));
    }

    /**
     * Returns every name: the built-in ones, the discovered ones, then the registered ones.
     *
     * @return the names, in that order
     * @throws InvalidInputException if the providers found are inconsistent
     */
    public synchronized List<String> names() {
        return List.copyOf(effective().keySet());
    }

    /**
     * Returns every provider, in the order of {@link #names()}.
     *
     * @return the providers
     * @throws InvalidInputException if the providers found are inconsistent
     */
    public synchronized List<P> providers() {
        return List.copyOf(effective().values());
    }

    private Map<String, P> effective() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = type.getClassLoader();
        }
        if (discovered == null || loader != discoveredWith) {
            List<P> found = new ArrayList<>();
            try {
                ServiceLoader.load(type, loader).forEach(found::add);
            } catch (ServiceConfigurationError e) {
                throw new InvalidInputException("cannot load the " + kind + " providers named in META-INF/services/"
                        + type.getName() + ": " + e.getMessage(), e);
            }
            discovered = found;
            discoveredWith = loader;
            effective = null;
        }
        if (effective == null) {
            effective = index(registered);
        }
        return effective;
    }

    private Map<String, P> index(List<P> registrations) {
        Map<String, P> byName = new LinkedHashMap<>();
        for (List<P> group : List.of(builtIns, discovered, registrations)) {
            for (P provider : group) {
                String name = provider.name();
                if (name == null || !NAME.matcher(name).matches()) {
                    throw new InvalidInputException(kind + " provider " + provider.getClass().getName() + " is named '"
                            + name + "', but a name must be lower-case letters, digits, '.', '_' or '-', starting"
                            + " with a letter or a digit.");
                }
                P earlier = byName.putIfAbsent(name, provider);
                if (earlier != null) {
                    throw new InvalidInputException(kind + " '" + name + "' is provided twice, by "
                            + earlier.getClass().getName() + " and by " + provider.getClass().getName()
                            + "; each " + kind + " needs a name of its own.");
                }
            }
        }
        return byName;
    }
}
