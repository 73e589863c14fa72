import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

public class WeakCipher {
    public Cipher[] ciphers() throws GeneralSecurityException {
        // ruleid: gantry.java.weak-cipher
        Cipher des = Cipher.getInstance("DESede/CBC/PKCS5Padding");
        // ruleid: gantry.java.weak-cipher
        Cipher ecb = Cipher.getInstance("AES");
        // ok: gantry.java.weak-cipher
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        return new Cipher[] {des, ecb, gcm};
    }
}
