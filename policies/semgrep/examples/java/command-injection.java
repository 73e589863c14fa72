import java.io.IOException;

public class CommandInjection {
    public void unpack(String name) throws IOException {
        // ruleid: gantry.java.command-injection
        Runtime.getRuntime().exec("tar xf " + name);
        // ruleid: gantry.java.command-injection
        new ProcessBuilder("sh", "-c", "tar xf " + name).start();
        // ok: gantry.java.command-injection
        new ProcessBuilder("tar", "xf", name).start();
        // ok: gantry.java.command-injection
        Runtime.getRuntime().exec("sync");
    }
}
