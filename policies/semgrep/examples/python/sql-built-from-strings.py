def find_user(cursor, user_id, name):
    # ruleid: gantry.python.sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE id = " + user_id)
    # ruleid: gantry.python.sql-built-from-strings
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: gantry.python.sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)
    query = "DELETE FROM users WHERE id = {}".format(user_id)
    # ruleid: gantry.python.sql-built-from-strings
    cursor.execute(query)
    # ok: gantry.python.sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
    # ok: gantry.python.sql-built-from-strings
    cursor.execute("SELECT count(*) FROM users")
