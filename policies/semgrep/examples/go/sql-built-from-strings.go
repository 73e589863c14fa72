package example

import (
	"context"
	"database/sql"
	"fmt"
)

func findUser(ctx context.Context, db *sql.DB, id string, name string) error {
	// ruleid: gantry.go.sql-built-from-strings
	if _, err := db.Query("SELECT * FROM users WHERE id = " + id); err != nil {
		return err
	}
	// ruleid: gantry.go.sql-built-from-strings
	if _, err := db.ExecContext(ctx, fmt.Sprintf("DELETE FROM users WHERE name = '%s'", name)); err != nil {
		return err
	}
	query := "SELECT * FROM users WHERE name = '" + name + "'"
	// ruleid: gantry.go.sql-built-from-strings
	if _, err := db.Query(query); err != nil {
		return err
	}
	// ok: gantry.go.sql-built-from-strings
	if _, err := db.QueryContext(ctx, "SELECT * FROM users WHERE id = $1", id); err != nil {
		return err
	}
	// ok: gantry.go.sql-built-from-strings
	_, err := db.Exec("DELETE FROM sessions WHERE expired")
	return err
}
