import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.servlet.http.HttpServletRequest;
import org.apache.commons.io.FilenameUtils;

public class PathTraversal {
    private static final String BASE = "/srv/files";

    public InputStream download(HttpServletRequest request) throws IOException {
        String name = request.getParameter("name");
        // ruleid: gantry.java.path-traversal
        return new FileInputStream(new File(BASE, name));
    }

    public File safe(HttpServletRequest request) {
        String name = FilenameUtils.getName(request.getParameter("name"));
        // ok: gantry.java.path-traversal
        return new File(BASE, name);
    }
}
