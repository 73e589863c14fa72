import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;

public class TlsVerificationDisabled {
    static class TrustEverything implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        // ruleid: gantry.java.tls-verification-disabled
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    public void configure(HttpsURLConnection connection) {
        // ruleid: gantry.java.tls-verification-disabled
        connection.setHostnameVerifier((host, session) -> true);
        // ok: gantry.java.tls-verification-disabled
        connection.setHostnameVerifier((host, session) -> host.equals("api.example.com"));
    }

    public boolean verify(String host, SSLSession session) {
        // ok: gantry.java.tls-verification-disabled
        return host.endsWith(".example.com");
    }
}
