import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;

public class ObjectDeserialization {
    public Object read(InputStream input) throws IOException, ClassNotFoundException {
        // ruleid: gantry.java.object-deserialization
        ObjectInputStream stream = new ObjectInputStream(input);
        return stream.readObject();
    }

    public Object readFiltered(InputStream input) throws IOException, ClassNotFoundException {
        // ok: gantry.java.object-deserialization
        ObjectInputStream stream = new ObjectInputStream(input);
        stream.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.Settings;!*"));
        return stream.readObject();
    }
}
