package main

import "net/http"

func main() {
	http.HandleFunc("/invoices", invoices)
	_ = http.ListenAndServe(":9090", nil)
}

func invoices(w http.ResponseWriter, r *http.Request) {}
