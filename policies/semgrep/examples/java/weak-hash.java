import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

public class WeakHash {
    public byte[][] fingerprints(byte[] data) throws NoSuchAlgorithmException {
        // ruleid: gantry.java.weak-hash
        MessageDigest weak = MessageDigest.getInstance("MD5");
        // ruleid: gantry.java.weak-hash
        MessageDigest alsoWeak = MessageDigest.getInstance("SHA-1");
        // ok: gantry.java.weak-hash
        MessageDigest strong = MessageDigest.getInstance("SHA-256");
        return new byte[][] {weak.digest(data), alsoWeak.digest(data), strong.digest(data)};
    }
}
