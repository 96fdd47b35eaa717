resource "google_compute_global_forwarding_rule" "search" {
  name                  = "search-https"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  port_range            = "443"
  target                = google_compute_target_https_proxy.search.id
}

resource "google_compute_target_https_proxy" "search" {
  name             = "search-proxy"
  url_map          = google_compute_url_map.search.id
  ssl_certificates = [var.certificate]
}

resource "google_compute_url_map" "search" {
  name            = "search-urls"
  default_service = google_compute_backend_service.search.id
}

resource "google_compute_backend_service" "search" {
  name                  = "search-backend"
  load_balancing_scheme = "EXTERNAL_MANAGED"

  backend {
    group = google_compute_region_network_endpoint_group.search.id
  }
}

resource "google_compute_region_network_endpoint_group" "search" {
  name                  = "search-neg"
  region                = "europe-west1"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloud_run_v2_service.search.name
  }
}

resource "google_cloud_run_v2_service" "search" {
  name     = "search"
  location = "europe-west1"
  ingress  = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"

  template {
    containers {
      image = "europe-docker.pkg.dev/acme/fleet/search:0.9.1"
    }
  }
}
