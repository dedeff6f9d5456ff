package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker finds and calls the application's main as the java launcher does (Java 25's instance and no-argument mains too). */
@Timeout(30)
class MainMethodTest {
    /** What the fixtures' mains saw, in order. */
    static final List<String> CALLS = new ArrayList<>();

    private static final String[] ARGS = {"start", "-d"};

    @BeforeEach
    void clear() {
        CALLS.clear();
    }

    @Test
    void callsAPublicStaticMainWithTheArguments() throws Throwable {
        MainMethod.of(PublicMain.class).run(ARGS);
        assertEquals(List.of("static main(String[]) start -d"), CALLS);
    }

    @Test
    void callsTheMainOfAClassThatIsNotPublic() throws Throwable {
        MainMethod.of(HiddenMain.class).run(ARGS);
        assertEquals(List.of("hidden main start -d"), CALLS);
    }

    @Test
    void prefersMainWithArgumentsAndOtherwiseCallsMainWithout() throws Throwable {
        MainMethod.of(BothMains.class).run(ARGS);
        MainMethod.of(NoArgumentMain.class).run(ARGS);
        assertEquals(List.of("both: main(String[])", "static main()"), CALLS);
    }

    @Test
    void anInstanceMainGetsANewInstanceEachRun() throws Throwable {
        MainMethod main = MainMethod.of(InstanceMain.class);
        main.run(ARGS);
        main.run(new String[] {"stop"});
        MainMethod.of(InstanceNoArgumentMain.class).run(ARGS);
        assertEquals(List.of("instance 1 start -d", "instance 2 stop", "instance main()"), CALLS);
    }

    @Test
    void findsAnInheritedMain() throws Throwable {
        MainMethod.of(InheritsMain.class).run(ARGS);
        assertEquals(List.of("static main(String[]) start -d"), CALLS);
    }

    @Test
    void saysWhenThereIsNoMainTheLauncherWouldRun() {
        NoSuchMethodException none = assertThrows(NoSuchMethodException.class, () -> MainMethod.of(NoMain.class));
        assertTrue(none.getMessage().contains("no main(String[]) or main() in " + NoMain.class.getName()), none.getMessage());
        assertThrows(NoSuchMethodException.class, () -> MainMethod.of(IntMain.class));
        assertThrows(NoSuchMethodException.class, () -> MainMethod.of(PrivateMain.class));
        NoSuchMethodException constructor = assertThrows(NoSuchMethodException.class, () -> MainMethod.of(InstanceMainPrivateConstructor.class));
        assertTrue(constructor.getMessage().contains("only a private constructor"), constructor.getMessage());
    }

    @Test
    void whatMainThrowsComesOutAsItIs() throws Throwable {
        MainMethod main = MainMethod.of(ThrowingMain.class);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> main.run(ARGS));
        assertSame(ThrowingMain.ERROR, thrown);
    }

    @Test
    void theArgumentsArrayIsTheCallersOwn() throws Throwable {
        String[] args = {"a"};
        MainMethod.of(ArrayMain.class).run(args);
        assertArrayEquals(new String[] {"changed"}, args);
    }

    public static final class PublicMain {
        public static void main(String[] args) {
            CALLS.add("static main(String[]) " + String.join(" ", args));
        }
    }

    private static final class HiddenMain {
        public static void main(String[] args) {
            CALLS.add("hidden main " + String.join(" ", args));
        }
    }

    static final class BothMains {
        static void main() {
            CALLS.add("both: main()");
        }

        static void main(String[] args) {
            CALLS.add("both: main(String[])");
        }
    }

    static final class NoArgumentMain {
        static void main() {
            CALLS.add("static main()");
        }
    }

    static final class InstanceMain {
        private static int instances;
        private final int number = ++instances;

        void main(String[] args) {
            CALLS.add("instance " + number + " " + String.join(" ", args));
        }
    }

    static final class InstanceNoArgumentMain {
        void main() {
            CALLS.add("instance main()");
        }
    }

    static class InheritsMain extends PublicMainBase {
    }

    static class PublicMainBase {
        public static void main(String[] args) {
            PublicMain.main(args);
        }
    }

    static final class PrivateMain {
        @SuppressWarnings("unused")
        private static void main(String[] args) {
            CALLS.add("a private main is not one");
        }
    }

    static final class NoMain {
        static void run(String[] args) {
            CALLS.add("run");
        }
    }

    static final class IntMain {
        static int main(String[] args) {
            return 1;
        }
    }

    static final class InstanceMainPrivateConstructor {
        private InstanceMainPrivateConstructor() {}

        void main() {
            CALLS.add("unreachable");
        }
    }

    static final class ThrowingMain {
        static final IllegalStateException ERROR = new IllegalStateException("main failed on purpose");

        static void main(String[] args) {
            throw ERROR;
        }
    }

    static final class ArrayMain {
        static void main(String[] args) {
            args[0] = "changed";
        }
    }
}
