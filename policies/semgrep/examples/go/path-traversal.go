package example

import (
	"net/http"
	"os"
	"path/filepath"
)

const base = "/srv/files"

func download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: gantry.go.path-traversal
	http.ServeFile(w, r, filepath.Join(base, name))
}

func read(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	// ruleid: gantry.go.path-traversal
	data, err := os.ReadFile(filepath.Join(base, name))
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	_, _ = w.Write(data)
}

func safe(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.FormValue("name"))
	// ok: gantry.go.path-traversal
	http.ServeFile(w, r, filepath.Join(base, name))
}
