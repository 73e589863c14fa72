import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

public class InsecureTempFile {
    public Object[] scratch() throws IOException {
        // ruleid: gantry.java.insecure-temp-file
        File shared = File.createTempFile("report", ".txt");
        // ruleid: gantry.java.insecure-temp-file
        File fixed = new File("/tmp/report.txt");
        // ok: gantry.java.insecure-temp-file
        Path owned = Files.createTempFile("report", ".txt");
        return new Object[] {shared, fixed, owned};
    }
}
