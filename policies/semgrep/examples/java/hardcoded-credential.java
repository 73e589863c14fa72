import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

public class HardcodedCredential {
    // ruleid: gantry.java.hardcoded-credential
    private static final String DB_PASSWORD = "hunter2-but-longer";
    // ok: gantry.java.hardcoded-credential
    private static final String PASSWORD_FIELD = "password";

    public Connection connect(String url) throws SQLException {
        // ruleid: gantry.java.hardcoded-credential
        Connection fixed = DriverManager.getConnection(url, "app", "correct-horse-battery");
        // ok: gantry.java.hardcoded-credential
        Connection fromEnv = DriverManager.getConnection(url, "app", System.getenv("DB_PASSWORD"));
        fixed.close();
        return fromEnv;
    }
}
