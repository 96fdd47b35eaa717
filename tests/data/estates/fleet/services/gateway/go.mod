module github.com/acme/fleet/gateway

go 1.22
