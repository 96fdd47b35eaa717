package main

import (
	"log"
	"net/http"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /catalog/items", listItems)
	mux.HandleFunc("/catalog/health", health)
	log.Fatal(http.ListenAndServe(":8090", mux))
}

func listItems(w http.ResponseWriter, r *http.Request) { w.Write([]byte("[]")) }

func health(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }
