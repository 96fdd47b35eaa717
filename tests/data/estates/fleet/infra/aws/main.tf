resource "aws_ecs_cluster" "main" {
  name = "fleet"
}

resource "aws_lb" "public" {
  name               = "fleet-public"
  internal           = false
  load_balancer_type = "application"
  subnets            = var.public_subnets
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ledger.arn
  }
}

resource "aws_lb_target_group" "ledger" {
  name        = "ledger-tg"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}

resource "aws_ecs_service" "ledger" {
  name            = "ledger"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.ledger.arn
  desired_count   = 2

  load_balancer {
    target_group_arn = aws_lb_target_group.ledger.arn
    container_name   = "ledger"
    container_port   = 8080
  }
}

resource "aws_ecs_task_definition" "ledger" {
  family                   = "ledger"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions = jsonencode([
    {
      name         = "ledger"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fleet/ledger:2.4.0"
      essential    = true
      portMappings = [{ containerPort = 8080 }]
    }
  ])
  tags = {
    Service = "ledger"
  }
}
