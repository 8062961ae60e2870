package dev.splitfed.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.function.Supplier;

/**
 * Runs test code as if a plug-in jar were on the class path: with a context class loader that
 * also sees {@code src/test/resources/plugins/NAME/}, whose {@code META-INF/services} files name
 * providers defined in the test code. The registries search that loader, and the other tests,
 * run with the usual loader, see only the built-in providers.
 */
public final class Plugins {

    private Plugins() {}

    /**
     * Returns what {@code action} returns, run with the plug-in's class loader.
     *
     * @param <T> what the action returns
     * @param name the plug-in's directory under {@code plugins/}, e.g. {@code extensions}
     * @param action the test code
     * @return the action's result
     */
    public static <T> T with(String name, Supplier<T> action) {
        URL root = Plugins.class.getResource("/plugins/" + name + "/");
        if (root == null) {
            throw new IllegalArgumentException("no plug-in directory plugins/" + name + " on the test class path");
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root}, Plugins.class.getClassLoader())) {
            thread.setContextClassLoader(loader);
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
