import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

public class SqlBuiltFromStrings {
    public void findUser(Connection connection, String id, String name) throws SQLException {
        Statement statement = connection.createStatement();
        // ruleid: gantry.java.sql-built-from-strings
        statement.executeQuery("SELECT * FROM users WHERE id = " + id);
        // ruleid: gantry.java.sql-built-from-strings
        statement.executeUpdate(String.format("DELETE FROM users WHERE name = '%s'", name));
        String query = "SELECT * FROM users WHERE name = '" + name + "'";
        // ruleid: gantry.java.sql-built-from-strings
        statement.execute(query);
        // ok: gantry.java.sql-built-from-strings
        PreparedStatement prepared = connection.prepareStatement("SELECT * FROM users WHERE id = ?");
        prepared.setString(1, id);
        prepared.executeQuery();
        // ok: gantry.java.sql-built-from-strings
        statement.executeUpdate("DELETE FROM sessions WHERE expired");
    }
}
