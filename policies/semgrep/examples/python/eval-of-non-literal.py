import ast


def calculate(expression):
    # ruleid: gantry.python.eval-of-non-literal
    result = eval(expression)
    # ok: gantry.python.eval-of-non-literal
    constant = eval("1 + 1")
    # ok: gantry.python.eval-of-non-literal
    parsed = ast.literal_eval(expression)
    return result, constant, parsed
