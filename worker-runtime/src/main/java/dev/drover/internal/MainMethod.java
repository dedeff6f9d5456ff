package dev.drover.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The application's main method, found as the {@code java} launcher finds it: the master ran that
 * class through the launcher, so a worker must run the same main. The class need not be public,
 * and on Java 25 (JEP 512) main may be an instance method or take no arguments: first
 * {@code main(String[])}, then {@code main()}, declared or inherited, not private; an instance
 * main gets an instance from the class's parameterless constructor.
 *
 * <p>It is called through a method handle, not {@link Method#invoke}: from Java 18 a reflective
 * call first spins method handles of its own (three hidden classes, ~8 ms of a worker's start on
 * Java 25, side by side).
 */
final class MainMethod {
    private static final MethodType MAIN = MethodType.methodType(void.class, String[].class);

    private final MethodHandle target;

    private MainMethod(MethodHandle target) {
        this.target = target;
    }

    /**
     * The main method of {@code app}.
     *
     * @throws NoSuchMethodException when {@code app} has none the launcher would run
     * @throws ReflectiveOperationException when it cannot be called (its module does not open its package)
     */
    static MainMethod of(Class<?> app) throws ReflectiveOperationException {
        Method method = find(app, String[].class);
        if (method == null) {
            method = find(app);
        }
        if (method == null) {
            throw new NoSuchMethodException("no main(String[]) or main() in " + app.getName() + " or its superclasses");
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle handle = lookup.unreflect(accessible(method));
        if (!Modifier.isStatic(method.getModifiers())) {
            Constructor<?> constructor = app.getDeclaredConstructor();
            if (Modifier.isPrivate(constructor.getModifiers())) {
                throw new NoSuchMethodException(app.getName() + " has an instance main but only a private constructor without parameters");
            }
            handle = MethodHandles.foldArguments(handle, lookup.unreflectConstructor(accessible(constructor)).asType(
                    MethodType.methodType(method.getDeclaringClass())));
        }
        if (method.getParameterCount() == 0) {
            handle = MethodHandles.dropArguments(handle, 0, String[].class);
        }
        return new MainMethod(handle.asType(MAIN));
    }

    /** Runs main with {@code args}; what it throws is the application's. */
    void run(String[] args) throws Throwable {
        target.invokeExact(args);
    }

    /** A non-private void {@code main} with these parameters in {@code type} or a superclass; null when there is none. */
    private static Method find(Class<?> type, Class<?>... parameters) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method method = c.getDeclaredMethod("main", parameters);
                if (!Modifier.isPrivate(method.getModifiers()) && method.getReturnType() == void.class) {
                    return method;
                }
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        return null;
    }

    /** The launcher calls a main of a class that is not public; so may a worker (the unnamed module's classes are open). */
    private static <T extends AccessibleObject> T accessible(T member) throws IllegalAccessException {
        try {
            member.setAccessible(true);
        } catch (RuntimeException e) { // InaccessibleObjectException: a named module that does not open the package
            IllegalAccessException denied = new IllegalAccessException(e.getMessage());
            denied.initCause(e);
            throw denied;
        }
        return member;
    }
}
