terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

resource "aws_lb" "shop" {
  name               = "shop-public"
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.web.id]
}

resource "aws_security_group" "web" {
  name = "shop-web"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
