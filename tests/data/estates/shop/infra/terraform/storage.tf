resource "aws_s3_bucket" "assets" {
  bucket = "acme-shop-assets"
}

resource "aws_s3_bucket_acl" "assets" {
  bucket = aws_s3_bucket.assets.id
  acl    = "public-read"
}

resource "aws_apigatewayv2_api" "partners" {
  name          = "partners"
  protocol_type = "HTTP"
}

resource "aws_lb" "internal_jobs" {
  name     = "jobs"
  internal = true
}
