import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

public class ScriptEval {
    public Object calculate(String expression) throws ScriptException {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");
        // ruleid: gantry.java.script-eval
        Object result = engine.eval(expression);
        // ok: gantry.java.script-eval
        Object constant = engine.eval("1 + 1");
        return result != null ? result : constant;
    }
}
